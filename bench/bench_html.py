"""HTML pages: newsclean ``clean`` against trafilatura ``extract``, in one run.

On the 711 WCXB dev pages (HTML): body precision, recall, F1, ``with`` snippet
recall, leak rate, title/author/date accuracy and ms per page, for ``clean``, for
trafilatura (default and ``favor_precision``), for the output after each stage of
``clean`` (with that stage's own time), and for ``clean`` with ``extract --fast``;
the figures on even ids (tuned on) and odd ids (held out); the extract stage and
trafilatura timed page by page in turn; then how often each metadata source is
right and the source order tuned on even ids (``data/extract/sources.json``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from . import data, peers, scoring

TARGETS = {"f1": 0.95, "leak": 0.03, "title": 0.90, "author": 0.85, "date": 0.95}


def newsclean_run(fast: bool = False) -> tuple[peers.PeerRun, list[peers.PeerRun]]:
    """``clean`` on the HTML records, stage after stage over the whole batch (as
    the sequential runner does); also the output after each stage and its time.
    ``fast``: extract without trafilatura's readability/jusText comparison."""
    from newsclean.errors import Reject
    from newsclean.stages.base import BatchStage
    from newsclean.stages.chain import CleanConfig, clean_chain
    from newsclean.stages.extract.stage import ExtractConfig

    stages = clean_chain(CleanConfig(extract=ExtractConfig(fallbacks=not fast)))
    records = data.html_records([r["id"] for r in data.gold()])
    steps: list[peers.PeerRun] = []
    total = 0.0
    for stage in stages:
        start = time.perf_counter()
        if isinstance(stage, BatchStage):
            model = stage.fit(records)
            records = [stage.apply(r, model) for r in records]
        else:
            out = []
            for record in records:
                try:
                    out.append(stage.apply(record))
                except Reject as exc:
                    out.append({**record, "html": None, "text": "", "warnings": [exc.reason]})
            records = out
        ms = (time.perf_counter() - start) * 1000 / len(records)
        total += ms
        steps.append(_as_run(f"  after {stage.name} (this stage alone)", records, ms))
    names = ", ".join(s.name for s in stages)
    label = "newsclean clean --fast" if fast else "newsclean clean"
    final = _as_run(f"{label} ({names})", records, total)
    return final, steps


def _as_run(name: str, records: list[dict[str, Any]], ms: float) -> peers.PeerRun:
    from newsclean.record import body_or_text

    return peers.PeerRun(
        name,
        [body_or_text(r) for r in records],
        [r.get("title") for r in records],
        [r.get("byline") or None for r in records],
        [r.get("published") for r in records],
        ms,
    )


def _meta(run: peers.PeerRun, rows: Sequence[dict[str, Any]], keep: Sequence[bool]) -> list[float]:
    sel = [i for i, k in enumerate(keep) if k]
    gold = [rows[i] for i in sel]
    return [
        scoring.meta_accuracy(field, [values[i] for i in sel], gold)[0]
        for field, values in (("title", run.titles), ("author", run.authors), ("date", run.dates))
    ]


