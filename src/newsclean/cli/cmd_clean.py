import os
import threading
from typing import Optional

import typer

from newsclean.cli.app import app
from newsclean.cli.cmd_extract import FAST, MAX_HTML_BYTES
from newsclean.cli.cmd_lang import KEEP_HELP, keep_option
from newsclean.cli.cmd_split import NOW
from newsclean.cli.common import IOArgs, execute, record_command, refuse_clashes
from newsclean.runtime.options import ExecOptions, default_jobs
from newsclean.stages.chain import CleanConfig, clean_chain
from newsclean.stages.extract.stage import ExtractConfig
from newsclean.stages.lang.stage import LangConfig
from newsclean.stages.names import NamesConfig
from newsclean.stages.split.stage import SplitConfig
from newsclean.stages.strip.stage import StripConfig


def _terminate_cleanly() -> None:
    """``kill`` (SIGTERM) unwinds like Ctrl-C: the workers stop, the temporary
    output file is removed, committed --state work stays for the next run."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


@app.command()
@record_command
def clean(
    io: IOArgs,
    jobs: int = typer.Option(
        0, "-j", "--jobs", help="Worker processes (0: all cores; 1: this process only)."
    ),
    executor: str = typer.Option(
        "local", "--executor", help="'local' (process pool) or 'dask' (needs newsclean[dask])."
    ),
    scheduler: Optional[str] = typer.Option(  # noqa: UP045 (typer needs Optional on 3.10)
        None,
        "--scheduler",
        help="Dask scheduler address (tcp://host:8786); default $DASK_SCHEDULER_ADDRESS, "
        "else a local cluster of -j workers.",
        show_default=False,
    ),
    state: Optional[str] = typer.Option(  # noqa: UP045
        None,
        "--state",
        help="SQLite file of what earlier runs did: only new or changed inputs are "
        "processed, an interrupted run resumes; the output holds every input's records.",
        show_default=False,
    ),
    max_html_bytes: int = MAX_HTML_BYTES,
    fast: bool = FAST,
    strip_rules: Optional[list[str]] = typer.Option(  # noqa: UP045
        None, "--strip-rules", metavar="FILE", help="strip: extra boilerplate rules."
    ),
    now: Optional[str] = NOW,  # noqa: UP045
    aliases: Optional[str] = typer.Option(  # noqa: UP045
        None, "--aliases", help="names: JSON alias file (canonical, variants, never pairs)."
    ),
    registry: Optional[str] = typer.Option(  # noqa: UP045
        None, "--registry", help="names: SQLite registry kept across drops."
    ),
    no_rewrite: bool = typer.Option(
        False, "--no-rewrite", help="names: only annotate, keep the text as written."
    ),
    keep: Optional[str] = typer.Option(None, "--keep", help=KEEP_HELP),  # noqa: UP045
) -> None:
    """Every stage in one pass: the same records as ingest | extract | strip | split | names | lang.

    Runs on all cores (-j), or on a Dask cluster (--executor dask); output is the
    same byte for byte whatever the number of workers. Prints a summary line
    (articles in, out, rejected, lines removed, time) on stderr, and a progress
    bar when stderr is a terminal.

    Example:

        newsclean clean drop/ -o clean.jsonl --state drop.state -j 4
    """
    if executor not in ("local", "dask"):
        raise typer.BadParameter("must be 'local' or 'dask'", param_hint="--executor")
    if jobs < 0:
        raise typer.BadParameter("must be 0 (all cores) or more", param_hint="--jobs")
    for flag, value in (("--state", state), ("--registry", registry), ("--aliases", aliases)):
        if value == "":
            raise typer.BadParameter("empty file name", param_hint=flag)
    refuse_clashes(
        io,
        # the registry may be the state file itself (where it lives by default)
        outputs=[("--state", state), ("--registry", None if registry == state else registry)],
        inputs=[*(strip_rules or ()), *([aliases] if aliases else [])],
    )
    _terminate_cleanly()
    execution = ExecOptions(
        jobs=jobs or default_jobs(),
        executor="dask" if executor == "dask" else "local",
        scheduler=scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None,
        timeout=io.run.timeout,
    )
    config = CleanConfig(
        extract=ExtractConfig(max_html_bytes=max_html_bytes, fallbacks=not fast),
        strip=StripConfig(rules=tuple(strip_rules or ())),
        split=SplitConfig(now=now, rules=tuple(strip_rules or ())),
        names=NamesConfig(rewrite=not no_rewrite, aliases=aliases, registry=registry),
        lang=LangConfig(keep=keep_option(keep)),
    )
    execute(io, clean_chain(config), execution=execution, state=state)
