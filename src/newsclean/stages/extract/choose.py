"""Choosing each field's value among the candidates by the order of trust in
``data/extract/sources.json``; titles without the site name; the site's names."""

from __future__ import annotations

import re
from typing import Any

from newsclean.stages.extract.bylines import NAME_LINE
from newsclean.stages.extract.nodes import clean_text
from newsclean.text.persons import is_person

Candidates = dict[str, list[tuple[str, Any]]]
FIELDS = ("title", "byline", "published", "updated", "site", "url")
TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—:·•»~/]|::)\s+")


def strip_site_name(title: str, site_names: list[str], guess: bool = True) -> str:
    """``<title>`` without the site name: drop leading or trailing parts (split on
    `` | ``, `` - ``, `` – ``...) that are a known site name; else, with ``guess``,
    the shorter end part when the title has exactly two parts and the last one is
    short."""
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    kept = list(parts)
    while len(kept) > 1 and _is_site(fold_title(kept[-1]), site_names):
        kept.pop()
    while len(kept) > 1 and _is_site(fold_title(kept[0]), site_names):
        kept.pop(0)
    if len(kept) < len(parts):
        return _join(title, kept)
    if guess and len(parts) == 2:
        first, last = parts
        if len(last.split()) <= 4 and len(last) < len(first):
            return first
    return title


def _join(title: str, parts: list[str]) -> str:
    start = title.find(parts[0])
    last = parts[-1]
    end = title.find(last, start) + len(last)
    return title[start:end].strip()


