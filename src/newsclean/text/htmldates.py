"""Dates as web pages write them, to ISO 8601, without guessing.

Only absolute dates with a year become a date: ``2025-09-04T12:50:36+00:00``,
``2025-09-04``, ``2025/09/04``, ``September 4, 2025``, ``4 Sep 2025``,
``Thu, 04 Sep 2025 10:00:00 GMT``. Numeric day/month orders (``04/09/2025``)
are ambiguous and left alone. Nothing depends on today's date, so the same page
always gives the same answer.
"""

from __future__ import annotations

import re
from datetime import date

from newsclean.text.months import month_number, month_pattern

_MONTH = month_pattern("month")
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

_ISO = re.compile(
    r"(?P<year>(?:19|20)\d\d)[-/.](?P<month>[01]?\d)[-/.](?P<day>[0-3]?\d)"
    r"(?:[T ](?P<h>[0-2]\d):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d)(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-][01]\d:?[0-5]\d)?)?"
)
_COMPACT = re.compile(r"^(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?:$|T)")
_MDY = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I)
_DMY = re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.I)
#: 23.07.2025, 15/12/2025, 07/23/2025: taken only when the order is certain
_NUMERIC = re.compile(
    r"(?<![\d./-])(?P<a>[0-3]?\d)[./](?P<b>[0-3]?\d)[./](?P<year>(?:19|20)\d\d)(?![\d./-])"
)
#: dates in URL paths: /2025/09/04/, /2025-09-04-, /2025-12-15+slug, /2023/october/03/
_URL = re.compile(
    r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>[01]?\d)[/-](?P<day>[0-3]?\d)(?:[/_+.-]|$)"
)
_URL_NAMED = re.compile(rf"/{_YEAR}/{_MONTH}/(?P<day>[0-3]?\d)(?:[/_+.-]|$)", re.I)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _iso(match: re.Match[str]) -> str | None:
    day = _valid(int(match["year"]), int(match["month"]), int(match["day"]))
    if day is None or match["h"] is None:
        return day
    out = f"{day}T{match['h']}:{match['mi']}:{match['s'] or '00'}"
    tz = match["tz"]
    if tz:
        out += "Z" if tz == "Z" else f"{tz[:3]}:{tz[-2:]}"
    return out


def _numeric(match: re.Match[str]) -> str | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    if a == b or (a > 12 >= b):
        return _valid(year, b, a)
    if b > 12 >= a:
        return _valid(year, a, b)
    return None


def _named(match: re.Match[str]) -> str | None:
    month = month_number(match["month"])
    return _valid(int(match["year"]), month, int(match["day"]))


def parse_date(value: str) -> str | None:
    """ISO 8601 (a date, or a date and time as given) for ``value``, or ``None``."""
    value = value.strip()
    if not value or len(value) > 200:
        return None
    match = _ISO.search(value)
    if match:
        return _iso(match)
    match = _COMPACT.match(value)
    if match:
        return _valid(int(match["year"]), int(match["month"]), int(match["day"]))
    for pattern in (_MDY, _DMY):
        match = pattern.search(value)
        if match:
            return _named(match)
    match = _NUMERIC.search(value)
    return _numeric(match) if match else None


def find_dates(text: str) -> list[str]:
    """Every absolute date written in ``text``, in the order they appear (ISO 8601)."""
    found: list[tuple[int, str]] = []
    for pattern, convert in ((_ISO, _iso), (_MDY, _named), (_DMY, _named), (_NUMERIC, _numeric)):
        for match in pattern.finditer(text):
            value = convert(match)
            if value:
                found.append((match.start(), value))
    return [value for _, value in sorted(found)]


def find_date_spans(text: str) -> list[int]:
    """Where each absolute date in ``text`` starts, in order."""
    starts = [m.start() for pattern in (_ISO, _MDY, _DMY, _NUMERIC) for m in pattern.finditer(text)]
    return sorted(starts)


def date_in_url(url: str) -> str | None:
    """The date a URL path carries (``/2025/09/04/slug``), or ``None``."""
    match = _URL.search(url)
    if match is not None:
        return _valid(int(match["year"]), int(match["month"]), int(match["day"]))
    named = _URL_NAMED.search(url)
    if named is None:
        return None
    month = month_number(named["month"])
    return _valid(int(named["year"]), month, int(named["day"]))
