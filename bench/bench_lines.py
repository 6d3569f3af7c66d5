"""The line model (#15) measured honestly: site-grouped cross-validation on WCXB dev page text
and on newsdev, beside today's rule cascade (``clean`` on text records), jusText (each line
a ``<p>``) and C4's line rules on the same pages in the same run. Prints figures only.

Needs ``make labels`` (train/build/lines.jsonl.gz) and ../shared. Until the lead's model
(``newsclean.stages.lines.train.fit`` / ``predict.clean``) exists, a trivial baseline (every
line body) stands in, so the harness runs. See ``lines_cv`` for the system interface.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable, Sequence
from typing import Any

from newsclean.stages.chain import CleanConfig, clean_chain

from . import cascade, data, lines_cv, lines_newsdev, peers, scoring
from .lines_newsdev import body_checks, field_checks, shingle_pr

Records = dict[str, dict[str, Any]]
Metrics = dict[str, float | None]
WCXB_COLUMNS = ("P", "R", "F1", "with", "leak", "title", "author", "false author", "date")
NEWSDEV_COLUMNS = ("body snippets", "fields", "shingle P", "shingle R")


def wcxb_metrics(records: Records, ids: Sequence[str], gold: dict[str, dict[str, Any]]) -> Metrics:
    """README scoring of the pages ``ids``: body, snippets, title/author/date, and the
    share of pages without a gold author given one anyway."""
    rows = [gold[i] for i in ids]
    recs = [records[i] for i in ids]
    body = scoring.corpus_body([str(r.get("body") or "") for r in recs], rows)
    authors = [r.get("byline") or None for r in recs]
    no_author = [k for k, row in enumerate(rows) if not row.get("author")]
    return {
        "P": body.precision,
        "R": body.recall,
        "F1": body.f1,
        "with": body.with_recall,
        "leak": body.leak,
        "title": scoring.meta_accuracy("title", [r.get("title") for r in recs], rows)[0],
        "author": scoring.meta_accuracy("author", authors, rows)[0],
        "false author": sum(bool(authors[k]) for k in no_author) / max(1, len(no_author)),
        "date": scoring.meta_accuracy(
            "date", [r.get("published") or r.get("updated") for r in recs], rows
        )[0],
    }


def newsdev_metrics(
    records: Records, ids: Sequence[str], gold: dict[str, dict[str, Any]]
) -> Metrics:
    """score.py's figures over the pages ``ids``: checks pooled, shingle P/R means."""
    snippets: list[bool] = []
    fields: list[bool] = []
    ps: list[float] = []
    rs: list[float] = []
    for i in ids:
        rec, g = records.get(i, {}), gold[i]
        snippets += body_checks(rec, g)
        fields += field_checks(rec, g).values()
        p, r = shingle_pr(lines_newsdev.as_written(rec), g["body"])
        ps += [] if p is None else [p]
        rs += [] if r is None else [r]
    return {
        "body snippets": sum(snippets) / max(1, len(snippets)),
        "fields": sum(fields) / max(1, len(fields)),
        "shingle P": sum(ps) / len(ps) if ps else None,  # None: nothing predicted
        "shingle R": sum(rs) / len(rs) if rs else None,
    }


def _cell(values: list[float | None]) -> str:
    """Mean [min–max] of the units where the figure is defined."""
    known = [v for v in values if v is not None]
    if not known:
        return "-"
    return f"{sum(known) / len(known):.3f} [{min(known):.3f}–{max(known):.3f}]"


