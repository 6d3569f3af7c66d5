"""Site-grouped cross-validation of line-role systems for ``bench lines``.

A system is ``fit(pages) -> model`` and ``clean(model, page) -> record``. ``pages`` are the
labelled pages of ``train/build/lines.jsonl.gz`` (``make labels``); ``page`` is one unseen
page: ``{"id", "corpus", "site", "page_title", "text", "batch"}`` with the raw page text and
the texts of the whole corpus it is cleaned with (no labels); the
record holds at least ``body`` and, where the system finds them, ``title``, ``byline``
(list), ``published``, ``section``, ``standfirst``, ``dateline``, ``captions``,
``timestamps``. A test unit's sites are left out of its training set: no page is scored by
a model that saw a page of its site (WCXB: 5 folds by registered domain; newsdev: each
article, the syndicated pairs d13+d14 and d21+d22 together, or its 5 folds).
"""

from __future__ import annotations

import gzip
import importlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from newsclean.stages.lines.page import page_lines

from . import data, lines_newsdev

LABELS = data.ROOT / "train" / "build" / "lines.jsonl.gz"
Page = dict[str, Any]


@dataclass(frozen=True)
class LineSystem:
    """A trainable line-role cleaner."""

    name: str
    fit: Callable[[list[Page]], Any]
    clean: Callable[[Any, Page], dict[str, Any]]


def _every_line_fit(pages: list[Page]) -> None:
    return None


def _every_line_clean(model: None, page: Page) -> dict[str, Any]:
    return {"body": "\n\n".join(ln.text for ln in page_lines(page["text"]))}


BASELINE = LineSystem("baseline: every line body", _every_line_fit, _every_line_clean)


def model_system() -> LineSystem | None:
    """The line model of ``newsclean.stages.lines`` once it exists: ``train.fit`` and
    ``predict`` (a function, or a module with ``clean`` or ``predict``)."""
    try:
        fit = getattr(importlib.import_module("newsclean.stages.lines.train"), "fit", None)
        predict: Any = getattr(importlib.import_module("newsclean.stages.lines"), "predict", None)
        if predict is None:
            predict = importlib.import_module("newsclean.stages.lines.predict")
    except ImportError:
        return None
    if isinstance(predict, ModuleType):
        predict = getattr(predict, "clean", None) or getattr(predict, "predict", None)
    if not callable(fit) or not callable(predict):
        return None
    return LineSystem("newsclean line model", fit, predict)


def labelled_pages() -> list[Page]:
    with gzip.open(LABELS, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def page_text(page: Page) -> str:
    if page["corpus"] == "newsdev":
        return lines_newsdev.page_text(page["id"])
    return data.page_text(page["id"])


def unseen(page: Page, batch: list[str]) -> Page:
    """What a cleaner may see of a test page: its text and ``<title>``, no labels, no gold;
    and ``batch``, the texts of every page of its corpus (the drop it is cleaned in, for
    batch evidence such as lines recurring across pages)."""
    keys = ("id", "corpus", "site", "page_title")
    return {**{k: page[k] for k in keys}, "text": page_text(page), "batch": batch}


def units(pages: list[Page], corpus: str) -> dict[str, list[Page]]:
    """The test units of a corpus: WCXB by fold; newsdev by site group (or by fold when
    NEWSCLEAN_LINES_NEWSDEV=folds, for slow fits)."""
    by_fold = corpus == "wcxb" or os.environ.get("NEWSCLEAN_LINES_NEWSDEV", "folds") == "folds"
    found: dict[str, list[Page]] = {}
    for page in pages:
        if page["corpus"] == corpus:
            key = f"fold {page['fold']}" if by_fold else page["site"]
            found.setdefault(key, []).append(page)
    return dict(sorted(found.items()))


@dataclass
class Run:
    """A system's records on every page of a corpus, the page ids of each test unit, the
    seconds spent fitting (all units) and the ms per page spent cleaning."""

    records: dict[str, dict[str, Any]]
    members: dict[str, list[str]]
    fit_s: float
    clean_ms: float


_FITS: dict[tuple[str, str], Any] = {}


def _fitted(system: LineSystem, pages: list[Page], unit: str, test: list[Page]) -> Any:
    """A model trained without the test unit's sites. A fold leaves out every page of that
    fold, whatever its corpus (the folds are by site for all), so one fit serves the
    fold's WCXB pages and its newsdev pages alike."""
    if unit.startswith("fold "):
        key = (system.name, unit)
        if key not in _FITS:
            fold = int(unit.split()[1])
            _FITS[key] = system.fit([p for p in pages if p["fold"] != fold])
        return _FITS[key]
    held_out = {p["site"] for p in test}
    return system.fit([p for p in pages if p["site"] not in held_out])


def cross_validate(system: LineSystem, pages: list[Page], corpus: str) -> Run:
    """Every page of ``corpus`` cleaned by a model fitted without its unit's sites."""
    out: dict[str, dict[str, Any]] = {}
    members: dict[str, list[str]] = {}
    fitting = cleaning = 0.0
    batch = [page_text(p) for p in pages if p["corpus"] == corpus]
    for unit, test in units(pages, corpus).items():
        start = time.perf_counter()
        model = _fitted(system, pages, unit, test)
        fitting += time.perf_counter() - start
        members[unit] = [p["id"] for p in test]
        inputs = [unseen(page, batch) for page in test]
        start = time.perf_counter()
        for page in inputs:
            out[page["id"]] = system.clean(model, page)
        cleaning += time.perf_counter() - start
    return Run(out, members, fitting, cleaning * 1000 / max(1, len(out)))


def from_labels(pages: list[Page], corpus: str) -> dict[str, dict[str, Any]]:
    """Each page assembled from its own labels: what a perfect line labeller would give
    with the simplest assembly (body and title; no byline, date or other field). An upper
    bound of the line unit, never a result."""
    out: dict[str, dict[str, Any]] = {}
    for page in pages:
        if page["corpus"] != corpus:
            continue
        lines = page["lines"]
        body = [ln["text"] for ln in lines if ln["role"] in ("body", "heading")]
        if body and page.get("dateline") and body[0].startswith(page["dateline"]):
            body[0] = body[0][len(page["dateline"]) :].lstrip(" -–—:")
        title = " ".join(ln["text"].strip() for ln in lines if ln["role"] == "title")
        out[page["id"]] = {
            "body": "\n\n".join(body),
            "title": title or None,
            "dateline": page.get("dateline"),
        }
    return out
