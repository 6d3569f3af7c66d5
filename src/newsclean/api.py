"""The Python API: what ``newsclean clean`` does, for a notebook or a program.

    import newsclean

    record = newsclean.clean("<html>...</html>")              # one article
    records = newsclean.clean_records(["text one", "text two"])  # a batch

Both run the chain ``clean`` runs (extract, strip, split, names, lang) in this
process and give the records the CLI writes for the same input: an article given
as a string is read as ``newsclean clean`` reads a file holding it, a dict as it
reads one line of a JSONL file. Batch evidence (lines that recur across a drop,
one spelling per person) is drawn from the batch given, so a drop cleaned with
``clean_records`` in one call matches ``newsclean clean drop/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsclean.errors import InputError, Reject
from newsclean.record import Record, ordered, select
from newsclean.runtime.ingest import article_record
from newsclean.runtime.jsonl import object_record
from newsclean.runtime.pipeline import run_sequential
from newsclean.runtime.report import Report
from newsclean.stages.chain import CleanConfig, clean_chain
from newsclean.stages.extract.stage import ExtractConfig
from newsclean.stages.lang.stage import LangConfig, parse_keep
from newsclean.stages.names import NamesConfig
from newsclean.stages.split.stage import SplitConfig
from newsclean.stages.strip.stage import StripConfig

__all__ = ["clean", "clean_config", "clean_records"]

#: The ``path`` of ``source`` for an article given as a string.
API_PATH = "<api>"


def clean_config(
    *,
    now: str | None = None,
    keep: str | Sequence[str] = (),
    rules: Sequence[str] = (),
    aliases: str | None = None,
    registry: str | None = None,
    rewrite: bool = True,
    fast: bool = False,
    max_html_bytes: int = ExtractConfig.max_html_bytes,
) -> CleanConfig:
    """The options of every stage, named as ``newsclean clean``'s options are.

    now: reference time (ISO 8601) for relative timestamps ("3 hours ago").
    keep: languages to keep ("en,fr" or ["en", "fr"]); others are left out.
    rules: extra strip rule files. aliases, registry: the names stage's alias
    file (JSON) and SQLite registry. rewrite: rewrite names to one spelling.
    fast: skip trafilatura's fallbacks. max_html_bytes: refuse larger pages.
    Raises ``ValueError`` for an unknown language code or a bad ``now``.
    """
    codes = parse_keep(keep if isinstance(keep, str) else ",".join(keep))
    rule_files = tuple(rules)
    return CleanConfig(
        extract=ExtractConfig(max_html_bytes=max_html_bytes, fallbacks=not fast),
        strip=StripConfig(rules=rule_files),
        split=SplitConfig(now=now, rules=rule_files),
        names=NamesConfig(rewrite=rewrite, aliases=aliases, registry=registry),
        lang=LangConfig(keep=codes),
    )


def clean(
    text_or_html: str,
    *,
    id: str = "article",
    url: str | None = None,
    fields: Sequence[str] = (),
    drop: Sequence[str] = (),
    **options: Any,
) -> dict[str, Any]:
    """One article, cleaned: the record ``newsclean clean`` writes for a file
    holding ``text_or_html`` (HTML when it starts with ``<``, else text).

    ``id`` and ``url`` fill those fields; ``fields`` / ``drop`` choose the fields
    returned (as ``--fields`` / ``--drop``); every other option is one of
    :func:`clean_config`'s. Raises :class:`~newsclean.errors.Reject` (with its
    ``reason``) when the article is refused (a page over ``max_html_bytes``, a
    language ``keep`` leaves out) and :class:`~newsclean.errors.InputError` when
    there is no text at all.
    """
    report = _report()
    record = article_record(text_or_html, id, API_PATH, report)
    if url is not None:
        record["url"] = url
    out = list(run_sequential([record], clean_chain(clean_config(**options)), report))
    if not out:
        raise Reject(_first_reason(report), filtered=report.filtered > 0)
    return ordered(select(out[0], tuple(fields), tuple(drop)))


def clean_records(
    records: Iterable[str | dict[str, Any]],
    *,
    skip_invalid: bool = False,
    fields: Sequence[str] = (),
    drop: Sequence[str] = (),
    **options: Any,
) -> list[dict[str, Any]]:
    """A batch of articles, cleaned together, in input order.

    Each item is an article as a string (as :func:`clean` takes it) or a dict as a
    JSONL line holds it (``text`` or ``html``, and any ``id``, ``url`` and fields of
    your own, which are carried through). An item without an ``id`` gets
    ``record-<n>`` (``n`` counts from 1). Records a language filter (``keep``)
    leaves out are not returned. A bad item (no text, a field that does not fit
    the schema) or a refused article raises :class:`~newsclean.errors.NewscleanError`
    naming it, unless ``skip_invalid``, which leaves it out. ``fields`` / ``drop``
    and the other options are :func:`clean`'s.
    """
    report = _report()
    config = clean_config(**options)
    given = list(_records(records, report, skip_invalid))
    out = list(run_sequential(given, clean_chain(config), report))
    if report.rejected > report.filtered and not skip_invalid:
        raise Reject(_first_reason(report, filtered=False))
    return [ordered(select(r, tuple(fields), tuple(drop))) for r in out]


def _records(
    items: Iterable[str | dict[str, Any]], report: Report, skip_invalid: bool
) -> Iterator[Record]:
    for n, item in enumerate(items, 1):
        try:
            if isinstance(item, str):
                yield article_record(item, f"record-{n}", API_PATH, report)
            elif isinstance(item, dict):
                yield object_record(item, API_PATH, n, "record")
            else:
                raise InputError(
                    API_PATH, f"expected a str or a dict, not {type(item).__name__}", n
                )
        except InputError:
            if not skip_invalid:
                raise


@dataclass
class _Refusals(Report):
    """The accounting, keeping each reject's place and reason to say why."""

    why: list[tuple[str, str, bool]] = field(default_factory=list)

    def reject(self, where: str, reason: str, payload: Any = None, filtered: bool = False) -> None:
        super().reject(where, reason, payload, filtered)
        self.why.append((where, reason, filtered))


def _report() -> _Refusals:
    return _Refusals(quiet=True)


def _first_reason(report: _Refusals, filtered: bool | None = None) -> str:
    """``where: reason`` of the first reject (of the kind asked for, if any)."""
    for where, reason, was_filtered in report.why:
        if filtered is None or filtered == was_filtered:
            return f"{where}: {reason}"
    return "rejected"
