"""The WCXB dev pages of ../shared/bench (CC-BY-4.0, Murrough Foley 2026), as files and
as the records ``ingest`` makes of them, and newsclean run over such records."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(os.environ.get("NEWSCLEAN_BENCH", ROOT.parent / "shared" / "bench" / "wcxb-dev"))


def available() -> bool:
    return (BENCH / "gold.jsonl").exists()


@cache
def gold() -> list[dict[str, Any]]:
    with open(BENCH / "gold.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def page_text(page_id: str) -> str:
    return (BENCH / "text" / f"{page_id}.txt").read_text(encoding="utf-8")


def page_html(page_id: str) -> str:
    with gzip.open(BENCH / "html" / f"{page_id}.html.gz", "rb") as f:
        return f.read().decode("utf-8", errors="replace")


def text_records(ids: Sequence[str], texts: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Records as ``ingest`` makes them from the saved page text (or from ``texts``,
    one per id, e.g. bodies fed back)."""
    if texts is None:
        texts = [page_text(i) for i in ids]
    return [
        {
            "id": page_id,
            "source": {
                "path": f"text/{page_id}.txt",
                "line": None,
                "format": "text",
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
            "url": None,
            "text": text,
        }
        for page_id, text in zip(ids, texts, strict=True)
    ]


def html_records(ids: Sequence[str]) -> list[dict[str, Any]]:
    """Records as ``ingest`` makes them from the saved HTML (no URL: a saved page has none)."""
    return [
        {
            "id": page_id,
            "source": {"path": f"{page_id}.html", "line": None, "format": "html", "sha256": ""},
            "url": None,
            "html": page_html(page_id),
        }
        for page_id in ids
    ]


def run_stages(records: list[dict[str, Any]], stages: Sequence[Any]) -> tuple[list[Any], float]:
    """``stages`` over ``records`` in this process (the reference runner); the records
    out and ms per page. Every page must come out: a reject fails the bench."""
    from newsclean.runtime.pipeline import run_sequential
    from newsclean.runtime.report import Report

    report = Report(stderr=io.StringIO(), quiet=True)
    start = time.perf_counter()
    out = list(run_sequential(records, stages, report))
    ms = (time.perf_counter() - start) * 1000 / max(1, len(records))
    assert len(out) == len(records), report.summary()
    return out, ms
