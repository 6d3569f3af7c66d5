"""Roles for the lines of the newsdev articles (../shared/newsdev, d01–d30), derived from
their hand-written gold: fields and body exactly, boilerplate kinds from generic text cues."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from newsclean.stages.lines import roles as R
from newsclean.stages.lines.page import Line, page_lines

from .common import NEWSDEV, collapse, text_kind

_BULLET = re.compile(r"^\s*[•·▪◦‣*-]\s+")
_BLOCKS = frozenset({R.TEASER, R.COMMENTS, R.BIO})  # kinds whose header starts a block


class Located:
    """The page's lines joined by single spaces (whitespace collapsed), to find gold strings
    that span hard wraps and map them back to lines."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.starts: list[int] = []
        parts: list[str] = []
        pos = 0
        for ln in lines:
            self.starts.append(pos)
            part = collapse(ln.text)
            parts.append(part)
            pos += len(part) + 1
        self.joined = " ".join(parts)

    def find(self, text: str, start: int = 0, aligned: bool = True) -> tuple[list[int], int]:
        """Indices of the lines ``text`` covers (first match from char ``start``, on line
        boundaries when ``aligned``) and the char offset after it; ([], start) if absent."""
        needle = collapse(text)
        at = self.joined.find(needle, start) if needle else -1
        while at >= 0:
            end = at + len(needle)
            ok = not aligned or (
                (at == 0 or self.joined[at - 1] == " ")
                and at in self.starts
                and (end == len(self.joined) or end + 1 in self.starts)
            )
            if ok:
                first = bisect_right(self.starts, at) - 1
                last = bisect_right(self.starts, end - 1) - 1
                return list(range(first, last + 1)), end
            at = self.joined.find(needle, at + 1)
        return [], start

    def all(self, text: str, aligned: bool = True) -> list[list[int]]:
        found: list[list[int]] = []
        where, end = self.find(text, 0, aligned)
        while where:
            found.append(where)
            where, end = self.find(text, end, aligned)
        return found


def _paragraphs(gold: dict[str, Any]) -> list[str]:
    return [p for p in str(gold["body"] or "").split("\n\n") if p.strip()]


def _mark_body(loc: Located, gold: dict[str, Any], roles: list[str | None]) -> None:
    """Body and heading lines: each gold paragraph found in order (the first one after
    its dateline, bullets after their marker)."""
    cursor = 0
    headings = {collapse(h) for h in gold.get("headings") or []}
    for para in _paragraphs(gold):
        where, end = loc.find(para, cursor, aligned=True)
        if not where:
            where, end = loc.find(para, cursor, aligned=False)
        for i in where:
            roles[i] = R.HEADING if collapse(para) in headings else R.BODY
        cursor = end if where else cursor


def _nearest(hits: list[list[int]], anchor: int, before: bool) -> list[int]:
    side = [h for h in hits if (h[-1] < anchor if before else h[0] > anchor)]
    if not side:
        return []
    return max(side, key=lambda h: h[0]) if before else min(side, key=lambda h: h[0])


def _set(roles: list[str | None], where: list[int], role: str) -> None:
    for i in where:
        if roles[i] is None:
            roles[i] = role


def _mark_head(loc: Located, gold: dict[str, Any], roles: list[str | None]) -> None:
    """Title (the copy nearest above the body), section right above it, standfirst below."""
    first_body = next((i for i, r in enumerate(roles) if r in R.IN_BODY), len(roles))
    title: list[int] = []
    if gold["title"]:
        title = _nearest(loc.all(gold["title"]), first_body, before=True)
        _set(roles, title, R.TITLE)
    anchor = title[0] if title else first_body
    if gold["section"]:
        _set(roles, _nearest(loc.all(gold["section"]), anchor, before=True), R.SECTION)
    if gold["standfirst"]:
        after = title[-1] if title else -1
        _set(roles, _nearest(loc.all(gold["standfirst"]), after, before=False), R.STANDFIRST)


def _lines_holding(loc: Located, text: str) -> list[list[int]]:
    """Where ``text`` is a whole line (or wrapped lines); else short lines holding it."""
    return loc.all(text) or [
        h for h in loc.all(text, aligned=False) if len(loc.lines[h[0]].text.split()) <= 15
    ]


def _mark_credits(loc: Located, gold: dict[str, Any], roles: list[str | None]) -> None:
    """Bylines, timestamps, source lines and captions with their credits."""
    first_body = next((i for i, r in enumerate(roles) if r in R.IN_BODY), len(roles))
    names = [collapse(n) for n in gold["byline"]]
    for credit in gold.get("source_credits") or []:
        for where in _lines_holding(loc, credit):
            _set(roles, where, R.BYLINE if where[0] < first_body else R.SOURCE)
    for i, ln in enumerate(loc.lines):
        text = collapse(ln.text)
        if i < first_body and any(n in text for n in names) and len(text.split()) <= 15:
            _set(roles, [i], R.BYLINE)
    for stamp in gold["timestamps"]:
        hits = _lines_holding(loc, stamp)
        early = [h for h in hits if h[0] < first_body]
        _set(roles, (early or hits or [[]])[0], R.TIMESTAMP)
    for cap in gold["captions"]:
        hits = loc.all(cap["text"], aligned=False)
        where = hits[0] if hits else []
        _set(roles, where, R.CAPTION)
        if cap.get("credit") and where:
            near = [i for i in range(where[-1] + 1, min(len(roles), where[-1] + 3))]
            for i in near:
                if cap["credit"] in loc.lines[i].text and len(loc.lines[i].text.split()) <= 8:
                    _set(roles, [i], R.CREDIT)
                    break


