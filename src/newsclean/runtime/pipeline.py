"""The reference runner: a chain of stages over records, in one process.

The plainest correct order of work: each phase (:mod:`.phase`) over every
record in turn, the records between a batch stage's fit and its apply spilled
to disk as the engine spills them. ``clean`` runs on :mod:`.engine`, and the
tests hold it to this one's output. The stage interfaces themselves live in
:mod:`newsclean.stages.base`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from newsclean.record import Record
from newsclean.runtime.phase import Phase, Refused, apply_phase, plan, where
from newsclean.runtime.report import Report
from newsclean.runtime.stores import SpillStore
from newsclean.runtime.wire import Done, pack_records, unpack_records
from newsclean.stages.base import AnyStage

#: records per spilled chunk
_SPILL_RECORDS = 64


def run_sequential(
    records: Iterable[Record], stages: Sequence[AnyStage], report: Report
) -> Iterator[Record]:
    """Run ``stages`` over ``records`` in this process, in input order; a
    rejected record goes to ``report``."""
    stream: Iterable[Record] = records
    model: Any = None
    for phase in plan(stages):
        phase = dataclasses.replace(phase, model=model)
        if phase.post is None:
            yield from (record for record, _ in _applied(phase, stream, report))
            return
        spill = SpillStore()
        parts: list[Any] = []
        chunks = 0
        batch: list[Record] = []
        for record, part in _applied(phase, stream, report):
            parts.append(part)
            batch.append(record)
            if len(batch) == _SPILL_RECORDS:
                spill.put(0, chunks, Done([], pack_records(batch)))
                chunks, batch = chunks + 1, []
        if batch:
            spill.put(0, chunks, Done([], pack_records(batch)))
            chunks += 1
        model = phase.post.reduce(parts)
        stream = _unspilled(spill, chunks)


def _applied(
    phase: Phase, records: Iterable[Record], report: Report
) -> Iterator[tuple[Record, Any]]:
    for record in records:
        try:
            yield apply_phase(phase, record)
        except Refused as refused:
            report.reject(
                where(refused.record),
                refused.reject.reason,
                refused.record,
                refused.reject.filtered,
            )


def _unspilled(spill: SpillStore, chunks: int) -> Iterator[Record]:
    try:
        for index in range(chunks):
            done = spill.get(0, index)
            yield from unpack_records(done.records if done else b"")
    finally:
        spill.close()
