"""A page's text as the unit the line model labels: its non-blank physical lines.

Training data (``train/labels.py``) and the model at run time both split a page with
``page_lines``, so a label always refers to the same line the model will see. The text is
normalised first: CRLF and lone CR become LF, a leading BOM goes, a line made only of
whitespace (spaces, tabs, NBSP and other Unicode spaces) counts as blank, and trailing
whitespace is stripped. Leading whitespace and the rest of the line are kept as written.
"""

from __future__ import annotations

from typing import NamedTuple


class Line(NamedTuple):
    """One non-blank line: its text, whether blank lines came right before it, and its
    position among the page's non-blank lines (0-based)."""

    text: str
    blank_before: bool
    # shadows tuple.index on purpose: the name the model and the labels share
    index: int  # type: ignore[assignment]


def normalise(text: str) -> str:
    """``text`` with LF line ends and no leading BOM."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def page_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, each rstripped. ``blank_before`` is true when one or
    more blank (or whitespace-only) lines precede the line; the first line has it false."""
    lines: list[Line] = []
    blank = False
    for raw in normalise(text).split("\n"):
        stripped = raw.rstrip()
        if not stripped:  # str.isspace covers NBSP, tabs and the other Unicode spaces
            blank = True
            continue
        lines.append(Line(stripped, blank and bool(lines), len(lines)))
        blank = False
    return lines
