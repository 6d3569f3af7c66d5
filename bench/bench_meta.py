"""Title, author and date accuracy of ``clean`` on the WCXB page text, beside
trafilatura's metadata on the HTML; body F1 of ``clean``; split's speed.

Tuning happens on even page ids; odd ids are printed apart as held out.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from newsclean.runtime.pipeline import run_sequential
from newsclean.runtime.report import Report
from newsclean.stages.chain import CleanConfig, clean_chain

from . import data, peers
from .scoring import corpus_body, meta_accuracy


def run_clean(
    records: list[dict[str, Any]], without: tuple[str, ...] = ()
) -> tuple[list[dict[str, Any]], float]:
    """``clean`` (less the stages named in ``without``) over ``records``; ms per page."""
    stages = [s for s in clean_chain(CleanConfig()) if s.name not in without]
    return data.run_stages(records, stages)


def predictions(records: list[dict[str, Any]]) -> dict[str, list[object]]:
    return {
        "title": [r.get("title") for r in records],
        "author": [r.get("byline") or None for r in records],
        "date": [r.get("published") or r.get("updated") for r in records],
    }


def _row(name: str, preds: dict[str, list[object]], rows: list[dict[str, Any]]) -> str:
    cells = []
    for field in ("title", "author", "date"):
        acc, total = meta_accuracy(field, preds[field], rows)
        cells.append(f"{acc:.3f} ({total})")
    no_author = [i for i, r in enumerate(rows) if not r.get("author")]
    wrong = sum(1 for i in no_author if preds["author"][i])
    share = wrong / len(no_author) if no_author else 0.0
    return f"| {name} | {' | '.join(cells)} | {share:.3f} ({len(no_author)}) |"


def _subset(preds: dict[str, list[object]], keep: list[int]) -> dict[str, list[object]]:
    return {k: [v[i] for i in keep] for k, v in preds.items()}


def main() -> None:
    if not data.available():
        print(f"no bench data at {data.BENCH}; skipped")
        return
    gold = data.gold()
    ids = [row["id"] for row in gold]
    records = data.text_records(ids)
    out, ms = run_clean(records)
    ours = predictions(out)
    traf = peers.trafilatura()
    theirs = {"title": list(traf.titles), "author": list(traf.authors), "date": list(traf.dates)}

    even = [i for i, r in enumerate(gold) if int(r["id"]) % 2 == 0]
    odd = [i for i, r in enumerate(gold) if int(r["id"]) % 2 == 1]
    print("Metadata accuracy (pages whose gold has the field); last column: share of")
    print("no-author pages given a byline anyway (lower is better).\n")
    print("| system | pages | title | author | date | byline on no-author |")
    print("|---|---|---|---|---|---|")
    for label, keep in (
        ("all", list(range(len(gold)))),
        ("even (tuned)", even),
        ("odd (held out)", odd),
    ):
        rows = [gold[i] for i in keep]
        line = _row("newsclean clean, page text", _subset(ours, keep), rows)
        print(
            line.replace(
                "| newsclean clean, page text |", f"| newsclean clean, page text | {label} |"
            )
        )
        line = _row("trafilatura, HTML", _subset(theirs, keep), rows)
        print(line.replace("| trafilatura, HTML |", f"| trafilatura, HTML | {label} |"))

    body = corpus_body([r.get("body") or "" for r in out], gold)
    raw = corpus_body([r["text"] for r in records], gold)
    no_split, _ = run_clean(data.text_records(ids), without=("split",))
    before = corpus_body([r.get("body") or "" for r in no_split], gold)
    print("\nBody of clean on the page text (the page as saved, and clean without split,")
    print("for reference):\n")
    print("| body | P | R | F1 | with | leak |")
    print("|---|---|---|---|---|---|")
    for name, s in (("page text", raw), ("clean without split", before), ("clean", body)):
        print(
            f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
            f"{s.with_recall:.3f} | {s.leak:.3f} |"
        )
    print(
        f"\nclean: {ms:.2f} ms/page over {len(records)} pages (trafilatura: {traf.ms_per_page:.1f})"
    )
    split_speed()


def split_speed(repeat: int = 200) -> None:
    """CPU time of split alone on the five samples after strip (the case issue #8 sizes),
    beside strip's on the same articles."""
    from newsclean.stages.split.stage import Split
    from newsclean.stages.strip.stage import Strip, StripConfig

    raw = []
    for path in sorted((data.ROOT / "samples").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        source = {
            "path": str(path),
            "format": "text",
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        }
        raw.append({"id": path.stem, "source": source, "url": None, "text": text})
    strip = [Strip(StripConfig())]
    stripped = list(run_sequential(raw, strip, Report(quiet=True)))
    rounds = max(1, repeat // 10)
    start = time.process_time()
    for _ in range(rounds):
        list(run_sequential(raw, strip, Report(quiet=True)))
    strip_ms = (time.process_time() - start) * 1000 / rounds / len(raw)
    split = Split()
    start = time.process_time()
    for _ in range(repeat):
        for record in stripped:
            split.apply(record)
    split_ms = (time.process_time() - start) * 1000 / repeat / len(raw)
    print(
        f"split alone: {split_ms:.3f} ms CPU per sample article after strip "
        f"(strip: {strip_ms:.3f} ms on the same articles; split alone "
        f"{1000 / split_ms:.0f} articles/s/core)"
    )
