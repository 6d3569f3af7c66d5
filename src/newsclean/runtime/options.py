"""The options of a run: how inputs become records (IngestOptions) and how the
run executes (ExecOptions: workers, executor, time limit, chunk size)."""

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


@dataclass(frozen=True)
class IngestOptions:
    """How inputs become records.

    skip_invalid: reject a malformed input (JSONL line, unreadable or binary file)
        and go on, instead of stopping the run at it.
    ids: ``name`` takes the file name without extensions as the id; ``path`` takes
        the path relative to the folder given, for drops where names repeat.
    unique_ids: give a repeated id a ``-2``, ``-3``... suffix instead of failing.
    max_bytes: refuse an article (or a JSONL line) larger than this once
        decompressed: it protects against gzip bombs.
    """

    skip_invalid: bool = False
    ids: Literal["name", "path"] = "name"
    unique_ids: bool = False
    max_bytes: int = 100 * 1024 * 1024
