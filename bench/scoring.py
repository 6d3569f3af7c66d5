"""Scoring of ../shared/bench/README.md: body shingles, snippets, metadata matches."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W+")
_SPACE = re.compile(r"\s+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text)
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class PageScore:
    precision: float | None  # None when nothing was predicted
    recall: float


def score_body(predicted: str, gold: str) -> PageScore:
    p, g = shingles(predicted), shingles(gold)
    tp = sum((p & g).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    if fp == 0 and fn == 0:
        return PageScore(1.0, 1.0)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else 1.0
    return PageScore(precision, recall)


@dataclass(frozen=True)
class BodyScore:
    precision: float
    recall: float
    f1: float
    with_recall: float
    leak: float


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def corpus_body(predicted: Sequence[str], gold_rows: Sequence[dict[str, object]]) -> BodyScore:
    """Corpus precision/recall (means over pages), F1 of the means, snippet recall, leak rate."""
    precisions: list[float] = []
    recalls: list[float] = []
    found_with = total_with = found_without = total_without = 0
    for pred, gold in zip(predicted, gold_rows, strict=True):
        page = score_body(pred, str(gold["body"] or ""))
        if page.precision is not None:
            precisions.append(page.precision)
        recalls.append(page.recall)
        flat = _collapse(pred)
        for snippet in gold.get("with") or []:  # type: ignore[attr-defined]
            total_with += 1
            found_with += _collapse(snippet) in flat
        for snippet in gold.get("without") or []:  # type: ignore[attr-defined]
            total_without += 1
            found_without += _collapse(snippet) in flat
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return BodyScore(
        p,
        r,
        f1,
        found_with / total_with if total_with else 1.0,
        found_without / total_without if total_without else 0.0,
    )


def normalize_meta(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).lower()
    return _NON_WORD.sub(" ", value).strip()


def meta_match(field: str, predicted: object, gold: object) -> bool:
    """Title and author: equal after NFKC, lower case, non-word runs folded to one space.
    Date: the first 10 characters equal. A list prediction (byline) is joined with ', '."""
    if not predicted or not gold:
        return False
    if isinstance(predicted, list):
        predicted = ", ".join(str(p) for p in predicted)
    if field == "date":
        return str(predicted)[:10] == str(gold)[:10]
    return normalize_meta(str(predicted)) == normalize_meta(str(gold))


def meta_accuracy(
    field: str, predicted: Iterable[object], gold_rows: Sequence[dict[str, object]]
) -> tuple[float, int]:
    """Share of pages whose gold has ``field`` that the prediction matches, and that count."""
    hits = total = 0
    for pred, gold in zip(predicted, gold_rows, strict=True):
        if gold.get(field):
            total += 1
            hits += meta_match(field, pred, gold[field])
    return (hits / total if total else 0.0), total
