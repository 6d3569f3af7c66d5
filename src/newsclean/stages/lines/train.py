"""Training examples from labelled pages, and the model fitted to them.

A labelled page (``train/labels.py`` writes them) holds its physical lines, each with a
role; ``page_units`` joins wrapped lines into units exactly as the model will at run time
and gives each unit the role most of its lines have. ``fit_pages`` trains a model.

What a page's features may not hold is its own labels: the vocabulary columns of a
training page come from a table learnt without that page's group of sites, and pass 2
trains on pass 1's answers for pages pass 1 did not train on.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from newsclean.stages.lines import roles as R
from newsclean.stages.lines.evidence import Evidence, line_keys
from newsclean.stages.lines.features import NAMES, Context, page_matrix
from newsclean.stages.lines.model import PASS2_NAMES, LineModel, context, train_booster
from newsclean.stages.lines.page import Line
from newsclean.stages.lines.units import Unit, units
from newsclean.stages.lines.vocab import Vocab
from newsclean.stages.strip.rules import Rules, load_rules

Page = Mapping[str, Any]
#: newsdev pages are the mission's own kind of input and few: each weighs this much more.
WEIGHTS = {"newsdev": 10.0}
INNER = 2


def page_units(page: Page) -> tuple[list[Unit], list[str]]:
    """A labelled page's units and the role of each (its lines' majority role; the
    first line's on a tie)."""
    lines = [Line(ln["text"], ln["blank_before"], i) for i, ln in enumerate(page["lines"])]
    found = units(lines)
    roles = []
    for u in found:
        members = [page["lines"][i]["role"] for i in range(u.first, u.first + u.size)]
        counts = Counter(members)
        best = max(counts.values())
        roles.append(next(r for r in members if counts[r] == best))
    return found, roles


def corpus_evidence(pages: Iterable[Page]) -> dict[str, Evidence]:
    """Per corpus, the recurrence of lines across its pages (the batch it came in)."""
    parts: dict[str, list[list[int]]] = {}
    for page in pages:
        parts.setdefault(page["corpus"], []).append(line_keys(page_units(page)[0]))
    return {corpus: Evidence.of(p) for corpus, p in sorted(parts.items())}


def _inner(page: Page) -> int:
    return int(hashlib.sha1(f"inner:{page['site']}".encode()).hexdigest(), 16) % INNER


def learn_vocab(pages: Iterable[Page]) -> Vocab:
    return Vocab.learn(
        (u.text, role in R.IN_BODY) for p in pages for u, role in zip(*page_units(p), strict=True)
    )


def page_title(page: Page) -> str | None:
    """The page title the model may read: only where extract gives one at run time (HTML
    pages); a text page comes with none, so it trains with none."""
    return page.get("page_title") if page["corpus"] == "wcxb-html" else None


def matrix(
    page: Page, evidence: Mapping[str, Evidence], rules: Rules | None, vocab: Vocab
) -> np.ndarray:
    found, _ = page_units(page)
    ev = evidence.get(page["corpus"])
    ctx = Context(page_title(page), ev.others(found) if ev is not None else ())
    return page_matrix(found, ctx, rules, vocab)


def _stack(
    xs: Sequence[np.ndarray], pages: Sequence[Page]
) -> tuple[np.ndarray, list[int], list[float]]:
    y = [R.ROLES.index(r) for p in pages for r in page_units(p)[1]]
    w = [
        WEIGHTS.get(p["corpus"], 1.0) for p, x in zip(pages, xs, strict=True) for _ in range(len(x))
    ]
    return np.vstack(xs), y, w


def fit_model(
    pages: Sequence[Page], evidence: Mapping[str, Evidence], use_rules: bool = True
) -> LineModel:
    """A model trained on ``pages``."""
    rules = load_rules() if use_rules else None
    groups = [_inner(p) for p in pages]
    vocabs = [
        learn_vocab(p for p, g in zip(pages, groups, strict=True) if g != k) for k in range(INNER)
    ]
    xs = [matrix(p, evidence, rules, vocabs[g]) for p, g in zip(pages, groups, strict=True)]
    x, y, w = _stack(xs, pages)
    rows = np.repeat(groups, [len(a) for a in xs])
    oof = np.zeros((len(y), len(R.ROLES)))
    for k in range(INNER):
        held = rows == k
        booster = train_booster(x[~held], np.asarray(y)[~held], np.asarray(w)[~held], NAMES)
        oof[held] = booster.predict(x[held])
    pass1 = train_booster(x, y, w, NAMES)
    ctx = np.vstack([context(oof[s:e]) for s, e in _spans(xs)])
    pass2 = train_booster(np.hstack([x, ctx]), y, w, PASS2_NAMES)
    return LineModel(learn_vocab(pages), pass1, pass2)


def _spans(xs: Sequence[np.ndarray]) -> list[tuple[int, int]]:
    out, start = [], 0
    for a in xs:
        out.append((start, start + len(a)))
        start += len(a)
    return out


def fit_pages(
    pages: Sequence[Page], evidence: Mapping[str, Evidence], use_rules: bool = True
) -> bytes:
    """The bytes of the model file trained on ``pages``."""
    return fit_model(pages, evidence, use_rules).to_bytes()


def fit(pages: Sequence[Page]) -> LineModel:
    """``bench lines``'s entry: a model trained on ``pages`` (rules read, evidence per
    corpus)."""
    return fit_model(pages, corpus_evidence(pages))
