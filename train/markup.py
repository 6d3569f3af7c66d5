"""Where a page's lines sit in its HTML: the element holding each line's words, its
ancestors' tag names, and the role or boilerplate kind their tags and class/id names suggest.

The HTML's text nodes are tokenised in document order with their owning element; a line's
tokens are looked up in that stream (forward from the previous line's match first, since
saved page text and extractor output keep document order), and the lowest common ancestor
of the owners is the line's element.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from lxml import etree, html

from .common import tokens

_SKIP = {"script", "style", "noscript", "template", "svg", "iframe"}
_TAG_CUES = {
    "nav": "menu",
    "footer": "legal",
    "figcaption": "caption",
    "time": "timestamp",
    "h1": "title",
}
# Class/id/role words, tried in this order on each element (nearest element first).
_ATTR_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("consent", r"\b(cookies?|consent|gdpr|cmp)\b"),
        ("comments", r"\b(comments?|commentlist|disqus|reply|respond)\b"),
        ("bio", r"\b(author ?bio|about ?author|bio|authorbox|author box)\b"),
        ("share", r"\b(share|sharing|social|sharedaddy|addtoany)\b"),
        ("promo", r"\b(newsletter|subscribe|subscription|signup|sign up|paywall|app promo)\b"),
        (
            "teaser",
            r"\b(related|recommend\w*|more stories|read next|readnext|latest|teasers?|"
            r"popular|trending|most read|sidebar)\b",
        ),
        ("menu", r"\b(nav|navbar|navigation|menu|breadcrumbs?|masthead|skip link)\b"),
        ("legal", r"\b(footer|copyright|legal|terms|colophon)\b"),
        ("ad", r"\b(ad|ads|advert\w*|sponsor\w*|dfp|gpt ad|adsbygoogle)\b"),
        ("caption", r"\b(caption|wp caption text)\b"),
        ("byline", r"\b(author|byline|writer|posted by)\b"),
        ("timestamp", r"\b(date|time|published|dateline|posted on|updated)\b"),
        ("section", r"\b(kicker|eyebrow|category|categories|section name|rubric|overline)\b"),
        ("title", r"\b(headline|entry title|post title|article title)\b"),
    )
)
BOILERPLATE_CUES = frozenset(
    {"consent", "comments", "bio", "share", "promo", "teaser", "menu", "legal", "ad"}
)


def _attr_words(el: Any) -> str:
    raw = " ".join(str(el.get(a) or "") for a in ("class", "id", "role"))
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", raw)
    return re.sub(r"[-_:.]+", " ", spaced).lower()


def element_cues(el: Any, stop: frozenset[Any] = frozenset()) -> list[str]:
    """The cues of ``el`` and its ancestors, nearest first, each once, up to (not including)
    <body> or the first element in ``stop`` (an element that also holds body text: page-wide
    wrappers say nothing about one block)."""
    found: list[str] = []
    while el is not None and isinstance(el.tag, str) and el.tag not in ("body", "html"):
        if el in stop:
            break
        if el.tag in _TAG_CUES:
            found.append(_TAG_CUES[el.tag])
        words = _attr_words(el)
        found.extend(kind for kind, pattern in _ATTR_CUES if words and pattern.search(words))
        el = el.getparent()
    return list(dict.fromkeys(found))


def ancestors_of(elements: list[Any]) -> frozenset[Any]:
    """Every element in ``elements`` and all their ancestors. The set holds the lxml proxies
    themselves (kept alive, so lxml hands back the same object for a node): never id(),
    which a later proxy may reuse."""
    seen: set[Any] = set()
    for el in elements:
        for a in (el, *el.iterancestors()):
            if a in seen:
                break
            seen.add(a)
    return frozenset(seen)


def describe(el: Any, stop: frozenset[Any]) -> dict[str, Any] | None:
    """The markup record of a line held by ``el``: its tag, ancestor path, cues."""
    if el is None:
        return None
    path = [a.tag for a in el.iterancestors() if isinstance(a.tag, str)][:8]
    return {"tag": el.tag, "path": path, "cues": element_cues(el, stop)}


class PageMarkup:
    """The token stream of one HTML page, for finding the elements behind lines of text."""

    def __init__(self, markup: str) -> None:
        self.title: str | None = None
        self._owners: list[Any] = []
        words: list[str] = []
        try:
            root = html.fromstring(markup.encode("utf-8"))
        except (etree.ParserError, ValueError):
            root = None
        if root is not None:
            found = root.find(".//title")
            if found is not None and found.text_content().strip():
                self.title = " ".join(found.text_content().split())
            self._walk(root, words)
        self._starts: list[int] = []
        pos = 0
        for w in words:
            self._starts.append(pos)
            pos += len(w) + 1
        self._doc = " " + " ".join(words) + " "
        self._cursor = 0

    def _walk(self, root: Any, words: list[str]) -> None:
        skipping: Any = None
        for event, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag if isinstance(el.tag, str) else ""
            if event == "start":
                if skipping is None and tag.lower() in _SKIP:
                    skipping = el
                if skipping is None and tag and el.text:
                    self._add(el.text, el, words)
                continue
            if skipping is el:
                skipping = None
            parent = el.getparent()
            if skipping is None and el.tail and parent is not None:
                self._add(el.tail, parent, words)

    def _add(self, text: str, owner: Any, words: list[str]) -> None:
        for w in tokens(text):
            words.append(w)
            self._owners.append(owner)

    def locate(self, line: str) -> Any:
        """The element holding ``line``'s words (lowest common ancestor), or None."""
        toks = tokens(line)
        if not toks:
            return None
        needle = " " + " ".join(toks) + " "
        at = self._doc.find(needle, self._cursor)
        if at < 0:
            at = self._doc.find(needle)
        if at < 0:
            return None
        first = bisect_right(self._starts, at) - 1
        self._cursor = at + len(needle) - 1
        owners = dict.fromkeys(self._owners[first : first + len(toks)])
        return _common_ancestor(list(owners))


def _common_ancestor(elements: list[Any]) -> Any:
    if len(elements) == 1:
        return elements[0]
    chain = [elements[0], *elements[0].iterancestors()]
    for other in elements[1:]:
        mine = {other, *other.iterancestors()}
        chain = [a for a in chain if a in mine]
    return chain[0] if chain else elements[0]
