"""Site-grouped cross-validation of the line model, unit by unit (a quick development
check; ``python -m bench lines`` gives the article-level figures).

    python -m train.cv [--no-rules] [--folds 0,1]
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from typing import Any

from newsclean.stages.lines import roles as R
from newsclean.stages.lines.train import corpus_evidence, fit_model, matrix, page_units
from newsclean.stages.strip.rules import load_rules
from train.fit import load


def _score(
    gold: Sequence[str], pred: Sequence[str], sizes: Sequence[int], tally: Counter[str]
) -> None:
    for g, p, n in zip(gold, pred, sizes, strict=True):
        gb, pb = g in R.IN_BODY, p in R.IN_BODY
        tally["wtp"] += n * (gb and pb)
        tally["wfp"] += n * (pb and not gb)
        tally["wfn"] += n * (gb and not pb)
        tally["tp"] += gb and pb
        tally["fp"] += pb and not gb
        tally["fn"] += gb and not pb
        tally["n"] += 1
        tally["right"] += g == p
        if g not in R.BOILERPLATE:
            tally[f"g:{g}"] += 1
            tally[f"ok:{g}"] += g == p


def _report(name: str, t: Counter[str]) -> None:
    p = t["tp"] / max(1, t["tp"] + t["fp"])
    r = t["tp"] / max(1, t["tp"] + t["fn"])
    wp = t["wtp"] / max(1, t["wtp"] + t["wfp"])
    wr = t["wtp"] / max(1, t["wtp"] + t["wfn"])
    roles = " ".join(
        f"{g}={t[f'ok:{g}'] / t[f'g:{g}']:.2f}/{t[f'g:{g}']}" for g in R.CONTENT if t[f"g:{g}"]
    )
    print(
        f"{name:10} units {t['n']:6} role acc {t['right'] / max(1, t['n']):.3f} "
        f"body P {p:.3f} R {r:.3f} words P {wp:.3f} R {wr:.3f} | {roles}"
    )


def _bodies(found: Sequence[Any], roles: Sequence[str]) -> str:
    return "\n\n".join(u.text for u, r in zip(found, roles, strict=True) if r in R.IN_BODY)


def _article_scores(got: dict[str, list[tuple[str, str, str]]]) -> None:
    from bench.data import gold
    from bench.scoring import corpus_body

    rows = {g["id"]: g for g in gold()}
    for corpus, items in sorted(got.items()):
        if not corpus.startswith("wcxb"):
            continue
        g = [rows[i] for i, _, _ in items]
        for name, k in (("model", 1), ("labels", 2)):
            b = corpus_body([it[k] for it in items], g)
            print(
                f"{corpus:10} {name:6} pages {len(items)} body P {b.precision:.3f} "
                f"R {b.recall:.3f} F1 {b.f1:.3f} with {b.with_recall:.3f} leak {b.leak:.3f}"
            )


def run(pages: list[dict[str, Any]], folds: Sequence[int], use_rules: bool) -> None:
    evidence = corpus_evidence(pages)
    got: dict[str, list[tuple[str, str, str]]] = {}
    rules = load_rules() if use_rules else None
    tallies: dict[str, Counter[str]] = {}
    for fold in folds:
        train = [p for p in pages if p["fold"] != fold]
        test = [p for p in pages if p["fold"] == fold]
        model = fit_model(train, evidence, use_rules)
        fold_t: Counter[str] = Counter()
        for page in test:
            found, y = page_units(page)
            pred = model.tag(matrix(page, evidence, rules, model.vocab)).roles
            sizes = [len(u.text.split()) for u in found]
            got.setdefault(page["corpus"], []).append(
                (page["id"], _bodies(found, pred), _bodies(found, y))
            )
            _score(y, pred, sizes, tallies.setdefault(page["corpus"], Counter()))
            _score(y, pred, sizes, fold_t)
        _report(f"fold {fold}", fold_t)
    for corpus, t in sorted(tallies.items()):
        _report(corpus, t)
    _article_scores(got)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-rules", action="store_true")
    ap.add_argument("--folds", default="0,1,2,3,4")
    args = ap.parse_args()
    run(load(), [int(f) for f in args.folds.split(",")], not args.no_rules)


if __name__ == "__main__":
    main()
