"""The two narrow interfaces every stage implements.

* :class:`Stage` is per article: ``apply(record) -> record``, a pure function that
  returns a new dict. It may raise :class:`~newsclean.errors.Reject`.
* :class:`BatchStage` needs evidence from the whole batch (names, recurring
  boilerplate lines): ``map`` each record to a small summary, ``reduce`` the
  summaries to a model, then ``apply(record, model)`` per record.

That shape is what lets one code path run in one process, a process pool or on
Dask: maps and applies go to workers, the reduce runs on the client. Stages are
plain picklable objects (a frozen config, no open handles).

The runtime calls a stage only through what is declared here: ``prepare``
(before a pool forks), ``with_state`` (``clean --state``) and, on a batch
stage, ``keeps_evidence``. Each has a default that does nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any

from newsclean.record import Record


class Stage(ABC):
    """A per-article step."""

    name: str = "stage"

    @abstractmethod
    def apply(self, record: Record) -> Record: ...

    def prepare(self) -> None:
        """Load now what ``apply`` would load on first use (models, profiles).

        A process pool calls it before it forks its workers, so they share one
        copy instead of each loading its own. It must not change what ``apply``
        returns; the default does nothing."""
        return None

    def with_state(self, path: str) -> Stage:
        """The stage for a ``clean --state`` run whose state file is ``path``: one
        that keeps something across runs keeps it there. The default is itself."""
        return self


class BatchStage(ABC):
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

    def prepare(self) -> None:
        """As :meth:`Stage.prepare`."""
        return None

    def with_state(self, path: str) -> BatchStage:
        """As :meth:`Stage.with_state` (names keeps its registry in the state file)."""
        return self

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
