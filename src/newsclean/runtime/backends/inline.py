"""``-j 1``: every chunk in this process, no pickling, no processes."""

from __future__ import annotations

from typing import Any

from newsclean.runtime.backends.base import Ready
from newsclean.runtime.wire import Chunk, PhaseSpec
from newsclean.runtime.worker import run_chunk


class InlineBackend:
    """Everything in this process (``-j 1``)."""

    window = 1

    def bind(self, spec: PhaseSpec) -> Any:
        return spec

    def submit(self, handle: Any, chunk: Chunk) -> Any:
        return Ready(run_chunk(handle, chunk))

    def close(self, abort: bool = False) -> None:
        return None
