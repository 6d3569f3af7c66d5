"""Stages and the runner that chains them.

Two kinds of step, one narrow interface each:

* :class:`Stage` is per article: ``apply(record) -> record``, a pure function that
  returns a new dict. It may raise :class:`~newsclean.errors.Reject`.
* :class:`BatchStage` needs evidence from the whole batch (names, recurring
  boilerplate lines): ``map`` each record to a small summary, ``reduce`` the
  summaries to a model, then ``apply(record, model)`` per record.

That shape is what lets one code path run in one process, a process pool or on
Dask: maps and applies go to workers, the reduce runs on the client. Stages are
plain picklable objects (a frozen config, no open handles).
"""

from __future__ import annotations

import pickle
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .errors import Reject
from .record import Record
from .report import Report


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


def apply_chain(record: Record, stages: Sequence[Stage]) -> Record:
    for stage in stages:
        record = stage.apply(record)
    return record


def _where(record: Record) -> str:
    source = record.get("source") or {}
    line = source.get("line")
    path = source.get("path", "?")
    return f"{path}:{line}" if line else str(path)


def guarded(fn: Callable[[Record], Record], report: Report) -> Callable[[Record], Record | None]:
    """Wrap a per-record function so a :class:`Reject` goes to the report."""

    def run(record: Record) -> Record | None:
        try:
            return fn(record)
        except Reject as exc:
            where = f"{_where(record)} ({record.get('id')})"
            report.reject(where, exc.reason, record, filtered=exc.filtered)
            return None

    return run


class _Spill:
    """Records kept on disk between the fit and the apply of a batch stage, so
    memory does not grow with the number of articles. Pickled, as the executors
    pass records between phases: a third of the CPU of a JSON round trip."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+b")  # noqa: SIM115 (closed after the read)
        self._count = 0

    def write(self, record: Record) -> None:
        pickle.dump(record, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __iter__(self) -> Iterator[Record]:
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)
        self._file.close()


def run_sequential(
    records: Iterable[Record], stages: Sequence[AnyStage], report: Report
) -> Iterator[Record]:
    """Run ``stages`` over ``records`` in this process, in input order.

    The reference runner: the plainest correct order of work. ``clean`` runs on
    :mod:`newsclean.executors`, and the tests hold those to this one's output."""
    stream: Iterable[Record] = records
    for run, batch in segments(stages):
        step = guarded(lambda r, run=run: apply_chain(r, run), report)  # type: ignore[misc]
        applied = (out for out in map(step, stream) if out is not None)
        if batch is None:
            stream = applied
            continue
        spill = _Spill()
        parts = []
        for record in applied:
            parts.append(batch.map(record))
            spill.write(record)
        model = batch.reduce(parts)
        stream = _apply_batch(spill, batch, model, report)
    yield from stream


def _apply_batch(
    records: Iterable[Record], batch: BatchStage, model: Any, report: Report
) -> Iterator[Record]:
    step = guarded(lambda r: batch.apply(r, model), report)
    for record in records:
        out = step(record)
        if out is not None:
            yield out
