"""newsdev scoring for ``bench lines``, copied faithfully from ../shared/newsdev/score.py
(which runs a CLI and cannot be imported): body snippets, fields, body shingle P/R."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from . import data

NEWSDEV = Path(data.ROOT.parent / "shared" / "newsdev")


def available() -> bool:
    return (NEWSDEV / "gold.json").exists()


def gold() -> dict[str, dict[str, Any]]:
    """gold.json keyed by page id (file name less ``.txt``)."""
    with open(NEWSDEV / "gold.json", encoding="utf-8") as f:
        raw: dict[str, dict[str, Any]] = json.load(f)
    return {name.rsplit(".", 1)[0]: g for name, g in raw.items()}


def page_text(page_id: str) -> str:
    return (NEWSDEV / f"{page_id}.txt").read_text(encoding="utf-8")


def ws(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def norm(s: str | None) -> str:
    return re.sub(r"\W+", " ", unicodedata.normalize("NFKC", s or "").lower()).strip()


def as_written(r: dict[str, Any]) -> str:
    """The body with every person mention put back as the input wrote it."""
    body = str(r.get("body") or "")
    for m in sorted(r.get("names") or [], key=lambda m: m.get("start", 0), reverse=True):
        s, e, t = m.get("start"), m.get("end"), m.get("text")
        ok = isinstance(s, int) and isinstance(e, int) and isinstance(t, str)
        if ok and 0 <= s <= e <= len(body):
            body = body[:s] + t + body[e:]
    return body


def body_checks(r: dict[str, Any], g: dict[str, Any]) -> list[bool]:
    """score.py ``body``: each include snippet kept, each exclude snippet gone."""
    body = ws(as_written(r))
    kept = [ws(s) in body for s in g["body_must_include"]]
    gone = [ws(s) not in body for s in g["body_must_exclude"]]
    return kept + gone


def field_checks(r: dict[str, Any], g: dict[str, Any]) -> dict[str, bool]:
    """score.py ``fields``: title, section, standfirst, byline, dateline, caption credits,
    timestamp count."""
    credits = sorted(norm(c.get("credit")) for c in r.get("captions") or [])
    return {
        "title": norm(r.get("title")) == norm(g["title"]),
        "section": norm(r.get("section")) == norm(g["section"]),
        "standfirst": norm(r.get("standfirst")) == norm(g["standfirst"]),
        "byline": sorted(map(norm, r.get("byline") or [])) == sorted(map(norm, g["byline"])),
        "dateline": norm(r.get("dateline")) == norm(g["dateline"]),
        "captions": credits == sorted(norm(c.get("credit")) for c in g["captions"]),
        "timestamps": len(r.get("timestamps") or []) == len(g["timestamps"]),
    }


def _shingles(t: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = re.findall(r"\w+", t or "")
    if 0 < len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def shingle_pr(pred: str, gold_body: str) -> tuple[float | None, float | None]:
    """score.py ``bodyf1`` for one page: (precision, recall), None where undefined."""
    p, g = _shingles(pred), _shingles(gold_body)
    tp = sum((p & g).values())
    return (tp / sum(p.values()) if p else None, tp / sum(g.values()) if g else None)
