"""The WCXB dev pages of ../shared/bench (CC-BY-4.0, Murrough Foley 2026)."""

from __future__ import annotations

import gzip
import json
import os
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
