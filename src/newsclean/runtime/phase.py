"""A chain cut into phases, and the one function that applies a phase to a record.

The chain is cut at its batch stages (:func:`~newsclean.stages.base.segments`).
A phase applies, to each record: the previous batch stage's ``apply`` with its
model, the per-article stages, and the next batch stage's ``map``. The
reference runner (:mod:`.pipeline`) and the engine's workers (:mod:`.worker`)
both apply a phase with :func:`apply_phase`; they differ only in how each
operation is called (plainly, or under a time limit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from newsclean.errors import Reject
from newsclean.record import Record
from newsclean.stages.base import AnyStage, BatchStage, Stage, segments


@dataclass(frozen=True)
class Phase:
    """The previous batch stage (with its model), the per-article stages, the
    next batch stage."""

    pre: BatchStage | None
    run: tuple[Stage, ...]
    post: BatchStage | None
    model: Any = None

    def names(self) -> list[str]:
        """Names of the operations, by ordinal (pre, run..., post)."""
        return [
            self.pre.name if self.pre else "",
            *(s.name for s in self.run),
            self.post.name if self.post else "",
        ]


def plan(stages: Sequence[AnyStage]) -> list[Phase]:
    """The phases of a chain (models not known yet)."""
    phases: list[Phase] = []
    pre: BatchStage | None = None
    for run, post in segments(stages):
        phases.append(Phase(pre, tuple(run), post))
        pre = post
    return phases


#: how one operation is called: (ordinal, stage name, function, *args) -> result
Call = Callable[..., Any]


def direct(ordinal: int, name: str, fn: Callable[..., Any], *args: Any) -> Any:
    return fn(*args)


class Refused(Exception):
    """A phase rejected a record: ``record`` is the one the failing step was given."""

    def __init__(self, record: Record, reject: Reject):
        super().__init__(reject.reason)
        self.record, self.reject = record, reject


def apply_phase(phase: Phase, record: Record, call: Call = direct) -> tuple[Record, Any]:
    """The record through ``phase`` and its summary for the next batch stage
    (None without one). Raises :class:`Refused` when a step rejects it."""
    if phase.pre is not None:
        try:
            record = call(0, phase.pre.name, phase.pre.apply, record, phase.model)
        except Reject as exc:
            raise Refused(record, exc) from None
    given = record
    try:
        for ordinal, stage in enumerate(phase.run, 1):
            record = call(ordinal, stage.name, stage.apply, record)
        part = None
        if phase.post is not None:
            part = call(len(phase.run) + 1, phase.post.name, phase.post.map, record)
    except Reject as exc:
        raise Refused(given, exc) from None
    return record, part


def where(record: Record) -> str:
    """Where a rejected record came from, as the report shows it: ``path:line (id)``."""
    source = record.get("source") or {}
    line = source.get("line")
    path = source.get("path", "?")
    place = f"{path}:{line}" if line else str(path)
    return f"{place} ({record.get('id')})"
