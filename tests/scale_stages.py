"""Small stages for the executor tests (a module of its own so worker processes,
local or Dask, import it by name), and a driver the kill test runs as a process."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsclean.errors import Reject
from newsclean.record import Record, body_or_text
from newsclean.stages.base import BatchStage, Stage


@dataclass(frozen=True)
class Trim(Stage):
    """Per article: body = text without lines starting with 'Advert', which go
    to ``removed`` (so the run counts removed lines)."""

    name = "trim"

    def apply(self, record: Record) -> Record:
        kept, removed = [], []
        for line in body_or_text(record).splitlines():
            if line.startswith("Advert"):
                removed.append({"text": line, "rule": "trim.advert"})
            else:
                kept.append(line)
        return {
            **record,
            "body": "\n".join(kept),
            "removed": [*record.get("removed", []), *removed],
        }


@dataclass(frozen=True)
class Recurring(BatchStage):
    """Batch: a line found in ``min_docs`` or more records is boilerplate."""

    name = "recurring"
    min_docs: int = 2

    def map(self, record: Record) -> Any:
        return sorted(set(body_or_text(record).splitlines()))

    def reduce(self, parts: Iterable[Any]) -> Any:
        counts: Counter[str] = Counter()
        for lines in parts:
            counts.update(lines)
        return frozenset(line for line, n in counts.items() if n >= self.min_docs)

    def apply(self, record: Record, model: Any) -> Record:
        kept, removed = [], []
        for line in body_or_text(record).splitlines():
            (removed if line in model else kept).append(line)
        gone = [{"text": line, "rule": "recurring"} for line in removed]
        return {**record, "body": "\n".join(kept), "removed": [*record.get("removed", []), *gone]}


@dataclass(frozen=True)
class RejectBad(Stage):
    """Rejects a record whose text says REJECT."""

    name = "reject-bad"

    def apply(self, record: Record) -> Record:
        if "REJECT" in body_or_text(record):
            raise Reject("bad: the article asked for it")
        return record


@dataclass(frozen=True)
class Hang(Stage):
    """Spins forever (in Python) on a record whose text says HANG."""

    name = "hang"

    def apply(self, record: Record) -> Record:
        if "HANG" in body_or_text(record):
            while True:
                pass
        return record


@dataclass(frozen=True)
class StuckInC(Stage):
    """Stands for code stuck where no signal reaches (deep in C): it blocks the
    alarm signal, then spins, on a record whose text says STUCK."""

    name = "stuck"

    def apply(self, record: Record) -> Record:
        if "STUCK" in body_or_text(record):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            while True:
                pass
        return record


@dataclass(frozen=True)
class Slow(Stage):
    """Sleeps per record and logs the id it saw (the kill test counts them)."""

    name = "slow"
    seconds: float = 0.05
    log: str = ""

    def apply(self, record: Record) -> Record:
        time.sleep(self.seconds)
        if self.log:
            with open(self.log, "a", encoding="utf-8") as f:
                f.write(record["id"] + "\n")
        return {**record, "lang": "en"}


def main(argv: list[str]) -> None:
    """``python -m tests.scale_stages FOLDER OUT STATE LOG``: a run with the state
    file and slow stages, for the kill test."""
    from newsclean.runtime.options import ExecOptions, IngestOptions
    from newsclean.runtime.run import RunOptions, run

    folder, out, state, log = argv
    stages = [Trim(), Recurring(), Slow(log=log)]
    run(
        [folder],
        stages,
        IngestOptions(),
        RunOptions(output=out, quiet=True),
        execution=ExecOptions(jobs=2, chunk_records=2),
        state=state,
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main(sys.argv[1:])


class Dies(Stage):
    """Stands for a worker killed from outside (out of memory): the process
    exits on a record whose text says DIE."""

    name = "dies"

    def apply(self, record: Record) -> Record:
        if "DIE" in body_or_text(record):
            os._exit(9)
        return record