def _mark_kinds(loc: Located, roles: list[str | None]) -> list[str]:
    """Every line left gets a boilerplate kind: from its own words; inside a block (teaser,
    comments, bio) whose header came before it with no content line between, the block's
    kind unless its words name a stronger one; a wrapped continuation (no blank line before,
    previous line unfinished, starts in lower case) the previous line's kind; a short line
    above the article's first field (the site name) menu."""
    out: list[str] = []
    block: str | None = None
    for i, (ln, role) in enumerate(zip(loc.lines, roles, strict=True)):
        if role is not None:
            block = None
            out.append(role)
            continue
        kind = text_kind(ln.text)
        if kind in _BLOCKS:
            block = kind
        elif block and kind in (None, R.MENU, R.SHARE):
            kind = block
        unfinished = i and not loc.lines[i - 1].text.rstrip().endswith((".", "!", "?", ":"))
        wrapped = unfinished and not ln.blank_before and ln.text.lstrip()[:1].islower()
        if kind is None and wrapped and roles[i - 1] is None:
            kind = out[-1]
        if kind is None and not any(roles[:i]) and len(ln.text.split()) <= 4:
            kind = R.MENU  # the site name and such above the article's first field
        out.append(kind or R.OTHER)
    return out


def label_page(text: str, gold: dict[str, Any]) -> list[dict[str, Any]]:
    """Every line of one newsdev article with its role (markup is null: plain text)."""
    lines = page_lines(text)
    loc = Located(lines)
    roles: list[str | None] = [None] * len(lines)
    _mark_body(loc, gold, roles)
    _mark_head(loc, gold, roles)
    _mark_credits(loc, gold, roles)
    final = _mark_kinds(loc, roles)
    return [
        {"text": ln.text, "role": role, "blank_before": ln.blank_before, "markup": None}
        for ln, role in zip(lines, final, strict=True)
    ]


def load() -> dict[str, dict[str, Any]]:
    with open(NEWSDEV / "gold.json", encoding="utf-8") as f:
        gold: dict[str, dict[str, Any]] = json.load(f)
    return gold


def _joined(records: list[dict[str, Any]], roles: tuple[str, ...]) -> str:
    return collapse(" ".join(r["text"] for r in records if r["role"] in roles))


def check(name: str, records: list[dict[str, Any]], gold: dict[str, Any]) -> list[str]:
    """Every gold field string recovered from the labelled lines; the failures."""
    bad: list[str] = []
    for field, role in (("title", R.TITLE), ("section", R.SECTION), ("standfirst", R.STANDFIRST)):
        if collapse(gold[field] or "") != _joined(records, (role,)):
            bad.append(f"{name}: {field} {gold[field]!r} vs {_joined(records, (role,))!r}")
    credit_lines = _joined(records, (R.BYLINE, R.SOURCE))
    bad += [
        f"{name}: byline {n!r} not on a byline line"
        for n in gold["byline"]
        if n not in credit_lines
    ]
    stamps = _joined(records, (R.TIMESTAMP, R.BYLINE))
    bad += [
        f"{name}: timestamp {t!r} lost" for t in gold["timestamps"] if collapse(t) not in stamps
    ]
    caps = _joined(records, (R.CAPTION, R.CREDIT))
    for cap in gold["captions"]:
        bad += [
            f"{name}: caption {s!r} lost"
            for s in (cap["text"], cap["credit"])
            if s and collapse(s) not in caps
        ]
    heads = [collapse(r["text"]) for r in records if r["role"] == R.HEADING]
    if heads != [collapse(h) for h in gold.get("headings") or []]:
        bad.append(f"{name}: headings {heads}")
    body = [r["text"] for r in records if r["role"] in R.IN_BODY]
    if gold["dateline"] and not (body and body[0].startswith(gold["dateline"])):
        bad.append(f"{name}: dateline {gold['dateline']!r} does not start the body")
    if _body_text(body, gold["dateline"]) != collapse(" ".join(_paragraphs(gold))):
        bad.append(f"{name}: body differs from gold")
    return bad


def _body_text(body: list[str], dateline: str | None) -> str:
    lines = [_BULLET.sub("", b) for b in body]
    if dateline and lines and lines[0].startswith(dateline):
        lines[0] = re.sub(r"^\s*[-–—:]\s*", "", lines[0][len(dateline) :])
    return collapse(" ".join(lines))
