from typing import Optional

import typer

from newsclean.cli.app import app
from newsclean.cli.common import IOArgs, execute, record_command
from newsclean.stages.split.stage import Split, SplitConfig
from newsclean.text.dates import parse_now


def _now_option(value: Optional[str]) -> Optional[str]:  # noqa: UP045 (typer on 3.10)
    if value is not None:
        try:
            parse_now(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


NOW = typer.Option(
    None,
    "--now",
    callback=_now_option,
    help="Reference time (ISO 8601) for relative timestamps such as '3 hours ago'; "
    "without it their iso is null.",
)


SETTLE_ROUNDS = typer.Option(
    SplitConfig.settle_rounds,
    "--settle-rounds",
    min=0,
    help="After strip, strip+split again on the clean body until it stops changing "
    "(0: off), so that cleaning a clean body changes nothing.",
)


@app.command()
@record_command
def split(
    io: IOArgs,
    now: Optional[str] = NOW,  # noqa: UP045
    settle_rounds: int = SETTLE_ROUNDS,
    strip_rules: Optional[list[str]] = typer.Option(  # noqa: UP045
        None, "--strip-rules", metavar="FILE", help="The strip rule files, for those rounds."
    ),
) -> None:
    """Title, section, standfirst, byline, dateline, dates, captions, headings and
    sources out of the body into their own fields.

    Works on strip's body, or on the raw text before strip.

    Fields already set by extract are kept; their lines still leave the body.

    Every line taken out is listed in 'removed' with its rule (split:title, ...).

    Example:

        newsclean ingest drop/ | newsclean strip | newsclean split --now 2024-07-24T12:00Z
    """
    config = SplitConfig(now=now, settle_rounds=settle_rounds, strip_rules=tuple(strip_rules or ()))
    execute(io, [Split(config)])
