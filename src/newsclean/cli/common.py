"""What every record command shares: its input/output options and its exit codes.

``record_command`` adds the shared options to a command's own, so each command
declares only what is particular to it and receives the shared ones as ``io``.
"""

import functools
import inspect
import math
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Optional

import typer

from newsclean.errors import NewscleanError
from newsclean.runtime.options import ExecOptions, IngestOptions
from newsclean.runtime.output import STDOUT, OutputError, clash
from newsclean.runtime.report import Report, one_line
from newsclean.runtime.run import RunOptions, run
from newsclean.stages.base import AnyStage


@dataclass(frozen=True)
class IOArgs:
    paths: list[str]
    ingest: IngestOptions
    run: RunOptions


_PATHS = inspect.Parameter(
    "paths",
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    annotation=Optional[list[str]],  # noqa: UP045 (typer needs Optional at runtime on 3.10)
    default=typer.Argument(
        None,
        help="Files, folders (recursive), globs; '-' or nothing for stdin. "
        ".txt, .html, .jsonl/.json, each optionally .gz.",
        show_default=False,
    ),
)

_SHARED: list[tuple[str, Any, Any]] = [
    (
        "output",
        Optional[str],  # noqa: UP045
        typer.Option(
            None, "-o", "--output", help="Write here (atomically; .gz compresses) not stdout."
        ),
    ),
    (
        "skip_invalid",
        bool,
        typer.Option(
            False,
            "--skip-invalid",
            help="Skip malformed inputs instead of stopping; their count goes to stderr.",
        ),
    ),
    (
        "rejects",
        Optional[str],  # noqa: UP045
        typer.Option(None, "--rejects", help="Write rejected inputs here with their reason."),
    ),
    (
        "ids",
        str,
        typer.Option(
            "name",
            "--ids",
            help="'name': id is the file name without extensions; "
            "'path': the path below the folder given.",
        ),
    ),
    (
        "unique_ids",
        bool,
        typer.Option(
            False, "--unique-ids", help="Suffix repeated ids (-2, -3) instead of failing."
        ),
    ),
    (
        "max_bytes",
        int,
        typer.Option(
            IngestOptions.max_bytes,
            "--max-bytes",
            help="Refuse an article larger than this (decompressed).",
        ),
    ),
    (
        "timeout",
        float,
        typer.Option(
            RunOptions.timeout,
            "--timeout",
            help="Seconds one article may spend in one stage; past it the article "
            "is rejected with the reason and the run goes on (0: no limit).",
        ),
    ),
    (
        "max_rejects",
        int,
        typer.Option(
            -1,
            "--max-rejects",
            metavar="N",
            help="With --skip-invalid (implied): fail (exit 1) when more than N inputs "
            "are rejected (-1: no limit).",
            show_default=False,
        ),
    ),
    (
        "fields",
        Optional[str],  # noqa: UP045
        typer.Option(
            None, "--fields", metavar="A,B", help="Write only these fields (e.g. id,title,body)."
        ),
    ),
    (
        "drop",
        Optional[str],  # noqa: UP045
        typer.Option(
            None, "--drop", metavar="A,B", help="Leave these fields out (e.g. text,removed)."
        ),
    ),
    (
        "quiet",
        bool,
        typer.Option(False, "-q", "--quiet", help="No warnings, summary or progress."),
    ),
]


def record_command(fn: Callable[..., None]) -> Callable[..., None]:
    """Give ``fn(io: IOArgs, ...)`` the shared arguments and options."""
    own = [p for p in inspect.signature(fn).parameters.values() if p.name != "io"]
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=ann, default=default)
        for name, ann, default in _SHARED
    ]

    @functools.wraps(fn)
    def wrapper(**kwargs: Any) -> None:
        ids = kwargs.pop("ids")
        if ids not in ("name", "path"):
            raise typer.BadParameter("must be 'name' or 'path'", param_hint="--ids")
        max_rejects = kwargs.pop("max_rejects")
        fields, drop = (
            _names(kwargs.pop("fields"), "--fields"),
            _names(kwargs.pop("drop"), "--drop"),
        )
        if fields and drop:
            raise typer.BadParameter("give --fields or --drop, not both", param_hint="--drop")
        _check_values(kwargs)
        io = IOArgs(
            paths=kwargs.pop("paths") or ["-"],
            ingest=IngestOptions(
                skip_invalid=kwargs.pop("skip_invalid") or max_rejects >= 0,
                ids=ids,
                unique_ids=kwargs.pop("unique_ids"),
                max_bytes=kwargs.pop("max_bytes"),
            ),
            run=RunOptions(
                output=kwargs.pop("output"),
                rejects=kwargs.pop("rejects"),
                quiet=kwargs.pop("quiet"),
                timeout=kwargs.pop("timeout"),
                fields=fields,
                drop=drop,
                max_rejects=max_rejects,
            ),
        )
        refuse_clashes(io)
        with exit_codes():
            fn(io=io, **kwargs)

    params = [_PATHS, *own, *shared]
    wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__  # typer must see the new signature, not fn's
    return wrapper


