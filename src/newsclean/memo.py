"""A bounded memo for the lookups made per character or per line, many times a page."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_LruWrapper: Any = functools._lru_cache_wrapper


class Table(dict[K, V]):
    """A bounded table of answers per piece of input (a line, a word), filled by its
    owner with :meth:`put`: for answers worked out by more than a function of the key
    (strip's verdicts under the rules they belong to, split's page-independent reads).

    Emptied when it holds ``limit`` keys. Every table is known to :func:`clear_memos`
    by ``owner`` (a module name), wherever it lives: a module, or an object such as
    strip's compiled rules. A pickled table arrives empty: answers do not travel."""

    def __init__(self, limit: int, owner: str) -> None:
        super().__init__()
        self.limit = limit
        self.owner = owner
        key = id(self)
        _TABLES[key] = weakref.ref(self, lambda _ref: _TABLES.pop(key, None))

    def put(self, key: K, value: V) -> None:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.limit, self.owner))


class Memo(Table[K, V]):
    """``memo[key]`` is ``function(key)``, worked out on first sight of ``key``.

    A hit is a plain dict lookup (in C: the point of a dict over ``lru_cache``, and
    what lets a memo keyed by code point serve as a ``str.translate`` table). Emptied
    when it holds ``limit`` keys, so input of ever new keys (every code point, the
    lines of a large drop) cannot grow it without bound. ``function`` must be pure:
    threads filling it at once write the same value, so they need no lock."""

    def __init__(self, function: Callable[[K], V], limit: int, owner: str = "") -> None:
        super().__init__(limit, owner or getattr(function, "__module__", None) or "")
        self.function = function

    def __missing__(self, key: K) -> V:
        value = self.function(key)
        self.put(key, value)
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.function, self.limit, self.owner))


#: every live :class:`Table` by id (a dict cannot be hashed, so no WeakSet)
_TABLES: dict[int, weakref.ReferenceType[Table[Any, Any]]] = {}


#: an ``lru_cache`` this large memoises lookups per piece of input (lines, words,
#: names); smaller ones hold loaded resources (rules, profiles), kept for the run
_PER_INPUT = 4096


def clear_memos(package: str = "newsclean") -> int:
    """Empty the per-input memos of ``package``'s modules: every :class:`Table` (and
    :class:`Memo`) they own and every ``lru_cache`` of ``_PER_INPUT`` entries or more
    in them. Returns how many.

    They are bounded, but full they hold tens of megabytes of lines and words
    from earlier articles; a long-running worker empties them now and then
    (``runtime.worker``) so its memory does not creep up with the variety of what it
    has seen. Their functions are pure: the output does not change."""
    import sys

    def ours(name: str) -> bool:
        return name == package or name.startswith(package + ".")

    seen: set[int] = set()
    for ref in list(_TABLES.values()):
        table = ref()
        if table is not None and ours(table.owner):
            table.clear()
            seen.add(id(table))
    for name, module in list(sys.modules.items()):
        if module is None or not ours(name):
            continue
        for value in list(vars(module).values()):
            if id(value) in seen:
                continue
            if isinstance(value, Table):
                # a module's own table, whatever its owner says (a Memo of a function
                # from elsewhere, ``Memo(str.upper, ...)``, is owned by no module)
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
