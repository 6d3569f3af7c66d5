"""Roles for the lines of a WCXB page (saved page text or extractor output), derived from the
page's gold record (body, title, author, date) and from the HTML markup holding each line."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from newsclean.dates import find_dates

from newsclean.stages.lines import roles as R
from newsclean.stages.lines.page import Line, page_lines

from .common import coverage, norm_meta, shingle_set, text_kind, tokens
from .markup import BOILERPLATE_CUES, PageMarkup, ancestors_of, describe

SHORT = 12  # words: a byline or timestamp line is at most this long
_CREDIT = re.compile(
    r"^\W*(photo|image|picture|credit|source|courtesy|foto)s?\b|©|getty|reuters|\bap\b|afp|"
    r"shutterstock|istock|unsplash",
    re.I,
)
_END = (".", "!", "?", ":", ";", '"', "”", "'", "’", ")")


@dataclass
class Gold:
    """The gold of one page, tokenised for matching."""

    body_doc: str  # " tok tok … " of the whole body
    body_shingles: set[tuple[str, ...]]
    lines: set[str]  # " tok … " of each gold body line
    title: str
    authors: list[str]
    date: str | None
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def gold_of(row: dict[str, Any]) -> Gold:
    body = str(row.get("body") or "")
    toks = tokens(body)
    authors = [
        norm_meta(a)
        for a in re.split(r",|;|\band\b|&", str(row.get("author") or ""))
        if len(norm_meta(a)) > 2
    ]
    return Gold(
        " " + " ".join(toks) + " ",
        shingle_set(toks),
        {" " + " ".join(tokens(x)) + " " for x in body.split("\n") if tokens(x)},
        norm_meta(row.get("title")),
        authors,
        row.get("date"),
        body,
    )


def _body_flags(toks: list[list[str]], gold: Gold) -> list[bool]:
    """Which lines are body: held whole by the gold body (long or a whole gold line), or
    mostly (≥ half their 4-token shingles, not counting gold text whole lines already hold);
    short pieces next to a body neighbour that
    continues the gold text right there."""
    n = len(toks)
    flags = [False] * n
    spans: list[tuple[int, int] | None] = [None] * n
    for i, t in enumerate(toks):
        if not t:
            continue
        needle = " " + " ".join(t) + " "
        at = gold.body_doc.find(needle)
        if at >= 0 and (len(t) >= 4 or needle in gold.lines):
            flags[i], spans[i] = True, (at, at + len(needle) - 1)
    claimed = set().union(*(shingle_set(t) for t, f in zip(toks, flags, strict=True) if f))
    unclaimed = gold.body_shingles - claimed
    for i, t in enumerate(toks):
        # mixed lines: most of their text is gold text no whole line already gave
        if not flags[i] and len(t) >= 4 and coverage(t, unclaimed) >= 0.5:
            flags[i] = True
    for order in (range(1, n), range(n - 2, -1, -1)):
        for i in order:
            j = i - 1 if order.step == 1 else i + 1
            if flags[i] or not toks[i] or spans[j] is None:
                continue
            piece = " ".join(toks[i])
            start, end = spans[j]
            if order.step == 1 and gold.body_doc.startswith(" " + piece + " ", end):
                flags[i], spans[i] = True, (end, end + len(piece) + 1)
            elif order.step != 1 and gold.body_doc[: start + 1].endswith(" " + piece + " "):
                flags[i], spans[i] = True, (start - len(piece) - 1, start)
    _drop_duplicates(toks, flags, gold)
    return flags


def _drop_duplicates(toks: list[list[str]], flags: list[bool], gold: Gold) -> None:
    """A body text the page repeats more often than the gold does keeps only the copies
    with the most body lines around them (a lede repeated as a meta description goes)."""
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(toks):
        if flags[i] and len(t) >= 4:
            groups.setdefault(" ".join(t), []).append(i)
    for text, where in groups.items():
        allowed = max(1, gold.body_doc.count(" " + text + " "))
        if len(where) <= allowed:
            continue

        def support(i: int) -> int:
            return sum(flags[k] for k in range(max(0, i - 3), min(len(flags), i + 4)) if k != i)

        keep = set(sorted(where, key=lambda i: (-support(i), i))[:allowed])
        for i in where:
            flags[i] = i in keep


def _has_date(text: str, iso: str | None) -> bool:
    for m in find_dates(text):
        if m.iso and (iso is None or m.iso[:10] == iso[:10] or _swapped(m.iso) == iso[:10]):
            return True
    return False


def _swapped(iso: str) -> str:
    return f"{iso[:5]}{iso[8:10]}-{iso[5:7]}"


def _field_role(line: str, gold: Gold, cues: list[str], near: bool) -> str | None:
    """Byline: a short line holding a gold author, near the article's start or end (or in
    an author element); timestamp: a short line holding the gold date. Neither inside a
    boilerplate container (a teaser card's author, a comment's date): that one's kind wins."""
    if any(cue in BOILERPLATE_CUES for cue in cues):
        return None
    words = len(line.split())
    norm = norm_meta(line)
    if (
        words <= SHORT
        and (near or "byline" in cues)
        and gold.authors
        and any(re.search(rf"\b{re.escape(a)}\b", norm) for a in gold.authors)
    ):
        return R.BYLINE
    if words <= SHORT and gold.date and _has_date(line, gold.date):
        return R.TIMESTAMP
    return None