def _names(value: str | None, option: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in (value or "").split(",") if n.strip())
    if value is not None and not names:
        raise typer.BadParameter("give field names separated by commas", param_hint=option)
    return names


#: the longest --timeout: the system's timers overflow not far above it
MAX_TIMEOUT = 365 * 24 * 3600


def _check_values(kwargs: dict[str, Any]) -> None:
    """Option values that would make every article a reject are usage errors."""
    timeout = kwargs["timeout"]
    if not math.isfinite(timeout) or timeout < 0 or timeout > MAX_TIMEOUT:
        raise typer.BadParameter(
            f"must be a number of seconds above 0 and at most {MAX_TIMEOUT} (a year), "
            f"or 0 for no limit (not {timeout})",
            param_hint="--timeout",
        )
    if kwargs["max_bytes"] < 1:
        raise typer.BadParameter(
            f"must be 1 or more (not {kwargs['max_bytes']})", param_hint="--max-bytes"
        )
    for name in ("output", "rejects"):
        if kwargs[name] == "":
            raise typer.BadParameter("empty file name", param_hint=_FLAG[name])


_FLAG = {"output": "--output", "rejects": "--rejects"}


def refuse_clashes(
    io: IOArgs,
    outputs: Sequence[tuple[str, str | None]] = (),
    inputs: Sequence[str] = (),
) -> None:
    """Two outputs on one file, or an output on an input, are usage errors,
    found before anything is read (``-o in.jsonl --rejects in.jsonl`` would
    replace the input's records with the reject rows).

    ``outputs``: (option, path) beyond ``-o`` and ``--rejects``; ``inputs``:
    files read beyond the inputs (an alias or rules file)."""
    named = [("--output", io.run.output), ("--rejects", io.run.rejects), *outputs]
    problem = clash([(o, p) for o, p in named if p], [*io.paths, *inputs])
    if problem is not None:
        raise typer.BadParameter(problem[1], param_hint=problem[0])


class exit_codes:
    """Turn core exceptions into messages and exit codes: 1 for bad input or
    failure, 0 and silence when the reader went away (``| head``)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if exc is None:
            return
        if isinstance(exc, OutputError) and exc.path == STDOUT:
            _quiet_stdout()  # what is still buffered for it goes nowhere, quietly
        if isinstance(exc, NewscleanError):
            typer.echo(f"newsclean: {one_line(str(exc))}", err=True)
            raise typer.Exit(1)
        if isinstance(exc, (OSError, sqlite3.Error, MemoryError)) and not isinstance(
            exc, BrokenPipeError
        ):
            # the safety net: a failure of the machine (a full temporary folder,
            # memory) is one line, not a traceback
            typer.echo(f"newsclean: {_machine_failure(exc)}", err=True)
            raise typer.Exit(1)
        if isinstance(exc, BrokenPipeError):
            _quiet_stdout()
            raise typer.Exit(0)
        if isinstance(exc, KeyboardInterrupt):
            typer.echo("newsclean: interrupted", err=True)
            raise typer.Exit(130)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush is quiet too."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _machine_failure(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    # no file named: the temporary files (spilled records, the id index)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"{tempfile.gettempdir()} (temporary files, TMPDIR): {reason}"


def execute(
    io: IOArgs,
    stages: Sequence[AnyStage],
    execution: ExecOptions | None = None,
    state: str | None = None,
) -> Report:
    """Run a command's stages, print the summary line (and a progress bar on a
    terminal) unless -q, and settle the exit code from the accounting."""
    start = time.perf_counter()
    execution = replace(
        execution or ExecOptions(timeout=io.run.timeout),
        progress=not io.run.quiet and sys.stderr.isatty(),
    )
    report = run(
        io.paths, stages, io.ingest, io.run, stdin=_stdin(), execution=execution, state=state
    )
    report.seconds = time.perf_counter() - start
    if not io.run.quiet:
        typer.echo(f"newsclean: {report.summary()}", err=True)
    allowed = io.run.max_rejects if io.ingest.skip_invalid else 0
    if report.fails(allowed):
        if io.ingest.skip_invalid and report.unaccounted == 0:
            typer.echo(f"newsclean: more than --max-rejects {allowed} rejected", err=True)
        raise typer.Exit(1)
    return report


def _stdin() -> Any:
    return getattr(sys.stdin, "buffer", sys.stdin)