def _fig(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_table(
    title: str,
    columns: Sequence[str],
    systems: list[tuple[str, Records]],
    members: dict[str, list[str]],
    measure: Callable[[Records, Sequence[str]], Metrics],
    per_unit: bool,
) -> None:
    """Each system: a row per unit (when ``per_unit``), then the mean over units with the
    spread [min–max], and the figure over all pages pooled."""
    print(f"\n{title}")
    print("| system | unit | " + " | ".join(columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    every = [i for ids in members.values() for i in ids]
    for name, records in systems:
        by_unit = {u: measure(records, ids) for u, ids in members.items()}
        if per_unit:
            for unit, m in by_unit.items():
                print(f"| {name} | {unit} | " + " | ".join(_fig(m[c]) for c in columns) + " |")
        means = [_cell([m[c] for m in by_unit.values()]) for c in columns]
        print(f"| {name} | mean [min–max] of {len(by_unit)} | " + " | ".join(means) + " |")
        pooled = measure(records, every)
        print(f"| {name} | all pages | " + " | ".join(_fig(pooled[c]) for c in columns) + " |")


def justext_body(text: str) -> str:
    """jusText on a page text, each line a ``<p>`` (as ``peers.justext_lines``)."""
    import justext

    markup = "".join(f"<p>{html_lib.escape(ln)}</p>" for ln in text.splitlines() if ln.strip())
    paragraphs = justext.justext(
        f"<html><body>{markup}</body></html>", justext.get_stoplist("English")
    )
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def c4_body(text: str) -> str:
    return "\n\n".join(ln for ln in text.splitlines() if peers.c4_keep(ln))


def rule_cascade(ids: Sequence[str], texts: Sequence[str]) -> Records:
    """The rule cascade's ``clean`` (main before the line model, :mod:`.cascade`) over
    text records, all pages in one batch."""
    out, ms = cascade.run(data.text_records(ids, texts))
    print(f"rule cascade (clean at {cascade.REF}) on {len(ids)} text records: {ms:.2f} ms/page")
    return out


def line_model_clean(ids: Sequence[str], texts: Sequence[str]) -> Records:
    """Today's ``clean`` (the shipped line model) over text records, one batch. Not a
    held-out figure on these pages (the model trained on them): speed only."""
    out, ms = data.run_stages(data.text_records(ids, texts), clean_chain(CleanConfig()))
    print(f"line model (clean, shipped model) on {len(ids)} text records: {ms:.2f} ms/page")
    return {r["id"]: r for r in out}


def html_recall_gaps(
    ids: Sequence[str],
    ours: Sequence[str],
    trafilatura: Sequence[str],
    gold: dict[str, dict[str, Any]],
    margin: float = 0.10,
) -> list[tuple[str, float, float, str]]:
    """HTML pages where newsclean's body recall is more than ``margin`` below trafilatura's
    alone on the same page, worst first: (id, our recall, trafilatura's recall, the first
    gold paragraph trafilatura kept and we lost, as a lead for the reason)."""
    gaps = []
    for page_id, mine, theirs in zip(ids, ours, trafilatura, strict=True):
        body = str(gold[page_id]["body"] or "")
        r_ours = scoring.score_body(mine, body).recall
        r_theirs = scoring.score_body(theirs, body).recall
        if r_ours < r_theirs - margin:
            gaps.append((page_id, r_ours, r_theirs, _first_lost(body, mine, theirs)))
    return sorted(gaps, key=lambda g: g[1] - g[2])


def _first_lost(gold_body: str, ours: str, theirs: str) -> str:
    flat_ours, flat_theirs = " ".join(ours.split()), " ".join(theirs.split())
    for para in gold_body.split("\n"):
        para = " ".join(para.split())
        if len(para.split()) >= 6 and para in flat_theirs and para not in flat_ours:
            return para[:70]
    return ""


def _systems(
    pages: list[dict[str, Any]], corpus: str
) -> tuple[list[tuple[str, Records]], dict[str, list[str]]]:
    """The cross-validated systems' records on ``corpus`` (with their speed printed), the
    labels' own upper bound, and the page ids of each test unit."""
    found = [s for s in (lines_cv.model_system(), lines_cv.BASELINE) if s is not None]
    runs: list[tuple[str, Records]] = []
    members: dict[str, list[str]] = {}
    for system in found:
        run = lines_cv.cross_validate(system, pages, corpus)
        members = run.members
        print(
            f"{system.name} on {corpus}: {len(run.members)} fits, {run.fit_s:.1f} s fitting, "
            f"clean {run.clean_ms:.2f} ms/page"
        )
        runs.append((system.name, run.records))
    upper = "labels assembled (upper bound of the line unit, not a result)"
    runs.append((upper, lines_cv.from_labels(pages, corpus)))
    return runs, members


def wcxb_section(pages: list[dict[str, Any]]) -> None:
    gold = {row["id"]: row for row in data.gold()}
    runs, members = _systems(pages, "wcxb")
    ids = [row["id"] for row in data.gold()]
    texts = [data.page_text(i) for i in ids]
    runs.append(("rule cascade (clean, text)", rule_cascade(ids, texts)))
    for run in (peers.justext_lines(), peers.c4_lines()):
        runs.append((run.name, {i: {"body": b} for i, b in zip(ids, run.bodies, strict=True)}))
    print_table(
        "WCXB dev page text, site-grouped 5-fold cross-validation (peers and the rule cascade"
        " fit nothing per fold; their folds are the same pages)",
        WCXB_COLUMNS,
        runs,
        members,
        lambda recs, unit: wcxb_metrics(recs, unit, gold),
        per_unit=True,
    )


def newsdev_section(pages: list[dict[str, Any]]) -> None:
    gold = lines_newsdev.gold()
    runs, members = _systems(pages, "newsdev")
    ids = sorted(gold)
    texts = [lines_newsdev.page_text(i) for i in ids]
    runs.append(("rule cascade (clean, one batch)", rule_cascade(ids, texts)))
    runs.append(
        (
            "jusText (lines as <p>)",
            {i: {"body": justext_body(t)} for i, t in zip(ids, texts, strict=True)},
        )
    )
    runs.append(
        ("C4 line rules", {i: {"body": c4_body(t)} for i, t in zip(ids, texts, strict=True)})
    )
    print_table(
        f"newsdev, {len(members)} held-out units (syndicated pairs together). A system that"
        " gives no fields still scores the judgements whose gold is null (0.27); shingle P"
        " leaves out pages with an empty body",
        NEWSDEV_COLUMNS,
        runs,
        members,
        lambda recs, unit: newsdev_metrics(recs, unit, gold),
        per_unit=len(members) <= 5,
    )


def html_section() -> None:
    gold = {row["id"]: row for row in data.gold()}
    ids = [row["id"] for row in data.gold()]
    out, _ = data.run_stages(data.html_records(ids), clean_chain(CleanConfig()))
    ours = [str(r.get("body") or "") for r in out]
    gaps = html_recall_gaps(ids, ours, peers.trafilatura().bodies, gold)
    print(
        f"\nHTML pages where clean's body recall is > 0.10 below trafilatura's alone: {len(gaps)}"
    )
    for page_id, mine, theirs, lost in gaps:
        print(f"  {page_id}: clean {mine:.2f}, trafilatura {theirs:.2f}; lost: {lost!r}")


def main() -> None:
    if not (data.available() and lines_newsdev.available()):
        print(f"bench data not found at {data.BENCH} or {lines_newsdev.NEWSDEV}; skipped")
        return
    if not lines_cv.LABELS.exists():
        print(f"no labelled lines at {lines_cv.LABELS}: run `make labels` first; skipped")
        return
    pages = lines_cv.labelled_pages()
    wcxb_section(pages)
    newsdev_section(pages)
    html_section()
