"""names: precision and recall of ``names match`` on the hand-built pairs, beside a
rapidfuzz ``token_sort_ratio`` threshold baseline; ms per article of the stage.

The pairs (``tests/data/names/pairs.tsv``) are split by the first hex digit of
sha1("a<TAB>b"): even -> tuning half, odd -> held-out half. The baseline's threshold
is the one with the best F1 on the tuning half (ties: the higher threshold); the
names rules were tuned looking at the tuning half only.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "data" / "names" / "pairs.tsv"
SAMPLES = ROOT / "samples"
ARTICLES = 10_000

Pair = tuple[str, str, bool, str]


def load_pairs() -> list[Pair]:
    out = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("a\tb\t"):
            continue
        a, b, label, group, _ = line.split("\t")
        out.append((a, b, label == "same", group))
    return out


def tuning(pair: Pair) -> bool:
    digest = hashlib.sha1(f"{pair[0]}\t{pair[1]}".encode()).hexdigest()
    return int(digest[0], 16) % 2 == 0


def scores(pairs: list[Pair], predict: Callable[[str, str], bool]) -> tuple[float, float, int]:
    tp = fp = fn = 0
    for a, b, same, _ in pairs:
        guess = predict(a, b)
        tp += guess and same
        fp += guess and not same
        fn += same and not guess
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, len(pairs)


def best_threshold(pairs: list[Pair]) -> int:
    from rapidfuzz.fuzz import token_sort_ratio

    ratios = [(token_sort_ratio(a, b), same) for a, b, same, _ in pairs]
    best, best_f1 = 100, -1.0
    for threshold in range(100, 49, -1):
        tp = sum(r >= threshold and same for r, same in ratios)
        fp = sum(r >= threshold and not same for r, same in ratios)
        fn = sum(r < threshold and same for r, same in ratios)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


def quality() -> None:
    from rapidfuzz.fuzz import token_sort_ratio

    from newsclean.stages.names.match import match_names

    pairs = load_pairs()
    tune = [p for p in pairs if tuning(p)]
    held = [p for p in pairs if not tuning(p)]
    threshold = best_threshold(tune)
    systems: list[tuple[str, Callable[[str, str], bool]]] = [
        ("names match", lambda a, b: match_names(a, b).same),
        (
            f"token_sort_ratio >= {threshold} (best F1 on tuning half)",
            lambda a, b: token_sort_ratio(a, b) >= threshold,
        ),
    ]
    same = sum(p[2] for p in pairs)
    print(
        f"pairs: {len(pairs)} ({same} same, {len(pairs) - same} different); "
        f"tuning {len(tune)}, held-out {len(held)}"
    )
    print(f"{'system':<52} {'half':<9} {'precision':>9} {'recall':>7} {'pairs':>6}")
    for label, predict in systems:
        for half, subset in (("tuning", tune), ("held-out", held), ("all", pairs)):
            p, r, n = scores(subset, predict)
            print(f"{label:<52} {half:<9} {p:>9.3f} {r:>7.3f} {n:>6}")
    print("\nnames match errors on the tuning half (the held-out half is only scored):")
    for a, b, truth, group in tune:
        verdict = match_names(a, b)
        if verdict.same != truth:
            kind = "false merge" if verdict.same else "missed"
            print(f"  {kind:<11} [{group}] {a!r} / {b!r}: {verdict.reason}")


def speed() -> None:
    from newsclean.runtime.ingest import read_inputs
    from newsclean.runtime.options import IngestOptions
    from newsclean.runtime.report import Report
    from newsclean.stages.names import NamesStage

    samples = list(read_inputs([str(SAMPLES)], IngestOptions(), Report(stderr=io.StringIO())))
    records = [dict(samples[i % len(samples)], id=f"{i}") for i in range(ARTICLES)]
    stage = NamesStage()
    start, cpu = time.perf_counter(), time.process_time()
    model = stage.fit(records)
    fitted = time.perf_counter()
    for record in records:
        stage.apply(record, model)
    done, cpu_done = time.perf_counter(), time.process_time()
    per = (done - start) * 1000 / ARTICLES
    per_cpu = (cpu_done - cpu) * 1000 / ARTICLES
    print(
        f"\nnames stage on the {len(samples)} samples repeated to {ARTICLES:,} articles: "
        f"fit {fitted - start:.2f} s + apply {done - fitted:.2f} s = {per:.3f} ms per article "
        f"wall clock, {per_cpu:.3f} ms CPU time (target <= 1 ms; {len(model.people)} people)"
    )


def wcxb_bodies(pages: int = 300) -> None:
    """The stage on real page bodies (WCXB dev text after strip and split): longer than
    the samples and full of capitalised words (headings, menus, product names). CPU
    time, one fresh batch, so the per-name caches start cold as in a real run."""
    from newsclean.errors import Reject
    from newsclean.stages.names import NamesStage
    from newsclean.stages.split.stage import Split
    from newsclean.stages.strip.stage import Strip

    from . import data

    if not data.available():
        print(f"\nWCXB bodies: skipped, no bench data at {data.BENCH}")
        return
    strip, split = Strip(), Split()
    records = []
    for row in data.gold()[:pages]:
        try:
            records.append(
                split.apply(strip.apply({"id": row["id"], "text": data.page_text(row["id"])}))
            )
        except Reject:
            continue
    stage = NamesStage()
    start = time.process_time()
    parts = [stage.map(r) for r in records]
    mapped = time.process_time()
    model = stage.reduce(parts)
    reduced = time.process_time()
    for record in records:
        stage.apply(record, model)
    done = time.process_time()
    n = len(records)
    per_map, per_apply = (mapped - start) * 1000 / n, (done - reduced) * 1000 / n
    print(
        f"\nnames stage on {n} WCXB bodies after strip and split (CPU time, cold caches): "
        f"map {per_map:.2f} ms per page, reduce {(reduced - mapped) * 1000:.0f} ms, "
        f"apply {per_apply:.2f} ms per page"
    )


def distinct() -> None:
    """The reduce on many distinct names, crowded on a few surnames (worst case of the
    blocking): its cost grows with distinct names, not with articles."""
    import random

    from newsclean.stages.names.cluster import cluster
    from newsclean.stages.names.lexicon import lexicon

    rng = random.Random(6)
    given = sorted(lexicon().given_names)
    common = ["Ali", "Hassan", "Khan", "Smith", "Abbasi", "Abbas", "Hussein", "Barzani", "Wang"]
    surnames = common + [rng.choice(given).title() + "ov" for _ in range(300)]
    counts = {}
    while len(counts) < 20_000:
        counts[f"{rng.choice(given).title()} {rng.choice(surnames)}"] = rng.randint(1, 5)
    cpu = time.process_time()
    model = cluster(counts)
    print(
        f"reduce of {len(counts):,} distinct synthetic names ({len(common)} crowded surnames): "
        f"{time.process_time() - cpu:.2f} s CPU, {len(model.people):,} people"
    )


def main() -> None:
    quality()
    speed()
    wcxb_bodies()
    distinct()


if __name__ == "__main__":
    main()
