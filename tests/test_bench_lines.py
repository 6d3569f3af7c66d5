"""bench lines: the pieces that need no shared data (scoring copies, units, the HTML hook)."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest
from bench import lines_cv
from bench.bench_lines import c4_body, html_recall_gaps
from bench.lines_newsdev import body_checks, field_checks, shingle_pr

GOLD = {
    "title": "A headline",
    "section": None,
    "standfirst": None,
    "byline": ["Jane Doe"],
    "dateline": "BEIRUT",
    "timestamps": ["2 hours ago"],
    "captions": [],
    "body_must_include": ["the council met on Monday"],
    "body_must_exclude": ["Read more"],
    "body": "the council met on Monday and voted",
}


def test_newsdev_checks_as_score_py() -> None:
    rec = {"body": "BEIRUT — the council met on Monday and voted", "title": "A Headline!"}
    assert body_checks(rec, GOLD) == [True, True]
    checks = field_checks({**rec, "byline": ["Jane Doe"], "timestamps": ["x"]}, GOLD)
    assert checks["title"] and checks["byline"] and checks["timestamps"]
    assert not checks["dateline"] and checks["section"]


def test_shingle_pr_undefined_on_empty_prediction() -> None:
    assert shingle_pr("", "one two three four five") == (None, 0.0)
    assert shingle_pr("one two three four five", "one two three four five") == (1.0, 1.0)


def test_html_recall_gaps_lists_pages_well_below_trafilatura() -> None:
    gold = {"a": {"body": "w1 w2 w3 w4 w5 w6 w7 w8"}, "b": {"body": "x1 x2 x3 x4 x5"}}
    gaps = html_recall_gaps(
        ["a", "b"], ["w1 w2 w3 w4", "x1 x2 x3 x4 x5"], ["w1 w2 w3 w4 w5 w6 w7 w8", "x1"], gold
    )
    assert [g[0] for g in gaps] == ["a"]


def test_units_group_by_fold_or_site(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [
        {"id": "1", "corpus": "wcxb", "site": "a.com", "fold": 2},
        {"id": "2", "corpus": "newsdev", "site": "d13+d14", "fold": 0},
        {"id": "3", "corpus": "newsdev", "site": "d13+d14", "fold": 0},
    ]
    assert lines_cv.units(pages, "wcxb") == {"fold 2": [pages[0]]}
    # newsdev by site group, or by fold (NEWSCLEAN_LINES_NEWSDEV=folds, the default now)
    monkeypatch.setenv("NEWSCLEAN_LINES_NEWSDEV", "sites")
    assert lines_cv.units(pages, "newsdev") == {"d13+d14": pages[1:]}
    monkeypatch.setenv("NEWSCLEAN_LINES_NEWSDEV", "folds")
    assert lines_cv.units(pages, "newsdev") == {"fold 0": pages[1:]}


def test_baseline_keeps_every_line() -> None:
    page = {"text": "\ufeffTitle\r\n\r\nBody line.\n \n"}
    assert lines_cv.BASELINE.clean(None, page)["body"] == "Title\n\nBody line."
    assert c4_body("Too short.\nThis line has five words at least.") == (
        "This line has five words at least."
    )


def test_model_system_found_once_the_modules_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    train, predict = ModuleType("train"), ModuleType("predict")
    train.fit = lambda pages: len(pages)  # type: ignore[attr-defined]
    predict.clean = lambda model, page: {"body": str(model)}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsclean.stages.lines.train", train)
    monkeypatch.setitem(sys.modules, "newsclean.stages.lines.predict", predict)
    system = lines_cv.model_system()
    assert system is not None and system.clean(system.fit([{}, {}]), {}) == {"body": "2"}
