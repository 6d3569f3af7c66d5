"""Body and fields from a page's labelled units.

The model has said what each unit is; this reads the values out of them: the names of a
byline, the dates of a timestamp, the credit of a caption, the dateline opening the lede.
The parsers are the split stage's; nothing here decides a unit's role again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsclean.stages.lines import roles as R
from newsclean.stages.lines.units import Unit
from newsclean.stages.split import parse
from newsclean.text.dates import day_first_page, reorder

_BULLET = ("• ", "· ", "▪ ", "► ")


@dataclass
class Fields:
    """What a labelled page gives: every field of the record split fills."""

    title: str | None = None
    section: str | None = None
    standfirst: str | None = None
    dateline: str | None = None
    byline: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    timestamps: list[dict[str, Any]] = field(default_factory=list)
    captions: list[dict[str, Any]] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    #: The dateline as it opened the lede, separator included ("BEIRUT —").
    dateline_text: str | None = None

    def as_record(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "section": self.section,
            "standfirst": self.standfirst,
            "byline": self.byline,
            "dateline": self.dateline,
            "published": self.published,
            "updated": self.updated,
            "timestamps": self.timestamps,
            "captions": self.captions,
            "headings": self.headings,
            "sources": self.sources,
        }


def _byline(text: str, now: datetime | None) -> tuple[list[str], list[dict[str, Any]]]:
    """Names (or the agency credited) and the dates on a byline unit."""
    rules = parse.rules()
    stamps = _stamps(text, now)
    head = parse._META_SEP.split(text, maxsplit=1)[0].strip()
    m = rules.label_re.match(head)
    rest = m["rest"] if m else head
    names = parse.parse_names(rest, rules, labelled=True)
    if not names and m and 0 < len(rest.split()) <= 6:
        names = [rest.strip(" .,;")]  # "By Continental Press Service": the agency credited
    if not names and not stamps and m is None and 0 < len(head.split()) <= 5:
        names = [head.strip(" .,;")]  # "Maria Reyes" alone under the headline
    return names, stamps


def _stamps(text: str, now: datetime | None) -> list[dict[str, Any]]:
    meta = parse._meta_line(text, parse.rules(), now, labelled=True)
    if meta is None:
        return []
    return [{"raw": d.raw, "iso": d.iso, "kind": kind} for d, kind in meta.dates]


def _caption(text: str, fields: Fields, role: str) -> None:
    found = parse._caption_parts(text)
    if role == R.CREDIT and fields.captions and fields.captions[-1]["credit"] is None:
        fields.captions[-1]["credit"] = found[1] if found else text.strip("() ")
        return
    if found is None:
        fields.captions.append({"text": text, "credit": None})
    else:
        fields.captions.append({"text": found[0], "credit": found[1]})


def _take(unit: Unit, role: str, fields: Fields, now: datetime | None) -> None:
    text = unit.text
    if role == R.TITLE and fields.title is None:
        fields.title = text
    elif role == R.SECTION and fields.section is None:
        fields.section = text
    elif role == R.STANDFIRST and fields.standfirst is None:
        fields.standfirst = text
    elif role == R.BYLINE:
        names, stamps = _byline(text, now)
        fields.byline += [n for n in names if n not in fields.byline]
        fields.timestamps += stamps
    elif role in (R.TIMESTAMP, R.DATELINE):
        fields.timestamps += _stamps(text, now)
    elif role in (R.CAPTION, R.CREDIT):
        _caption(text, fields, role)
    elif role == R.SOURCE:
        fields.sources.append(text)


def _body(units: Sequence[tuple[Unit, str]], fields: Fields) -> None:
    for i, (unit, role) in enumerate(units):
        text = unit.text
        if i == 0 and role == R.BODY:
            found = parse._dateline(text)
            if found is not None:
                fields.dateline, start = found
                fields.dateline_text = text[:start].strip()
                text = text[start:].lstrip()
        if text.startswith(_BULLET):
            text = text[2:].lstrip()
        if role == R.HEADING:
            fields.headings.append(text)
        if text:
            fields.paragraphs.append(text)


def _dates(fields: Fields, page: str) -> None:
    stamps = fields.timestamps
    if any(parse._AMBIGUOUS_HINT.match(str(ts["raw"])) for ts in stamps):
        day_first = day_first_page(page)
        for ts in stamps:
            ts["iso"] = reorder(str(ts["raw"]), ts["iso"], day_first)
    for ts in stamps:
        if ts["kind"] == "updated" and fields.updated is None:
            fields.updated = ts["iso"]
        elif ts["kind"] == "published" and fields.published is None:
            fields.published = ts["iso"]


def _best_title(roles: Sequence[str], probs: Sequence[float] | None) -> int | None:
    """The unit the title is read from: of the units labelled title, the surest."""
    found = [i for i, r in enumerate(roles) if r == R.TITLE]
    if not found:
        return None
    return max(found, key=lambda i: (probs[i] if probs else 0.0, -i))


def assemble(
    units: Sequence[Unit],
    roles: Sequence[str],
    page: str,
    now: datetime | None = None,
    probs: Sequence[float] | None = None,
) -> Fields:
    """The fields and body paragraphs of a page whose units have these roles (and the
    model's probability of each, which picks the title among several candidates)."""
    fields = Fields()
    body: list[tuple[Unit, str]] = []
    title = _best_title(roles, probs)
    for i, (unit, role) in enumerate(zip(units, roles, strict=True)):
        if role in R.IN_BODY:
            body.append((unit, role))
        elif role != R.TITLE or i == title:
            _take(unit, role, fields, now)
    _body(body, fields)
    _dates(fields, page)
    return fields
