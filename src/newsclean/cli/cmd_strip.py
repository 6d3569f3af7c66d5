from typing import Optional

import typer

from newsclean.cli.app import app
from newsclean.cli.common import IOArgs, _stdin, execute, exit_codes, record_command
from newsclean.runtime.ingest import read_inputs
from newsclean.runtime.report import Report
from newsclean.stages.strip.stage import Strip, StripConfig, explain


@app.command()
@record_command
def strip(
    io: IOArgs,
    rules: Optional[list[str]] = typer.Option(  # noqa: UP045 (typer needs Optional at runtime)
        None,
        "--rules",
        metavar="FILE",
        help="Add your own rules (may repeat); they are tried before the shipped ones.",
    ),
    explain_: bool = typer.Option(
        False,
        "--explain",
        help="Print every line of one article (--id, else the first) with its verdict "
        "and rule, for a person, instead of records.",
    ),
    article: Optional[str] = typer.Option(  # noqa: UP045
        None, "--id", help="The article --explain shows."
    ),
    min_batch: int = typer.Option(
        StripConfig.min_batch,
        "--min-batch",
        help="Fewest articles for lines that recur across the drop to count as chrome.",
    ),
) -> None:
    """Take boilerplate out of the text: menus, share bars, cookie banners,
    comment sections, teasers for other stories, footers.

    Writes 'body' (paragraphs separated by one blank line, hard-wrapped lines
    re-flowed) and appends every line taken out to 'removed' with the id of
    the rule that took it; 'text' is left as it was. Titles, bylines, dates
    and captions stay in the body for 'split'. A line that recurs in many
    articles of the drop (at least --min-batch of them) counts as chrome.

    Rules file (--rules): one rule a line, KIND RULE-ID TEXT; '#' starts a
    comment. Lines are compared lower-cased, spaces folded, bullets and
    punctuation trimmed from both ends. KIND is one of:

      line      the whole line is TEXT

      prefix    the line starts with TEXT

      contains  a line of at most 40 words contains TEXT

      regex     TEXT is a Python regex matched at the start of the line
                (anchor it; no nested quantifiers)

      section   the line is TEXT and, once the article is under way, starts
                a section that runs to the end (comments, "The Latest")

      teaser    the line is TEXT and starts a block of links: it and the
                headline-like lines after it go

    Your rules are tried before the shipped ones (newsclean/data/strip/
    rules.txt, which shows every kind). For instance:

      line   my-site   Listen to this story

      prefix my-site   More from the Daily Example

    Example:

        newsclean ingest drop/ | newsclean strip --rules my.rules > out.jsonl

        newsclean strip samples/003_c7a34f3ac6bed77e.txt --explain
    """
    stage = Strip(StripConfig(rules=tuple(rules or ()), min_batch=min_batch))
    with exit_codes():
        stage.rules  # noqa: B018 (load the rules now: a bad file fails before any input is read)
    if not explain_:
        execute(io, [stage])
        return
    with exit_codes():
        report = Report(quiet=io.run.quiet)
        records = list(read_inputs(io.paths, io.ingest, report, stdin=_stdin()))
        model = stage.reduce(stage.map(r) for r in records)
        chosen = [r for r in records if article is None or str(r.get("id")) == article]
        if not chosen:
            typer.echo(f"newsclean: no article with id {article!r}", err=True)
            raise typer.Exit(1)
        typer.echo(explain(chosen[0], stage, model), nl=False)
