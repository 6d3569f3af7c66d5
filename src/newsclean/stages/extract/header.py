"""The visible date and byline near the headline: the lines after the ``<h1>``
(or the element that shows the title on a page without one) and just before it."""

from __future__ import annotations

import re
from typing import Any

from lxml.etree import XPath

from newsclean.stages.extract.bylines import HANDLE, LABEL_LINE, NAME_LINE
from newsclean.stages.extract.choose import Candidates, fold_title, site_names, strip_site_name
from newsclean.stages.extract.nodes import (
    HIDDEN,
    clean_text,
    element_text,
    following_texts,
    preceding_texts,
)
from newsclean.text.htmldates import find_date_spans, find_dates
from newsclean.text.persons import is_person

_HEADER_CHARS = 700
_BY_NAME = re.compile(
    r"(?:^|\s)(?:[Bb]y|BY|Written by|Author:)\s*:?\s+"
    r"(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|del|al|bin|and|&)){0,5})"
)


def headline_element(tree: Any, titles: list[tuple[str, Any]]) -> Any:
    """The element that holds the visible headline: the first ``<h1>`` that
    another source confirms, else the first non-empty ``<h1>``."""
    others = [fold_title(v) for s, v in titles if s != "h1"]
    first = None
    for element in tree.iterfind(".//body//h1"):
        folded = fold_title(element_text(element))
        if not folded:
            continue
        if first is None:
            first = element
        if any(folded == o or (folded in o and len(folded) >= 0.5 * len(o)) for o in others):
            return element
    return first


_TEXT_IS = XPath("//body//text()[normalize-space(.) = $title]")


def title_element(tree: Any, found: Candidates) -> Any:
    """On a page without ``<h1>``, the element that shows the metadata title (a
    styled ``<p>`` or ``<h2>``), so that the date and byline under it are read."""
    sites = site_names(found)
    seen: list[str] = []
    for source, value in found.get("title", []):
        title = strip_site_name(value, sites, guess=source != "h1")
        if title in seen or len(title.split()) < 2:
            continue
        seen.append(title)
        for node in _TEXT_IS(tree, title=title):
            parent = node.getparent()
            if parent is not None and not node.is_tail and parent.tag not in HIDDEN:
                return parent
    return None


def from_header(anchor: Any, add: Any) -> None:
    """The visible date and byline near the headline: the few lines after the
    ``<h1>`` (and just before it, where a kicker or dateline may sit)."""
    after: list[str] = []
    size = 0
    for node in following_texts(anchor):
        if not node.strip():
            continue
        after.append(clean_text(node))
        size += len(after[-1])
        if size > _HEADER_CHARS or len(after) >= 40:
            break
    before = [clean_text(node) for node in preceding_texts(anchor, 8)]
    for text in (" \n ".join(after), " \n ".join(before)):
        found = find_dates(text)
        if found:
            add("published", "header", found[0])
            break
    for i, line in enumerate(after):
        match = _BY_NAME.search(line)
        if match:
            add("byline", "header", match["name"])
            break
        # "Written by" on its own line, the name (or, after the label, a handle such
        # as "BeauHD") on the next
        if (
            LABEL_LINE.match(line)
            and i + 1 < len(after)
            and (NAME_LINE.match(after[i + 1]) or HANDLE.match(after[i + 1]))
        ):
            add("byline", "header", after[i + 1])
            break
    # "Chirag Bhardwaj / VP - Technology / November 14, 2025": a name-shaped line
    # just before the first date line under the headline
    for i, line in enumerate(after[:25]):
        if find_date_spans(line):
            for previous in reversed(after[max(0, i - 3) : i]):
                if NAME_LINE.match(previous):
                    add("byline", "header-name", previous)
                    break
            break
    # "Matteo Laratta" right under the headline, "John Crenshaw in SEO": a name-shaped
    # line that starts with a known given name
    for line in after[:3]:
        name = line.removesuffix(" in")
        if NAME_LINE.match(name) and is_person(name):
            add("byline", "header-given", name)
            break
