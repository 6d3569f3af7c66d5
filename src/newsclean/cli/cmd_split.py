from typing import Optional

import typer

from ..dates import parse_now
from ..split import Split, SplitConfig
from . import app
from .common import IOArgs, execute, record_command


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
def split(io: IOArgs, now: Optional[str] = NOW) -> None:  # noqa: UP045
    """Title, section, standfirst, byline, dateline, dates, captions, headings and
    sources out of the body into their own fields.

    Works on strip's body, or on the raw text before strip.

    Fields already set by extract are kept; their lines still leave the body.

    Every line taken out is listed in 'removed' with its rule (split:title, ...).

    Example:

        newsclean ingest drop/ | newsclean strip | newsclean split --now 2024-07-24T12:00Z
    """
    execute(io, [Split(SplitConfig(now=now))])
