"""One run: inputs through a chain of stages to JSONL, with the accounting."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from newsclean.runtime.engine import run_records
from newsclean.runtime.options import ExecOptions, IngestOptions
from newsclean.runtime.output import open_output, projected
from newsclean.runtime.reader import Inputs
from newsclean.runtime.report import Report
from newsclean.stages.base import AnyStage


@dataclass(frozen=True)
class RunOptions:
    """Where a run writes.

    output: JSONL destination; ``None`` or ``-`` is stdout.
    rejects: where rejected inputs go, one JSON object per line with the reason.
    quiet: no warnings and no summary on stderr.
    timeout: seconds one article may spend in one stage before it is rejected
        (0: no limit).
    fields: write only these fields (all when empty); drop: leave these out.
    max_rejects: records that may be rejected before the run fails (with
        ``skip_invalid``; -1: no limit).
    """

    output: str | None = None
    rejects: str | None = None
    quiet: bool = False
    timeout: float = 30.0
    fields: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    max_rejects: int = -1


def run(
    paths: Iterable[str],
    stages: Sequence[AnyStage],
    ingest: IngestOptions,
    options: RunOptions,
    stdin: IO[bytes] | None = None,
    stderr: IO[str] | None = None,
    execution: ExecOptions | None = None,
    state: str | None = None,
) -> Report:
    """Read ``paths``, run ``stages``, write the records; return the accounting.

    ``execution`` says where the stages run (this process by default; see
    :mod:`engine`); ``state`` names a state file for an incremental,
    resumable run (see :mod:`state`).
    """
    execution = execution or ExecOptions(timeout=options.timeout)
    report = Report(stderr=stderr or sys.stderr, quiet=options.quiet)
    with contextlib.ExitStack() as stack:
        if options.rejects:
            report.rejects = stack.enter_context(open_output(options.rejects))
        if state is not None:
            from newsclean.runtime.state import run_with_state

            # the output is opened only once the work is committed: a run killed
            # before that leaves no trace of an output, not even a temporary file
            def output(path: str | None) -> Any:
                return projected(path, options.fields, options.drop)

            run_with_state(state, paths, stages, ingest, execution, report, options.output, output)
        else:
            out = stack.enter_context(projected(options.output, options.fields, options.drop))
            inputs = Inputs.expand(paths, report)
            run_records(inputs, stages, ingest, execution, report, out, stdin=stdin)
    return report
