"""How a run executes: workers, executor, time limit, chunk size."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

ExecutorName = Literal["local", "dask"]


@dataclass(frozen=True)
class ExecOptions:
    """How a run executes.

    jobs: worker processes (local) or Dask worker processes (local cluster);
        1 runs everything in this process.
    executor: ``local`` (a process pool) or ``dask``.
    scheduler: a Dask scheduler address (``tcp://host:8786``); ``None`` starts a
        local cluster (or uses ``DASK_SCHEDULER_ADDRESS`` when set).
    timeout: seconds one article may spend in one stage; 0 means no limit.
    progress: draw a progress bar on stderr (the CLI sets it when that is a terminal).
    chunk_records: records per task. Chunks are cut by the input alone (this many
        records, or CHUNK_CHARS characters), so the output never depends on it.
    """

    jobs: int = 1
    executor: ExecutorName = "local"
    scheduler: str | None = None
    timeout: float = 30.0
    progress: bool = False
    chunk_records: int = 64

    @property
    def deferring(self) -> bool:
        """Whether workers read article files themselves: they do in a local pool
        (and inline, so -j 1 runs the very same code); Dask workers may be on other
        machines, where the client's paths mean nothing."""
        return self.executor == "local"


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
