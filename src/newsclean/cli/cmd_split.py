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


@app.command()
@record_command
def split(
    io: IOArgs,
    now: Optional[str] = NOW,  # noqa: UP045
    strip_rules: Optional[list[str]] = typer.Option(  # noqa: UP045
        None,
        "--strip-rules",
        metavar="FILE",
        help="Your strip rule files, so that split labels lines as strip did.",
    ),
) -> None:
    """Title, section, standfirst, byline, dateline, dates, captions, headings and
    sources out of the body into their own fields.

    Every line of the text gets a role from the line model (the one strip
    uses), so split works on strip's output or on the raw text alike; the body
    keeps the body paragraphs and subheadings only. Fields already set by
    extract are kept.

    Every line taken out is listed in 'removed' with its role (title, byline,
    timestamp, caption, menu, teaser, ...).

    Example:

        newsclean ingest drop/ | newsclean strip | newsclean split --now 2024-07-24T12:00Z
    """
    config = SplitConfig(now=now, rules=tuple(strip_rules or ()))
    execute(io, [Split(config)])
