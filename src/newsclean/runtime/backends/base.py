"""The interface every backend implements, and a future that is already resolved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from newsclean.runtime.wire import Chunk, PhaseSpec
from newsclean.stages.base import AnyStage


class Backend(Protocol):
    """Runs :func:`worker.run_chunk` on chunks somewhere.

    window: chunks the engine keeps in flight (memory stays bounded).
    bind: make a phase's spec available to the workers; gives a handle.
    submit: start a chunk of a bound phase; gives a future (``.result()``).
    close: stop; ``abort`` when the work in flight is not wanted.
    """

    window: int

    def bind(self, spec: PhaseSpec) -> Any: ...
    def submit(self, handle: Any, chunk: Chunk) -> Any: ...
    def close(self, abort: bool = False) -> None: ...


class Ready:
    """A future that is already resolved."""

    def __init__(self, value: Any):
        self._value = value

    def result(self) -> Any:
        return self._value


def warm_up(stages: Sequence[AnyStage]) -> None:
    """Have each stage load what it loads on first use (``prepare``), in this
    process, before the pool forks: the workers then share it."""
    for stage in stages:
        stage.prepare()
