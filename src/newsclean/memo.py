"""A bounded memo for the lookups made per character or per line, many times a page."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_LruWrapper: Any = functools._lru_cache_wrapper


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


#: an ``lru_cache`` this large memoises lookups per piece of input (lines, words,
#: names); smaller ones hold loaded resources (rules, profiles), kept for the run
_PER_INPUT = 4096


def clear_memos(package: str = "newsclean") -> int:
    """Empty the per-input memos of ``package``'s modules: every :class:`Memo` and
    every ``lru_cache`` of ``_PER_INPUT`` entries or more. Returns how many.

    They are bounded, but full they hold tens of megabytes of lines and words
    from earlier articles; a long-running worker empties them now and then
    (``executors``) so its memory does not creep up with the variety of what it
    has seen. Their functions are pure: the output does not change."""
    import sys

    seen: set[int] = set()
    for name, module in list(sys.modules.items()):
        if module is None or not (name == package or name.startswith(package + ".")):
            continue
        for value in list(vars(module).values()):
            if id(value) in seen:
                continue
            if isinstance(value, Memo):
                value.clear()
            elif isinstance(value, _LruWrapper):
                cache: Any = value
                maxsize = cache.cache_info().maxsize
                if maxsize is None or maxsize < _PER_INPUT:
                    continue
                cache.cache_clear()
            else:
                continue
            seen.add(id(value))
    return len(seen)
