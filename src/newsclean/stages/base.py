"""The two narrow interfaces every stage implements, and the contract they share.

* :class:`Stage` is per article: ``apply(record) -> record``, a pure function that
  returns a new dict. It may raise :class:`~newsclean.errors.Reject`.
* :class:`BatchStage` needs evidence from the whole batch (names, recurring
  boilerplate lines): ``map`` each record to a small summary, ``reduce`` the
  summaries to a model, then ``apply(record, model)`` per record.

That shape is what lets one code path run in one process, a process pool or on
Dask: maps and applies go to workers, the reduce runs on the client. Stages are
plain picklable objects (a frozen config, no open handles).

The contract (#17). Every stage is safe on any record another stage wrote, and
running it again changes nothing. A subclass writes only its own ``apply`` (and
``map``); this module wraps them, once, when the class is defined, so every
stage, today's and tomorrow's, inherits the same rules:

1. A record lists in ``stages`` (:data:`APPLIED`) the stages it has been through.
   A stage already listed returns the record unchanged (:meth:`Stage.again`).
2. A stage whose input field (:attr:`Stage.works_on`) the record lacks has nothing
   to do: the record passes unchanged and unmarked (extract on a text record).
3. A stage does not run on a record a later stage of :data:`ORDER` has been
   through (strip after split would rebuild the body split cut): it stops the run
   with :class:`OrderError`, which names the stage that must come first.
4. A stage stops the same way when a stage it :attr:`~Stage.requires` has not run
   and the record still holds that stage's input (strip on a record with ``html``
   and no extract).
5. Every record a stage writes has ``published``, ``updated`` and
   ``timestamps[].iso`` in one form, RFC 3339 with an offset (:mod:`newsclean.text.rfc3339`).

The runtime calls a stage only through what is declared here: ``prepare``
(before a pool forks), ``with_state`` (``clean --state``) and, on a batch
stage, ``keeps_evidence``. Each has a default that does nothing.
"""

from __future__ import annotations

import functools
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from newsclean.errors import NewscleanError
from newsclean.record import Record
from newsclean.text.rfc3339 import settle_dates

#: The record field listing the stages a record has been through, in order.
APPLIED = "stages"

#: The order of the chain (``clean``), and the stages the contract holds: a stage
#: never runs on a record a stage after it has been through. A stage not in this
#: list (a user's own, a test's) is left alone: it runs wherever it is put, every time.
ORDER: tuple[str, ...] = ("extract", "strip", "split", "names", "lang")

_RANK = {name: i for i, name in enumerate(ORDER)}

#: The chain's own declarations, so a stage rewritten under the same name keeps
#: them: the field a stage works on, and the stages it requires with the field
#: whose presence says the record still needs them. Every stage after extract
#: needs the text extract takes out of ``html``.
WORKS_ON: dict[str, str] = {"extract": "html"}
REQUIRES: dict[str, dict[str, str | None]] = {name: {"extract": "html"} for name in ORDER[1:]}


class OrderError(NewscleanError):
    """A stage met a record it must not work on yet, or any more: the pipeline's
    order is wrong. It stops the run (exit 1): every record would meet it.

    ``first`` is the stage that must come before ``then``; ``stage`` the one that
    stopped."""

    def __init__(self, stage: str, first: str, then: str, record_id: object, why: str):
        self.stage, self.first, self.then = stage, first, then
        self.record_id, self.why = record_id, why
        super().__init__(
            f"{stage}: record {record_id!r} {why}: {first} must come before {then} "
            f"(... | newsclean {first} | newsclean {then} ...)"
        )

    def __reduce__(self) -> tuple[type[OrderError], tuple[str, str, str, object, str]]:
        # raised in worker processes: rebuilt from its arguments on the client
        return (OrderError, (self.stage, self.first, self.then, self.record_id, self.why))


def applied(record: Record) -> list[str]:
    """The stages ``record`` has been through (its ``stages`` field), in order."""
    value = record.get(APPLIED)
    return [s for s in value if isinstance(s, str)] if isinstance(value, list) else []


def _pending(stage: Any, record: Record) -> bool:
    """Has ``stage`` work to do on ``record``? Raises :class:`OrderError` if it
    must not run on it. ``stage`` is a :class:`Stage` or :class:`BatchStage`."""
    name: str = stage.name
    done = applied(record)
    if name in done:
        return False
    works_on = stage.works_on if stage.works_on is not None else WORKS_ON.get(name)
    if works_on is not None and works_on not in record:
        return False
    rank = _RANK.get(name)
    if rank is not None:
        later = [s for s in done if _RANK.get(s, -1) > rank]
        if later:
            why = f"has been through {later[0]} already"
            raise OrderError(name, name, later[0], record.get("id"), why)
    requires = stage.requires if stage.requires is not None else REQUIRES.get(name, {})
    for first, field in requires.items():
        if first not in done and (field is None or record.get(field) is not None):
            why = f"has not been through {first}" + (f" (it still has {field!r})" if field else "")
            raise OrderError(name, first, name, record.get("id"), why)
    return True


