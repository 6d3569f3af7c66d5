"""One run: inputs through a chain of stages to JSONL, with the accounting."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from .ingest import IngestOptions, read_inputs
from .output import open_output
from .pipeline import AnyStage, run_sequential
from .record import dumps
from .report import Report


@dataclass(frozen=True)
class RunOptions:
    """Where a run writes.

    output: JSONL destination; ``None`` or ``-`` is stdout.
    rejects: where rejected inputs go, one JSON object per line with the reason.
    quiet: no warnings and no summary on stderr.
    """

    output: str | None = None
    rejects: str | None = None
    quiet: bool = False


def run(
    paths: Iterable[str],
    stages: Sequence[AnyStage],
    ingest: IngestOptions,
    options: RunOptions,
    stdin: IO[bytes] | None = None,
    stderr: IO[str] | None = None,
) -> Report:
    """Read ``paths``, run ``stages``, write the records; return the accounting."""
    report = Report(stderr=stderr or sys.stderr, quiet=options.quiet)
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open_output(options.output))
        if options.rejects:
            report.rejects = stack.enter_context(open_output(options.rejects))
        records = read_inputs(paths, ingest, report, stdin=stdin)
        for record in run_sequential(records, stages, report):
            out.write(dumps(record) + "\n")
            report.records_out += 1
            report.removed_lines += len(record.get("removed") or ())
    return report