def _markup_role(line: str, mark: dict[str, Any] | None, before_title: bool) -> str | None:
    """The role the markup gives a line that is neither body nor a gold field: a boilerplate
    kind when any container above it (below the content wrapper) names one, else the
    nearest field cue that fits the line, else menu for a link that is a list item."""
    if mark is None:
        return None
    cues = mark["cues"]
    for cue in cues:
        if cue in BOILERPLATE_CUES:
            return cue
    words = len(line.split())
    for cue in cues:
        if cue == "caption":
            return R.CREDIT if words <= 6 and _CREDIT.search(line) else R.CAPTION
        if cue == "timestamp" and words <= SHORT and _has_date(line, None):
            return R.TIMESTAMP
        if cue == "section" and before_title and words <= 5:
            return R.SECTION
    if mark["tag"] == "a" and mark["path"][:1] == ["li"]:
        return R.MENU
    return None


def _heading(line: str, toks: list[str], gold: Gold, mark: dict[str, Any] | None) -> bool:
    """A body line is a heading when the gold has it as a whole short line and the HTML
    holds it in h2–h6, or (no telling markup) it has no terminal punctuation."""
    if " " + " ".join(toks) + " " not in gold.lines or len(toks) > 20:
        return False
    near = [mark["tag"], *mark["path"][:2]] if mark else []
    if any(t in ("h2", "h3", "h4", "h5", "h6") for t in near):
        return True
    no_heading = ("li", "tr", "td", "th", "a", "dt", "dd", "button", "label", "code", "pre")
    if any(t in no_heading for t in near):
        return False
    return len(toks) <= SHORT and not line.rstrip().endswith(_END)


def _title_line(lines: list[Line], gold: Gold, first_body: int) -> int | None:
    """The copy of the gold title nearest the body (before it when there is one before)."""
    if not gold.title:
        return None
    hits = [ln.index for ln in lines if norm_meta(ln.text) == gold.title]
    before = [i for i in hits if i < first_body]
    return max(before) if before else (min(hits) if hits else None)


def label_page(
    text: str, gold: Gold, markup: PageMarkup | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Every line of ``text`` with its role and markup, and the roles alone."""
    lines = page_lines(text)
    toks = [tokens(ln.text) for ln in lines]
    body = _body_flags(toks, gold)
    elements = [markup.locate(ln.text) if markup else None for ln in lines]
    stop = ancestors_of([el for el, b in zip(elements, body, strict=True) if b and el is not None])
    marks = [describe(el, stop) for el in elements]
    first_body = body.index(True) if any(body) else len(lines)
    last_body = max((i for i, b in enumerate(body) if b), default=len(lines))
    title_at = _title_line(lines, gold, first_body)
    start = min(first_body, len(lines) if title_at is None else title_at) - 8
    out_roles: list[str] = []
    for ln, t, is_body, mark in zip(lines, toks, body, marks, strict=True):
        cues = mark["cues"] if mark else []
        if ln.index == title_at:
            role = R.TITLE
        elif is_body:
            role = R.HEADING if _heading(ln.text, t, gold, mark) else R.BODY
        elif norm_meta(ln.text) == gold.title and gold.title:
            role = R.MENU if "menu" in cues else R.OTHER
        else:
            before = title_at is not None and title_at - 5 <= ln.index < title_at
            near = start <= ln.index <= first_body + 8 or last_body < ln.index <= last_body + 3
            role = (
                _field_role(ln.text, gold, cues, near)
                or _markup_role(ln.text, mark, before)
                or text_kind(ln.text)
                or R.OTHER
            )
        out_roles.append(role)
    records = [
        {"text": ln.text, "role": role, "blank_before": ln.blank_before, "markup": mark}
        for ln, role, mark in zip(lines, out_roles, marks, strict=True)
    ]
    return records, out_roles


def body_of(records: list[dict[str, Any]]) -> str:
    """The body the labels give: body and heading lines, one per paragraph."""
    return "\n\n".join(r["text"] for r in records if r["role"] in R.IN_BODY)


def distribution(pages: list[dict[str, Any]]) -> Counter[str]:
    return Counter(line["role"] for page in pages for line in page["lines"])


def why_low(text: str, gold: Gold, records: list[dict[str, Any]]) -> str:
    """A one-line reason a page's labelled body scores low against its gold."""
    from bench.scoring import score_body

    ceiling = score_body(text, gold.text).recall
    if ceiling < 0.9:
        return f"gold body not in the text (whole text recall {ceiling:.2f})"
    if len(gold.body_shingles) < 20:
        return f"tiny gold body ({len(gold.body_shingles)} shingles)"
    left = mixed = 0
    for r in records:
        toks = tokens(r["text"])
        if len(toks) < 4:
            continue
        cov = coverage(toks, gold.body_shingles)
        if r["role"] in R.IN_BODY and cov < 0.9:
            mixed += 1
        elif r["role"] not in R.IN_BODY and cov >= 0.2:
            left += 1
    return (
        f"gold text differs from the page text: {left} lines partly gold (coverage 0.2–0.5 or "
        f"a field) left out, {mixed} body lines mixing in non-gold text"
    )


__all__ = ["Gold", "body_of", "distribution", "gold_of", "label_page", "why_low"]