def _table(runs: list[peers.PeerRun], reference_ms: float) -> None:
    rows = data.gold()
    everything = [True] * len(rows)
    print(
        f"| {'system':44} | P | R | F1 | with | leak | title | author | date | ms/page | x traf |"
    )
    print(f"|{'-' * 46}|---|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        body = scoring.corpus_body(run.bodies, rows)
        title, author, date = _meta(run, rows, everything)
        print(
            f"| {run.name:44} | {body.precision:.3f} | {body.recall:.3f} | {body.f1:.3f} "
            f"| {body.with_recall:.3f} | {body.leak:.3f} | {title:.3f} | {author:.3f} "
            f"| {date:.3f} | {run.ms_per_page:.1f} | {run.ms_per_page / reference_ms:.2f} |"
        )


def _held_out(run: peers.PeerRun) -> None:
    rows = data.gold()
    even = [int(r["id"]) % 2 == 0 for r in rows]
    odd = [not e for e in even]
    for label, keep in (("even ids (tuned on)", even), ("odd ids (held out)", odd)):
        title, author, date = _meta(run, rows, keep)
        body = scoring.corpus_body(
            [b for b, k in zip(run.bodies, keep, strict=True) if k],
            [r for r, k in zip(rows, keep, strict=True) if k],
        )
        print(
            f"newsclean on {label}: F1 {body.f1:.3f} leak {body.leak:.3f} "
            f"title {title:.3f} author {author:.3f} date {date:.3f}"
        )


def _source_hits() -> dict[str, list[tuple[int, dict[str, bool]]]]:
    """Per field, per page whose gold has it: (id parity, source -> is the first
    value of that source right)."""
    from trafilatura import load_html

    from newsclean.stages.extract.choose import ranked_candidates
    from newsclean.stages.extract.meta import collect

    fields = {"title": "title", "byline": "author", "published": "date"}
    pages: dict[str, list[tuple[int, dict[str, bool]]]] = {f: [] for f in fields}
    for row in data.gold():
        found = ranked_candidates(collect(load_html(data.page_html(row["id"]))))
        for field, gold_key in fields.items():
            if not row.get(gold_key):
                continue
            first: dict[str, bool] = {}
            for source, value in found[field]:
                if source not in first:
                    first[source] = scoring.meta_match(gold_key, value, row[gold_key])
            pages[field].append((int(row["id"]) % 2, first))
    return pages


def _accuracy(pages: list[tuple[int, dict[str, bool]]], order: Sequence[str], parity: int) -> float:
    hits = total = 0
    for page_parity, first in pages:
        if page_parity != parity:
            continue
        total += 1
        hits += next((first[s] for s in order if s in first), False)
    return hits / total if total else 0.0


def tune_order(pages: list[tuple[int, dict[str, bool]]], min_gain: int = 1) -> list[str]:
    """The source order for one field, from even ids only: sources sorted by how
    often they are right where they offer a value (with a +1/+2 prior, so a source
    seen on three pages does not jump the queue), then single moves of a source
    while a move makes at least ``min_gain`` more pages right. (Starting from the
    sorted order, not from a greedy one, is what carries over to held-out pages.)"""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for parity, first in pages:
        if parity == 0:
            for source, right in first.items():
                counts[source][0] += right
                counts[source][1] += 1
    order = sorted(counts, key=lambda s: (-(counts[s][0] + 1) / (counts[s][1] + 2), s))
    evens = sum(1 for parity, _ in pages if parity == 0) or 1
    best = _accuracy(pages, order, 0)
    improved = True
    while improved:
        improved = False
        for i in range(len(order)):
            for j in range(len(order)):
                moved = order[:i] + order[i + 1 :]
                moved.insert(j, order[i])
                score = _accuracy(pages, moved, 0)
                if (score - best) * evens >= min_gain - 1e-9:
                    order, best, improved = moved, score, True
    return order


def source_accuracy() -> None:
    """How often each metadata source is right where it offers a value, on even
    ids (sources.json is tuned on them) and odd ids (held out); the tuned order."""
    from newsclean.stages.extract.stage import source_order

    for field, pages in _source_hits().items():
        print(f"\n{field}: share right where the source offers a value (even ids | odd ids)")
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for parity, first in pages:
            for source, right in first.items():
                counts[source][2 * parity] += right
                counts[source][2 * parity + 1] += 1
        for source, (re_, ne, ro, no) in sorted(
            counts.items(), key=lambda kv: -kv[1][0] / max(kv[1][1], 1)
        ):
            print(
                f"  {source:22} {re_ / max(ne, 1):.3f} of {ne:3d} "
                f"| {ro / max(no, 1):.3f} of {no:3d}"
            )
        shipped = source_order()[field]
        tuned = tune_order(pages)
        for label, order in (("shipped order", shipped), ("tuned on even", tuned)):
            print(
                f"  {label}: even {_accuracy(pages, order, 0):.3f}, "
                f"odd (held out) {_accuracy(pages, order, 1):.3f}: {', '.join(order)}"
            )


def interleaved_timing(step: int = 3) -> None:
    """The extract stage against trafilatura ``extract`` (as bench/peers.py calls it),
    page by page in turn on every ``step``-th page, so that the load of a shared
    machine weighs on both alike."""
    import trafilatura

    from newsclean.stages.extract.stage import ExtractStage

    stage = ExtractStage()
    records = data.html_records([r["id"] for r in data.gold()])[::step]
    ours = theirs = 0.0
    for record in records:
        start = time.perf_counter()
        trafilatura.extract(record["html"], output_format="json", with_metadata=True)
        middle = time.perf_counter()
        stage.apply(record)
        ours += time.perf_counter() - middle
        theirs += middle - start
    n = len(records)
    print(
        f"\nside by side on {n} pages, in turn: extract stage {ours * 1000 / n:.1f} ms/page, "
        f"trafilatura extract {theirs * 1000 / n:.1f} ms/page, ratio {ours / theirs:.2f}"
    )


def main() -> None:
    if not data.available():
        print(f"no bench data at {data.BENCH} (set NEWSCLEAN_BENCH)")
        return
    default = peers.trafilatura()
    precision = peers.trafilatura(precision=True)
    ours, steps = newsclean_run()
    fast, _ = newsclean_run(fast=True)
    _table([ours, default, precision, *steps, fast], default.ms_per_page)
    print()
    _held_out(ours)
    rows = data.gold()
    body = scoring.corpus_body(ours.bodies, rows)
    title, author, date = _meta(ours, rows, [True] * len(rows))
    figures = {"f1": body.f1, "leak": body.leak, "title": title, "author": author, "date": date}
    missed = [
        f"{k} {v:.3f} (target {'<=' if k == 'leak' else '>='} {TARGETS[k]})"
        for k, v in figures.items()
        if (v > TARGETS[k] if k == "leak" else v < TARGETS[k])
    ]
    if ours.ms_per_page > default.ms_per_page:
        missed.append(
            f"time {ours.ms_per_page:.1f} ms/page > trafilatura {default.ms_per_page:.1f}"
        )
    print("targets missed: " + ("; ".join(missed) if missed else "none"))
    interleaved_timing()
    source_accuracy()
