"""The reference runner: a chain of stages over records, in one process.

The stage interfaces themselves live in :mod:`newsclean.stages.base`.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from newsclean.errors import Reject
from newsclean.record import Record
from newsclean.runtime.report import Report
from newsclean.stages.base import AnyStage, BatchStage, Stage, segments


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
    :mod:`newsclean.runtime.executors`, and the tests hold those to this one's output."""
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