def _checked_apply(apply: Callable[..., Record]) -> Callable[..., Record]:
    @functools.wraps(apply)
    def checked(self: Any, record: Record, *args: Any, **kwargs: Any) -> Record:
        if self.name not in _RANK:
            return apply(self, record, *args, **kwargs)  # a user's own stage: no contract
        if not _pending(self, record):
            return self.again(record)  # type: ignore[no-any-return]
        out = apply(self, record, *args, **kwargs)
        # every record a stage writes has its dates in the one form (text.rfc3339)
        out = settle_dates(dict(out) if out is record else out)
        done = applied(record)
        out[APPLIED] = [*done, *(s for s in self.covers if s not in done), self.name]
        return out

    return checked


def _checked_map(map_: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(map_)
    def checked(self: Any, record: Record) -> Any:
        if self.name not in _RANK:
            return map_(self, record)
        # A record the stage will pass unchanged still gives its evidence (its
        # lines, its names); a record the stage must not see stops the run now.
        _pending(self, record)
        return map_(self, record)

    return checked


class _Contract:
    """What :class:`Stage` and :class:`BatchStage` share: the contract's declarations."""

    name: str = "stage"
    #: Stages that must have run first, each with the record field whose presence
    #: says the record still needs it (``{"extract": "html"}``; a field of None:
    #: always). None: the chain's own (:data:`REQUIRES`).
    requires: Mapping[str, str | None] | None = None
    #: The field the stage reads; a record without it passes unchanged.
    #: None: the chain's own (:data:`WORKS_ON`), else any record.
    works_on: str | None = None
    #: Earlier stages of :data:`ORDER` whose work this stage's output holds too, so the
    #: record lists them as done (``clean`` runs split for strip and split at once).
    covers: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Every concrete apply and map is wrapped once, where it is defined, so a
        # stage inherits the contract without knowing about it.
        for method, wrap in (("apply", _checked_apply), ("map", _checked_map)):
            fn = cls.__dict__.get(method)
            if fn is not None and not getattr(fn, "__isabstractmethod__", False):
                setattr(cls, method, wrap(fn))

    def again(self, record: Record) -> Record:
        """What the stage does to a record it has been through already: nothing,
        by default (``lang --keep`` still filters)."""
        return record

    def prepare(self) -> None:
        """Load now what ``apply`` would load on first use (models, profiles).

        A process pool calls it before it forks its workers, so they share one
        copy instead of each loading its own. It must not change what ``apply``
        returns; the default does nothing."""
        return None


class Stage(_Contract, ABC):
    """A per-article step."""

    name: str = "stage"

    @abstractmethod
    def apply(self, record: Record) -> Record: ...

    def with_state(self, path: str) -> Stage:
        """The stage for a ``clean --state`` run whose state file is ``path``: one
        that keeps something across runs keeps it there. The default is itself."""
        return self


class BatchStage(_Contract, ABC):
    """A step that fits a model over the batch before it applies per article."""

    name: str = "batch-stage"

    @abstractmethod
    def map(self, record: Record) -> Any:
        """A small, picklable summary of one record (never the record itself)."""

    @abstractmethod
    def reduce(self, parts: Iterable[Any]) -> Any:
        """The batch model from all summaries, in input order."""

    @abstractmethod
    def apply(self, record: Record, model: Any) -> Record: ...

    def with_state(self, path: str) -> BatchStage:
        """As :meth:`Stage.with_state` (names keeps its registry in the state file)."""
        return self

    def commit_state(self, conn: sqlite3.Connection, path: str) -> None:
        """Write what the stage keeps across runs (held back by ``reduce`` in a
        ``--state`` run) through ``conn``, inside the transaction that commits the
        run to the state file ``path`` (resolved): a run killed before it leaves
        nothing behind. The default has nothing to write."""
        return None

    @property
    def keeps_evidence(self) -> bool:
        """True if the stage carries its evidence across runs itself: ``--state``
        then does not feed it the stored summaries of earlier runs again."""
        return False

    def fit(self, records: Iterable[Record]) -> Any:
        return self.reduce(self.map(r) for r in records)


AnyStage = Stage | BatchStage


def segments(stages: Sequence[AnyStage]) -> list[tuple[list[Stage], BatchStage | None]]:
    """Split a chain into runs of per-article stages, each ended by a batch stage
    (or by the end of the chain)."""
    out: list[tuple[list[Stage], BatchStage | None]] = []
    run: list[Stage] = []
    for stage in stages:
        if isinstance(stage, BatchStage):
            out.append((run, stage))
            run = []
        else:
            run.append(stage)
    out.append((run, None))
    return out
