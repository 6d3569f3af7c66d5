"""A bounded memo for the lookups made per character or per line, many times a page."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(dict[K, V]):
    """``memo[key]`` is ``function(key)``, worked out on first sight of ``key``.

    A hit is a plain dict lookup (in C: the point of a dict over ``lru_cache``, and
    what lets a memo keyed by code point serve as a ``str.translate`` table). Emptied
    when it holds ``limit`` keys, so input of ever new keys (every code point, the
    lines of a large drop) cannot grow it without bound. ``function`` must be pure:
    threads filling it at once write the same value, so they need no lock."""

    def __init__(self, function: Callable[[K], V], limit: int) -> None:
        super().__init__()
        self.function = function
        self.limit = limit

    def __missing__(self, key: K) -> V:
        value = self.function(key)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
