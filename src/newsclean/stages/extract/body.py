"""The main text of a page, with trafilatura, from a tree parsed once."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsclean.stages.extract.stage import ExtractConfig

_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")
_MOJIBAKE = re.compile(
    "(?:Ã[\u0080-\u00bf]|â€[\u0080-\u00bf™œ“”˜]|â\u0080[\u0080-\u00bf]|Â[\u00a0-\u00bf])"
)


def parse(html: str) -> Any:
    """An lxml tree of ``html`` (a full page or a fragment), or ``None``."""
    try:
        tree = _load_html(html)
    except (ValueError, TypeError):  # pragma: no cover (_load_html catches its own)
        tree = None
    if tree is None or tree.tag != "html":
        # a fragment ("<p>text</p>"): lxml gives back the element, not a page
        try:
            tree = _load_html(f"<html><body>{html}</body></html>")
        except (ValueError, TypeError):  # pragma: no cover
            return None
    return tree


_PARSER: Any = None


def _parser() -> Any:
    """trafilatura's HTML parser with ``huge_tree``: libxml2 otherwise drops
    whatever is nested deeper than 255 elements (the text of such a page was
    lost with no word but "no visible text"); huge, it keeps 2,048 levels."""
    global _PARSER
    if _PARSER is None:
        from lxml.html import HTMLParser

        _PARSER = HTMLParser(
            collect_ids=False,
            default_doctype=False,
            encoding="utf-8",
            remove_comments=True,
            remove_pis=True,
            huge_tree=True,
        )
    return _PARSER


def _load_html(html: str) -> Any:
    """trafilatura's ``load_html`` for a string, with :func:`_parser`."""
    from lxml.html import fromstring
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = repair_faulty_html(html, beginning)
    tree = None
    as_bytes = False
    try:
        tree = fromstring(html, parser=_parser())
    except ValueError:  # a string with an encoding declaration: parsed as bytes
        tree, as_bytes = _from_bytes(html), True
    except Exception:  # pragma: no cover - as load_html: no tree
        tree = None
    if (tree is None or len(tree) < 1) and not as_bytes:
        tree = _from_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        tree = None  # not HTML at all
    return tree


#: how deep libxml2 nests elements with huge_tree (deeper ones are dropped)
MAX_DEPTH = 2048


def _deepest(element: Any) -> int:
    """How many levels below ``element`` the deepest element is (no recursion)."""
    deepest = 0
    stack = [(element, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node)
    return deepest


def _from_bytes(html: str) -> Any:
    from lxml.html import fromstring

    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=_parser())
    except Exception:
        return None


def repair_mojibake(html: str) -> str | None:
    """UTF-8 read as cp1252 ("Ã©", "â€™"): the page repaired, or ``None`` when it
    does not look like that or cannot be undone cleanly."""
    if "Ã" not in html and "â" not in html and "Â" not in html:
        return None  # the common case, found by a plain substring scan
    hits = len(_MOJIBAKE.findall(html, 0, 200_000))
    if hits < 3:
        return None
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = html.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if len(_MOJIBAKE.findall(fixed, 0, 200_000)) < hits:
            return fixed
    return None


#: A recall-mode text shorter than this many characters...
ESCALATE_BELOW = 3000
#: ...and than this share of the page's visible text has likely missed the article.
ESCALATE_SHARE = 0.2
#: The balanced-mode text replaces it when it is this many times longer.
ESCALATE_GAIN = 1.5


def main_text(tree: Any, config: ExtractConfig) -> str:
    """trafilatura's main text, one block per paragraph, heading, list item and
    table row, blocks separated by a blank line; comments left out.

    By default trafilatura runs in recall mode, which skips its own escalation (a
    short result covering little of the page is tried again with other extractors,
    jusText among them). Where the recall text is that short, the balanced mode,
    escalation included, is run too and kept when it finds clearly more: on WCXB
    dev pages (even ids) this recovers whole articles on 6 pages of 356 and loses on 2."""
    text = _trafilatura(tree, config, recall=not config.precision)
    if config.precision or len(text) >= ESCALATE_BELOW:
        return text
    from trafilatura import html2txt

    if len(text) < ESCALATE_SHARE * len(html2txt(tree)):
        balanced = _trafilatura(tree, config, recall=False)
        if len(balanced) > ESCALATE_GAIN * len(text):
            return balanced
    return text


def _trafilatura(tree: Any, config: ExtractConfig, recall: bool) -> str:
    from trafilatura import bare_extraction
    from trafilatura.xml import xmltotxt

    document = bare_extraction(
        tree,
        fast=not config.fallbacks,
        favor_precision=config.precision,
        favor_recall=recall,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
        with_metadata=False,
    )
    if document is None or document.body is None:  # type: ignore[union-attr]
        return ""
    text = xmltotxt(document.body, False)  # type: ignore[union-attr]
    blocks = (line.strip() for line in text.split("\n"))
    return "\n\n".join(b for b in blocks if b and not _TABLE_RULE.match(b))


def why_empty(tree: Any) -> str:
    """Why a page gave no main text, in a few words for ``warnings``."""
    body = tree.find(".//body")
    if body is None:
        return "the page has no <body>"
    visible = "".join(
        body.xpath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")
    )
    if not visible.strip():
        if _deepest(body) >= MAX_DEPTH - 8:
            return f"the page nests elements deeper than the parser's {MAX_DEPTH} levels"
        if body.find(".//script") is not None:
            return "the page has only scripts, no visible text"
        return "the page has no visible text"
    return "no article-like text in the page (too short or all boilerplate)"
