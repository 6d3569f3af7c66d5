"""Physical lines joined into units: the lines of a hard-wrapped paragraph become one unit.

The model labels units, not physical lines: a teaser or a comment wrapped at 72 columns is
one decision, and its second line does not look like a fragment of body text. A unit
remembers which physical lines it holds, so labels given to physical lines (training data)
map onto units and back.

A text counts as hard-wrapped when most of its line breaks fall inside sentences; only then
are lines joined, and never across a blank line.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

from newsclean.stages.lines.page import Line

FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "but",
        "nor",
        "as",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "his",
        "her",
        "its",
        "their",
        "our",
        "your",
        "my",
        "this",
        "these",
        "those",
        "than",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "before",
        "between",
        "during",
        "against",
        "through",
        "per",
        "via",
        "said",
        "says",
        "told",
        "if",
        "when",
        "while",
        "where",
        "not",
        "no",
    ]
)
_SENTENCE_END = (".", "!", "?", ":", ";", "”", '"', "…")


class Unit(NamedTuple):
    """One or more physical lines read as one: ``first`` is the index of its first line
    among the page's lines, ``size`` how many it holds."""

    text: str
    first: int
    size: int
    blank_before: bool


def _first_letter(line: str) -> str:
    for c in line[:8]:
        if c.isalnum():
            return c
    return line[:1]


def _title_case(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 4 and all(
        w[:1].isupper() or w.lower() in FUNCTION_WORDS for w in words
    )


def continues(prev: str, nxt: str, width: int = 0) -> bool:
    """Does ``nxt`` carry on the sentence ``prev`` broke off? ``width``: the wrap width,
    if known; a ``prev`` that fills it was broken by the wrapper."""
    if prev.endswith(_SENTENCE_END):
        return False
    first = _first_letter(nxt)
    if first.islower() or prev.endswith((",", "-", "–", "—", "(")):
        return True
    if prev[prev.rfind(" ") + 1 :].lower() in FUNCTION_WORDS:
        return True
    if width and len(prev) >= 0.85 * width and not _title_case(nxt):
        return True
    return first.isdigit() and not nxt[1:3].startswith((".", ")"))


def hard_wrapped(lines: Sequence[Line]) -> bool:
    """Most breaks between adjacent lines fall inside sentences."""
    pairs = [(a.text, b.text) for a, b in itertools.pairwise(lines) if not b.blank_before]
    if len(pairs) < 3:
        return False
    wraps = sum(continues(a, b) for a, b in pairs)
    return wraps >= max(3, 0.3 * len(pairs))


def _width(lines: Sequence[Line]) -> int:
    lengths = sorted(len(ln.text) for ln in lines)
    return lengths[int(len(lengths) * 0.9)] if len(lengths) >= 10 else 0


def units(lines: Sequence[Line]) -> list[Unit]:
    """The page's units, in order; one per line unless the text is hard-wrapped."""
    if not hard_wrapped(lines):
        return [Unit(ln.text.strip(), ln.index, 1, ln.blank_before) for ln in lines]
    width = _width(lines)
    out: list[Unit] = []
    prev_raw = ""
    for ln in lines:
        text = ln.text.strip()
        if out and not ln.blank_before and continues(prev_raw, text, width):
            last = out[-1]
            joined = last.text + text if last.text.endswith("-") else f"{last.text} {text}"
            out[-1] = Unit(joined, last.first, last.size + 1, last.blank_before)
        else:
            out.append(Unit(text, ln.index, 1, ln.blank_before))
        prev_raw = text
    return out
