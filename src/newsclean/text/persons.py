"""Is a bare line a person's name? Known given names, and the byline labels.

Shared by extract (names under a page's headline) and split (byline lines); the
lists are data: ``data/names/given_names.txt`` and ``data/split/labels.txt``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from newsclean.text.fold import fold

#: titles that may come before a given name
_HONORIFICS = ("dr", "prof", "mr", "mrs", "ms")


def _data_lines(*parts: str) -> list[str]:
    text = resources.files("newsclean").joinpath("data", *parts).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@cache
def given_names() -> frozenset[str]:
    """The given names of the ``names`` stage (``data/names/given_names.txt``): the
    evidence that a bare line with no "By" label is a person."""
    return frozenset(_data_lines("names", "given_names.txt"))


@cache
def byline_labels() -> tuple[str, ...]:
    """The words that open a byline ("By", "Written by"), as written in
    ``data/split/labels.txt``."""
    return tuple(_data_lines("split", "labels.txt"))


def is_person(name: str) -> bool:
    """Whether a name found with no label starts with a known given name."""
    words = [w for w in name.split() if w.lower().rstrip(".") not in _HONORIFICS]
    return bool(words) and fold(words[0].strip(".,")) in given_names()
