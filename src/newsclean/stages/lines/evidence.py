"""Batch evidence: how many articles of the drop hold each line.

A menu or a footer recurs across the pages of one site; so does syndicated wire copy, which
is body. Recurrence is therefore only a feature the model weighs beside the line's shape,
never a verdict by itself. ``line_keys`` is the map (per article), ``Evidence.of`` the
reduce (over the batch); hashes are stable across processes (not Python's ``hash``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsclean.stages.lines.page import page_lines
from newsclean.stages.lines.units import Unit, units
from newsclean.stages.strip.rules import key


def line_key(text: str) -> int:
    """A stable 64-bit hash of a unit's normalised text."""
    return int.from_bytes(hashlib.blake2b(key(text).encode(), digest_size=8).digest(), "big")


def line_keys(units: Iterable[Unit]) -> list[int]:
    """The distinct keys of an article's units, sorted (the map)."""
    return sorted({line_key(u.text) for u in units})


def text_keys(text: str) -> list[int]:
    """The map over a page's text: the keys of its units."""
    return line_keys(units(page_lines(text)))


@dataclass(frozen=True)
class Evidence:
    """Keys held by two or more articles of the batch, with their counts."""

    articles: int
    counts: dict[int, int]

    @classmethod
    def of(cls, parts: Iterable[Sequence[int]]) -> Evidence:
        counts: Counter[int] = Counter()
        n = 0
        for part in parts:
            n += 1
            counts.update(part)
        return cls(n, {k: c for k, c in sorted(counts.items()) if c >= 2})

    def others(self, units: Sequence[Unit]) -> tuple[int, ...]:
        """Per unit, how many other articles hold it."""
        return tuple(max(0, self.counts.get(line_key(u.text), 1) - 1) for u in units)
