"""The main text of a page, with trafilatura, from a tree parsed once."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .extract import ExtractConfig

_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")
_MOJIBAKE = re.compile(
    "(?:Ã[\u0080-\u00bf]|â€[\u0080-\u00bf™œ“”˜]|â\u0080[\u0080-\u00bf]|Â[\u00a0-\u00bf])"
)


def parse(html: str) -> Any:
    """An lxml tree of ``html`` (a full page or a fragment), or ``None``."""
    from trafilatura import load_html

    try:
        tree = load_html(html)
    except (ValueError, TypeError):  # pragma: no cover (load_html catches its own)
        tree = None
    if tree is None or tree.tag != "html":
        # a fragment ("<p>text</p>"): lxml gives back the element, not a page
        try:
            tree = load_html(f"<html><body>{html}</body></html>")
        except (ValueError, TypeError):  # pragma: no cover
            return None
    return tree


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


def main_text(tree: Any, config: ExtractConfig) -> str:
    """trafilatura's main text, one block per paragraph, heading, list item and
    table row, blocks separated by a blank line; comments left out."""
    from trafilatura import bare_extraction
    from trafilatura.xml import xmltotxt

    document = bare_extraction(
        tree,
        fast=not config.fallbacks,
        favor_precision=config.precision,
        favor_recall=not config.precision,
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
        if body.find(".//script") is not None:
            return "the page has only scripts, no visible text"
        return "the page has no visible text"
    return "no article-like text in the page (too short or all boilerplate)"
