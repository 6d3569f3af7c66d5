from typing import Optional

import typer

from newsclean.cli.app import app
from newsclean.cli.common import IOArgs, _stdin, execute, exit_codes, record_command
from newsclean.runtime.ingest import read_inputs
from newsclean.runtime.report import Report
from newsclean.stages.lines.stage import explain
from newsclean.stages.strip.stage import Strip, StripConfig


@app.command()
@record_command
def strip(
    io: IOArgs,
    rules: Optional[list[str]] = typer.Option(  # noqa: UP045 (typer needs Optional at runtime)
        None,
        "--rules",
        metavar="FILE",
        help="Your own rules (may repeat): a line one names is boilerplate, whatever "
        "the model says.",
    ),
    explain_: bool = typer.Option(
        False,
        "--explain",
        help="Print every line of one article (--id, else the first) with its role, "
        "the model's probability and what weighed most, instead of records.",
    ),
    article: Optional[str] = typer.Option(  # noqa: UP045
        None, "--id", help="The article --explain shows."
    ),
) -> None:
    """Take boilerplate out of the text: menus, share bars, cookie banners,
    comment sections, teasers for other stories, bios, footers.

    Every line gets a role from a trained line model that reads its shape, its
    words, its place on the page, its neighbours, the shipped rules' verdicts
    and how often it recurs across the drop. Writes 'body' (the lines that are
    not boilerplate, hard-wrapped lines re-flowed, paragraphs separated by one
    blank line) and lists every line taken out in 'removed' with its role
    (menu, share, consent, promo, teaser, comments, bio, legal, ad, other).
    Titles, bylines, dates and captions stay in the body for 'split'.

    Rules file (--rules): one rule a line, KIND RULE-ID TEXT; '#' starts a
    comment. Lines are compared lower-cased, spaces folded, bullets and
    punctuation trimmed from both ends. KIND is one of:

      line      the whole line is TEXT

      prefix    the line starts with TEXT

      contains  a line of at most 40 words contains TEXT

      regex     TEXT is a Python regex matched at the start of the line
                (anchor it; no nested quantifiers)

    A line your rules name is removed as 'other:RULE-ID', whatever the model
    says. The shipped rules (newsclean/data/strip/rules.txt) are evidence the
    model weighs, not verdicts. For instance:

      line   my-site   Listen to this story

      prefix my-site   More from the Daily Example

    Example:

        newsclean ingest drop/ | newsclean strip --rules my.rules > out.jsonl

        newsclean strip samples/003_c7a34f3ac6bed77e.txt --explain
    """
    with exit_codes():  # a bad rules file fails before any input is read
        stage = Strip(StripConfig(rules=tuple(rules or ())))
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