def fold_title(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


# --- choosing ------------------------------------------------------------------


def choose(found: Candidates, order: dict[str, list[str]]) -> dict[str, tuple[Any, str]]:
    """The value of each field and the source it came from, by ``order`` (field ->
    sources, most trusted first). ``h1+`` is an ``<h1>`` that another source
    confirms (the same words as a title from the page's metadata)."""
    chosen: dict[str, tuple[Any, str]] = {}
    found = ranked_candidates(found)
    for field in FIELDS:
        ranked = order.get(field, [])
        candidates = found.get(field, [])
        for source in ranked:
            value = next((v for s, v in candidates if s == source), None)
            if value:
                chosen[field] = (value, source)
                break
    return chosen


def ranked_candidates(found: Candidates) -> Candidates:
    """The candidates as :func:`choose` ranks them: titles with the site name taken
    off and ``h1+``/``h1ok`` added; a byline that is the site's own name moved to
    ``<source>-site`` (an outlet credited in place of a person)."""
    out = dict(found)
    out["title"] = _title_candidates(found)
    sites = site_names(found)
    bylines = [(s, [_less_site(n, sites) for n in v]) for s, v in found.get("byline", [])]
    out["byline"] = [
        (f"{s}-site" if all(_is_site(fold_title(n), sites) for n in v) else s, v)
        for s, v in bylines
    ]
    person = _site_person(found)
    if person:
        out["byline"].append(("site-person", [person]))
    return out


def _site_person(found: Candidates) -> str | None:
    """A personal site's owner: an ``og:site_name`` or a ``<title>`` end part
    ("Go ahead, self-host Postgres | Pierce Freeman") shaped like a person's name
    that starts with a known given name."""
    names = [v for _, v in found.get("site", [])]
    for source, title in found.get("title", []):
        if source == "title":
            parts = TITLE_SEPARATORS.split(title)
            if len(parts) > 1:
                names.append(parts[-1])
    for name in names:
        name = clean_text(name)
        if NAME_LINE.match(name) and is_person(name):
            return name
    return None


def _less_site(name: str, sites: list[str]) -> str:
    """ "Jane Doe and Ann Lee, The Daily Example" less the outlet after the comma."""
    head, _, tail = name.rpartition(", ")
    return head if head and _is_site(fold_title(tail), sites) else name


def _title_candidates(found: Candidates) -> list[tuple[str, Any]]:
    """Title candidates with site names taken off, plus three kinds of ``<h1>``:
    ``h1+``, confirmed by another source (same words, or the start of them);
    ``h1-trim``, another source's title found inside a longer ``<h1>`` ("Blog:
    Title", "Title Posted on July 1, 2024 by x"); ``h1ok``, one that does not look
    like a site name, a menu or a paragraph."""
    sites = site_names(found)
    titles = found.get("title", [])
    whole = [(s, strip_site_name(v, sites, guess=s != "h1")) for s, v in titles]
    cleaned = [(s, _cut_pipe(v)) for s, v in whole]
    structured = [(s, v) for s, v in cleaned if s != "h1"]
    others = [fold_title(v) for _, v in structured] + [
        fold_title(v) for s, v in titles if s != "h1"
    ]
    # "Defer, Panic, and Recover - The Go Programming Language": the first part of a
    # metadata title, when a visible <h1> says exactly that
    others += [fold_title(TITLE_SEPARATORS.split(v)[0]) for s, v in titles if s != "h1"]
    # "Garnix Blog: Hardware-Attested Nix Builds": the metadata title less a kicker
    others += [fold_title(v.split(": ", 1)[1]) for s, v in titles if s != "h1" and ": " in v]
    confirmed = []
    trimmed = []
    plausible = []
    for source, value in cleaned:
        if source != "h1":
            continue
        folded = fold_title(value)
        if not folded:
            continue
        if any(
            folded == o or (o.startswith(folded) and len(folded) >= 0.5 * len(o)) for o in others
        ):
            confirmed.append(("h1+", value))
        # (not cut at a pipe: "Trends | Blog | Site" is no kicker-less form of the
        # <h1> "Trends from KBIS & IBS")
        for _, other in (item for item in whole if item[0] != "h1"):
            inner = fold_title(other)
            inside = inner and inner != folded and f" {inner} " in f" {folded} "
            # a kicker before the title, or a date or credit after it; not a
            # headline that merely goes on ("Best Tutors in 2025, Reviewed by ...")
            rest = folded.split(inner, 1)[1] if folded.startswith(inner) else None
            if rest is not None and not _TRIM_TAIL.search(rest):
                continue
            if inside and len(inner) >= 0.5 * len(folded):
                trimmed.append(("h1-trim", other))
                break
        if _plausible_headline(value, sites):
            plausible.append(("h1ok", value))
    if len({fold_title(v) for _, v in plausible}) > 1 and structured:
        # several headings of the same rank (a blog's name, then the post's; one per
        # section): the first is no better a guess than the page's metadata title
        plausible = []
    return confirmed + trimmed + plausible + cleaned


_TRIM_TAIL = re.compile(r"^\s*(?:posted|published|updated|by|written|on)\b|\d{4}")
_PIPE = re.compile(r"\s+\|\s+")


def _cut_pipe(title: str) -> str:
    """A title without what follows its first `` | ``: "Headline | Opinion",
    "Headline | Python, SQL & AI", "Headline | Section | Site" (on WCXB dev a kept
    pipe part is in the gold title 1 time in 5). Kept whole when the first part is
    under three words ("Q&A | ...")."""
    parts = _PIPE.split(title, maxsplit=1)
    if len(parts) == 2 and len(parts[0].split()) >= 3:
        return parts[0]
    return title


#: headings that name a page section, not an article (compared folded)
_GENERIC_HEADINGS = frozenset(
    {"our blog", "the blog", "main menu", "open menu close menu", "latest news", "recent posts"}
)


def _plausible_headline(value: str, sites: list[str]) -> bool:
    folded = fold_title(value)
    words = folded.split()
    if not 2 <= len(words) <= 30 or folded in _GENERIC_HEADINGS:
        return False
    return not _is_site(folded, sites)


def _is_site(folded: str, sites: list[str]) -> bool:
    squashed = folded.replace(" ", "")
    return any(folded == fold_title(s) or squashed == fold_title(s).replace(" ", "") for s in sites)


def site_names(found: Candidates) -> list[str]:
    """Names the site goes by: ``og:site_name`` and the like, and the domain of
    the page URL (``renofi`` for www.renofi.com)."""
    names = [v for _, v in found.get("site", [])]
    for _, url in found.get("url", [])[:2]:
        host = re.sub(r"^https?://(?:www\.)?", "", url).split("/")[0]
        if host:
            names.append(host)
            names.append(host.split(".")[0])
    return names
