"""Body extraction on the WCXB dev page text: newsclean ``clean`` and ``strip`` beside
jusText and C4's line rules on the same text, and trafilatura on the HTML.

Scoring is ../shared/bench/README.md's (``scoring.corpus_body``). strip was tuned
looking at even page ids only: the odd half is held out, and both halves are printed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from newsclean.memo import clear_memos
from newsclean.stages.base import AnyStage, BatchStage
from newsclean.stages.chain import CleanConfig, clean_chain
from newsclean.stages.strip.stage import Strip

from . import data, peers, scoring


def _run_newsclean(
    stages: Sequence[AnyStage], texts: Sequence[str], ids: Sequence[str]
) -> tuple[list[str], float]:
    out, ms = data.run_stages(data.text_records(ids, texts), stages)
    return [str(r.get("body") or "") for r in out], ms


def _halves(rows: Sequence[dict[str, Any]]) -> dict[str, list[int]]:
    even = [k for k, r in enumerate(rows) if int(r["id"]) % 2 == 0]
    odd = [k for k, r in enumerate(rows) if int(r["id"]) % 2 == 1]
    return {"all": list(range(len(rows))), "tuned (even)": even, "held out (odd)": odd}


def _interleaved_speed(ids: Sequence[str], texts: Sequence[str]) -> None:
    """CPU time of strip's and clean's per-article work beside jusText's, page by page
    in turn, so load from other processes on a shared machine weighs on all alike."""
    import html as html_lib

    import justext

    stoplist = justext.get_stoplist("English")
    stage = Strip()
    stage.apply({"id": "warm-up", "text": "Warm up."})
    chain = clean_chain(CleanConfig())
    data.run_stages(data.text_records(["warm-up"], ["Warm up.\n\nBy Jane Doe"]), chain)
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    ours = theirs = whole = langdetect_cpu = 0.0
    per_stage = dict.fromkeys((type(s).__name__ for s in chain), 0.0)
    for page_id, text in zip(ids, texts, strict=True):
        # Each newsclean run starts with its per-line memos empty: a run on the page
        # just before must not lend it its answers.
        clear_memos()
        start = time.process_time()
        stage.apply({"id": page_id, "text": text})
        ours += time.process_time() - start
        # the whole clean chain on this page alone (names fits on the one page)
        clear_memos()
        start = time.process_time()
        data.run_stages(data.text_records([page_id], [text]), chain)
        whole += time.process_time() - start
        clear_memos()
        _time_stages(chain, data.text_records([page_id], [text])[0], per_stage)
        start = time.process_time()
        detect(text)
        langdetect_cpu += time.process_time() - start
        start = time.process_time()
        markup = "".join(
            f"<p>{html_lib.escape(line)}</p>" for line in text.splitlines() if line.strip()
        )
        justext.justext(f"<html><body>{markup}</body></html>", stoplist)
        theirs += time.process_time() - start
    n = len(texts)
    print(
        f"\nCPU time per page, interleaved on {n} pages: strip (per article, no runner) "
        f"{ours * 1000 / n:.2f} ms, jusText {theirs * 1000 / n:.2f} ms: "
        f"strip is {theirs / ours:.1f}x faster; clean (whole chain, one page per run) "
        f"{whole * 1000 / n:.2f} ms: {theirs / whole:.1f}x jusText's speed"
    )
    stages = ", ".join(f"{name} {cpu * 1000 / n:.2f}" for name, cpu in per_stage.items())
    print(
        f"clean stage by stage, ms/page: {stages}; for scale, langdetect.detect alone on "
        f"the page text {langdetect_cpu * 1000 / n:.2f} ms (5x jusText is "
        f"{theirs * 1000 / n / 5:.2f} ms for the whole chain)"
    )


def _time_stages(chain: Sequence[AnyStage], record: dict[str, Any], cpu: dict[str, float]) -> None:
    """Add each stage's CPU time on one record to ``cpu`` (a batch stage fitted on the
    record alone, as a one-page run does)."""
    for stage in chain:
        start = time.process_time()
        if isinstance(stage, BatchStage):
            record = stage.apply(record, stage.reduce([stage.map(record)]))
        else:
            record = stage.apply(record)
        cpu[type(stage).__name__] += time.process_time() - start


def main() -> None:
    if not data.available():
        print(f"bench data not found at {data.BENCH}: set NEWSCLEAN_BENCH")
        return
    rows = data.gold()
    ids = [r["id"] for r in rows]
    texts = [data.page_text(i) for i in ids]

    systems: list[tuple[str, str, list[str], float]] = []
    clean_bodies, clean_ms = _run_newsclean(clean_chain(CleanConfig()), texts, ids)
    chain = " > ".join(getattr(s, "name", type(s).__name__) for s in clean_chain(CleanConfig()))
    systems.append((f"newsclean clean ({chain})", "text", clean_bodies, clean_ms))
    strip_bodies, strip_ms = _run_newsclean([Strip()], texts, ids)
    systems.append(("newsclean strip", "text", strip_bodies, strip_ms))
    systems.append(("none (page text as saved)", "text", texts, 0.0))
    getters: list[Callable[[], peers.PeerRun]] = [
        peers.justext_lines,
        peers.c4_lines,
        peers.trafilatura,
    ]
    jt_ms = 0.0
    for get in getters:
        run = get()
        kind = "HTML" if "trafilatura" in run.name else "text"
        systems.append((run.name, kind, run.bodies, run.ms_per_page))
        if get is peers.justext_lines:
            jt_ms = run.ms_per_page

    for half, index in _halves(rows).items():
        gold = [rows[k] for k in index]
        print(f"\n{half}: {len(index)} pages")
        print(f"| {'system':44} | input | P     | R     | F1    | with  | leak  | ms/page | x jT |")
        print(f"|{'-' * 46}|-------|-------|-------|-------|-------|-------|---------|------|")
        for name, kind, bodies, ms in systems:
            s = scoring.corpus_body([bodies[k] for k in index], gold)
            speed = f"{jt_ms / ms:.1f}" if ms else "-"
            print(
                f"| {name:44} | {kind:5} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} "
                f"| {s.with_recall:.3f} | {s.leak:.3f} | {ms:7.2f} | {speed:>4} |"
            )

    _interleaved_speed(ids[:150], texts[:150])

    # strip's contract: run again on its own body, it gives the same body.
    again, _ = _run_newsclean([Strip()], strip_bodies, ids)
    same = sum(a == b for a, b in zip(again, strip_bodies, strict=True))
    print(f"\nstrip idempotent (strip of body == body) on {same}/{len(ids)} pages")
