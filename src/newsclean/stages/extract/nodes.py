"""The text of a page's elements as the metadata readers want it: one clean line,
the visible text nodes, the text just after and before an element."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from typing import Any

from lxml.etree import XPath

_SPACE = re.compile(r"\s+")


def clean_text(value: str) -> str:
    """One line, single spaces; HTML entities left in JSON-LD (``&#8217;``) decoded."""
    if "&" in value:
        value = html_lib.unescape(value)
    return _SPACE.sub(" ", value).strip()


def element_text(element: Any) -> str:
    """The text of an element, its text nodes joined by spaces (so that
    ``<b>By</b>Jane`` does not read "ByJane")."""
    return clean_text(" ".join(element.itertext()))


HIDDEN = frozenset({"script", "style", "noscript", "template"})
_VISIBLE_TEXT = XPath(
    "descendant::text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
)


def visible_texts(element: Any) -> Iterator[str]:
    """The visible text nodes of ``element`` in document order (not its tail)."""
    if not isinstance(element.tag, str) or element.tag in HIDDEN:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from visible_texts(child)
        if child.tail:
            yield child.tail


def following_texts(anchor: Any) -> Iterator[str]:
    """Text nodes after ``anchor`` in document order, walking siblings then the
    siblings of each ancestor: only what is read is visited (an XPath
    ``following::`` axis would collect the rest of the page first)."""
    node = anchor
    while node is not None:
        if node.tail:
            yield node.tail
        for sibling in node.itersiblings():
            yield from visible_texts(sibling)
            if sibling.tail:
                yield sibling.tail
        node = node.getparent()
        if node is not None and node.tag == "body":
            return


def preceding_texts(anchor: Any, limit: int) -> list[str]:
    """Up to ``limit`` non-blank text nodes just before ``anchor``, in document order."""
    out: list[str] = []
    node = anchor
    while node is not None and node.tag != "body" and len(out) < limit:
        for sibling in node.itersiblings(preceding=True):
            inner = _VISIBLE_TEXT(sibling) if isinstance(sibling.tag, str) else []
            texts = [t for t in (*inner[-limit:], sibling.tail or "") if t.strip()]
            out[:0] = texts
            if len(out) >= limit:
                break
        node = node.getparent()
    return out[-limit:]
