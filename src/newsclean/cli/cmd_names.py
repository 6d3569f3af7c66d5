import json
import sys
from typing import Optional

import typer

from newsclean.cli.app import app
from newsclean.cli.common import IOArgs, execute, exit_codes, record_command
from newsclean.cli.default_group import DefaultGroup
from newsclean.runtime.ingest import read_inputs
from newsclean.runtime.options import IngestOptions
from newsclean.runtime.report import Report
from newsclean.stages.names import NamesConfig, NamesStage
from newsclean.stages.names import registry as registry_db
from newsclean.stages.names.aliases import load_aliases
from newsclean.stages.names.cluster import cluster
from newsclean.stages.names.match import match_names

names_app = typer.Typer(
    cls=DefaultGroup,
    help="Find person names, group the spelling variants of one person across the batch "
    "and rewrite them to one canonical spelling.\n\n"
    "'newsclean names [PATHS]' runs the stage (same as 'names run'); "
    "'names table' prints the clusters; 'names match A B' compares two names. "
    "Options of the stage: 'newsclean names run --help'.\n\n"
    "Example:\n\n"
    "    newsclean ingest drop/ | newsclean names --aliases people.json > named.jsonl",
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(names_app, name="names")

_ALIASES = typer.Option(
    None,
    "--aliases",
    help="JSON alias file: {'people': [{'canonical': ..., 'variants': [...]}], "
    "'never': [[A, B], ...]}.",
)
_REGISTRY = typer.Option(
    None,
    "--registry",
    help="SQLite registry that keeps clusters across drops (created if missing).",
)


@names_app.command("run")
@record_command
def run(
    io: IOArgs,
    aliases: Optional[str] = _ALIASES,  # noqa: UP045
    registry: Optional[str] = _REGISTRY,  # noqa: UP045
    no_rewrite: bool = typer.Option(
        False, "--no-rewrite", help="Only fill 'names'; leave the text as written."
    ),
) -> None:
    """Resolve and rewrite person names; fill 'names' with each mention, its canonical
    spelling, entity id and offsets in the output body (or text before split).

    Example:

        newsclean names records.jsonl --registry names.sqlite -o named.jsonl
    """
    config = NamesConfig(rewrite=not no_rewrite, aliases=aliases, registry=registry)
    execute(io, [NamesStage(config)])


@names_app.command("table")
def table(
    paths: Optional[list[str]] = typer.Argument(  # noqa: UP045
        None, help="Records or article files; '-' is stdin."
    ),
    aliases: Optional[str] = _ALIASES,  # noqa: UP045
    registry: Optional[str] = _REGISTRY,  # noqa: UP045
    as_json: bool = typer.Option(False, "--json", help="One JSON object per person."),
) -> None:
    """Print the people of a batch: canonical spelling, entity, variants with their
    counts, and why each variant joined. The registry is read, not written.

    Example:

        newsclean names table drop/ --aliases people.json
    """
    with exit_codes():
        stage = NamesStage()
        report = Report(stderr=sys.stderr)
        counts: dict[str, int] = {}
        for record in read_inputs(paths or ["-"], IngestOptions(), report, stdin=sys.stdin.buffer):
            for form, n in stage.map(record).items():
                counts[form] = counts.get(form, 0) + n
        known = registry_db.load(registry) if registry else []
        model = cluster(counts, load_aliases(aliases), known)
        for person in model.people.values():
            if as_json:
                typer.echo(
                    json.dumps(
                        {
                            "entity": person.entity,
                            "canonical": person.canonical,
                            "variants": [{"text": f, "count": n} for f, n in person.forms],
                            "why": list(person.why),
                        },
                        ensure_ascii=False,
                    )
                )
                continue
            total = sum(n for _, n in person.forms)
            typer.echo(f"{person.canonical}\t{person.entity}\t{total} mentions")
            for form, n in person.forms:
                typer.echo(f"  {n:>5}  {form}")
            for why in person.why:
                typer.echo(f"         why: {why}")


@names_app.command("match")
def match(
    a: str = typer.Argument(..., help="A name as written."),
    b: str = typer.Argument(..., help="Another name as written."),
    aliases: Optional[str] = _ALIASES,  # noqa: UP045
    registry: Optional[str] = _REGISTRY,  # noqa: UP045
) -> None:
    """Say whether two names are one person, and why: exit 0 same, 1 different.

    Example:

        newsclean names match "Thabit Al-Abbas" "Thabet Muhammad al-Abbasi"
    """
    with exit_codes():
        known = registry_db.load(registry) if registry else []
        verdict = match_names(a, b, load_aliases(aliases), known)
    typer.echo(f"{'same' if verdict.same else 'different'}: {verdict.reason}")
    raise typer.Exit(0 if verdict.same else 1)
