"""Dates and times as news pages write them, to ISO 8601.

Absolute forms ("August 08, 2023, 10:37 PM", "Dec. 19, 2025 at 04:34 AM EST",
"8 August 2023", "2023-08-08T22:37:00Z", "12/23/2024", "12.12.2025") become ISO
8601: a date alone gives ``YYYY-MM-DD``; a time adds ``THH:MM:SS`` and, when the
text names its zone, the UTC offset. Relative ones ("3 hours ago", "yesterday")
are recognised but their ISO form needs a reference time (``now``), since the
page does not say when it was saved.

Every pattern is linear: bounded repeats and no nested quantifiers, so a
100 KB line costs one scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from newsclean.text.months import month_number as _month
from newsclean.text.months import month_pattern

# Offsets of the zone names pages print after a time; ambiguous names (IST, CST
# as China time) take the reading English-language news sites mean.
ZONES: dict[str, int] = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "bst": 60,
    "cet": 60,
    "cest": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "ast": 180,  # Arabia
    "gst": 240,
    "ist": 330,
    "pkt": 300,
    "sgt": 480,
    "hkt": 480,
    "jst": 540,
    "kst": 540,
    "aest": 600,
    "aedt": 660,
    "nzst": 720,
    "nzdt": 780,
    "est": -300,
    "edt": -240,
    "et": -300,
    "cst": -360,
    "cdt": -300,
    "ct": -360,
    "mst": -420,
    "mdt": -360,
    "pst": -480,
    "pdt": -420,
    "pt": -480,
}

_MONTH = month_pattern("{g}")
_WEEKDAY = (
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?"
    r"\.?,?[ \t\xa0]{1,3})?"
)
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)"
_TIME = (
    r"(?:,?[ \t\xa0]{0,3}(?:at|@|-|–|\||/|·|•)?[ \t\xa0]{0,3}"
    r"(?P<hour>[0-2]?\d)(?:[:.](?P<minute>[0-5]\d))(?::(?P<second>[0-5]\d))?"
    r"(?:[ \t\xa0]{0,2}(?P<ampm>[ap])\.?[ \t]?m\b\.?)?"
    r"(?:[ \t\xa0]{0,2}\(?(?P<zone>utc|gmt|z|(?!at\b)[a-z]{1,4}t|[+-]\d\d:?\d\d)\b\)?)?"
    r"(?:[ \t\xa0]{0,2}(?P<offset>(?:utc|gmt)?[+-]\d\d?(?::?\d\d)?)\b)?)?"
)
_TIME_12 = (
    r"(?:,?[ \t\xa0]{0,3}(?:at|@|-|–|\|)?[ \t\xa0]{0,3}"
    r"(?P<hour>[01]?\d)[ \t]?(?P<ampm>[ap])\.?[ \t]?m\b\.?"
    r"(?:[ \t\xa0]{0,2}\(?(?P<zone>utc|gmt|[a-z]{2,4}t)\b\)?)?)"
)


def _g(template: str, group: str) -> str:
    return template.replace("{g}", group)


# Each form is its own pattern with the same group names; one alternation with
# repeated names is not allowed in ``re``, and trying a few patterns in turn is
# still linear.
_FORMS: list[re.Pattern[str]] = [
    # 2023-08-08, 2023-08-08T22:37:00+03:00, 2023/08/08 10:37
    re.compile(
        r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)(?P<sep>[-/.])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)"
        r"(?:(?:T|[ \t\xa0]{1,2}|,[ \t]?)(?P<hour>[0-2]\d):(?P<minute>[0-5]\d)"
        r"(?::(?P<second>[0-5]\d)(?:\.\d{1,9})?)?"
        r"(?:[ \t]?(?P<zone>Z|UTC|GMT)|(?P<offset>[+-]\d\d:?\d\d))?)?(?![\d/])",
        re.I,
    ),
    # August 8, 2023 / Aug. 8th 2023, 10:37 PM EST / Monday, August 7, 2023
    re.compile(
        r"\b"
        + _WEEKDAY
        + _g(_MONTH, "mname")
        + r"[ \t\xa0]{1,3}"
        + _g(_DAY, "day")
        + r"\b,?[ \t\xa0]{0,3}"
        + _g(_YEAR, "year")
        + r"\b"
        + _TIME,
        re.I,
    ),
    # 8 August 2023 / 8th Aug, 2023 10:37
    re.compile(
        r"\b"
        + _WEEKDAY
        + _g(_DAY, "day")
        + r"[ \t\xa0]{0,3}(?:of )?"
        + _g(_MONTH, "mname")
        + r",?[ \t\xa0]{1,3}"
        + _g(_YEAR, "year")
        + r"\b"
        + _TIME,
        re.I,
    ),
    # 12/23/2024, 23.12.2024, 12-23-2024 (numeric, day and month guessed)
    re.compile(
        r"(?<![\d/.+-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<year>(?:19|20)\d\d)"
        r"(?![\d/.]\d)" + _TIME,
        re.I,
    ),
]
# Month and year only ("December 2025"): a date, but with no day it is kept raw.
_MONTH_YEAR = re.compile(
    r"\b" + _g(_MONTH, "mname") + r",?[ \t\xa0]{1,3}" + _g(_YEAR, "year") + r"\b", re.I
)

_YEAR_HINT = re.compile(r"(?:19|20)\d\d")
_MONTH_HINT = re.compile(
    r"(?i)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:[a-z]{0,6})\.?[ \t\xa0,]{0,3}\d"
    r"|\d(?:st|nd|rd|th)?[ \t\xa0]{0,3}(?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)
_NUMERIC_HINT = re.compile(r"\d[-/.]\d")
_RELATIVE = re.compile(
    r"\b(?:(?P<n>\d{1,3}|an?|one)[ \t\xa0]{0,2}"
    r"(?P<unit>sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|"
    r"days?|weeks?|wks?|months?|years?|yrs?)[ \t\xa0]{1,2}ago|(?P<word>yesterday|just now)|"
    r"(?P<few>(?:a )?few (?:seconds|minutes|hours|days) ago)|(?P<minutes>minutes ago))\b",
    re.I,
)
_UNITS: dict[str, timedelta] = {
    "s": timedelta(seconds=1),
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
    "mo": timedelta(days=30),
    "y": timedelta(days=365),
}


@dataclass(frozen=True)
class DateMatch:
    """A date or time found in a text: where, as written, and as ISO 8601."""

    start: int
    end: int
    raw: str
    iso: str | None
    relative: bool = False
    has_day: bool = True


def _offset(zone: str | None, offset: str | None) -> timezone | None:
    if offset:
        text = offset.lower().removeprefix("utc").removeprefix("gmt")
        sign = -1 if text.startswith("-") else 1
        digits = text[1:].replace(":", "")
        hours, minutes = (
            (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        )
        if hours > 14:
            return None
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if zone:
        z = zone.lower()
        if z[0] in "+-":
            return _offset(None, z)
        if z in ZONES:
            return timezone(timedelta(minutes=ZONES[z]))
    return None


def _iso(year: int, month: int, day: int, m: re.Match[str]) -> str | None:
    try:
        date = datetime(year, month, day)
    except ValueError:
        return None
    groups = m.groupdict()
    if groups.get("hour") is None:
        return date.strftime("%Y-%m-%d")
    hour = int(groups["hour"])
    minute = int(groups.get("minute") or 0)
    second = int(groups.get("second") or 0)
    ampm = (groups.get("ampm") or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return date.strftime("%Y-%m-%d")
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23:
        return date.strftime("%Y-%m-%d")
    stamp = date.replace(hour=hour, minute=minute, second=second)
    tz = _offset(groups.get("zone"), groups.get("offset"))
    if tz is not None:
        return stamp.replace(tzinfo=tz).isoformat()
    return stamp.isoformat()


def _from_match(form: int, m: re.Match[str]) -> str | None:
    year = int(m["year"])
    if form == 0:
        return _iso(year, int(m["month"]), int(m["day"]), m)
    if form in (1, 2):
        return _iso(year, _month(m["mname"]), int(m["day"]), m)
    a, b = int(m["a"]), int(m["b"])
    # Dotted dates are day first (European); slashed ones month first (US)
    # unless the first number cannot be a month.
    day_first = m["sep"] == "." or a > 12
    if day_first and b > 12 >= a:
        day_first = False  # "06.18.2025": a US date written with dots
    day, month = (a, b) if day_first else (b, a)
    return _iso(year, month, day, m)


def find_dates(text: str, now: datetime | None = None) -> list[DateMatch]:
    """Every date, time or relative time in ``text``, in reading order, not overlapping."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    # Cheap scans first: a form is tried only where its anchor (a year, a month name,
    # a numeric separator, "ago") can be found at all.
    if not _YEAR_HINT.search(text):
        forms: list[int] = []
    else:
        named = _MONTH_HINT.search(text) is not None
        numeric = _NUMERIC_HINT.search(text) is not None
        forms = [f for f in range(len(_FORMS)) if (named if f in (1, 2) else numeric)]
    for form in forms:
        pattern = _FORMS[form]
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            iso = _from_match(form, m)
            if iso is None:
                continue
            raw = m.group(0).strip(" ,|–-@")
            start = m.start() + m.group(0).find(raw)
            found.append(DateMatch(start, start + len(raw), raw, iso))
            taken.append((m.start(), m.end()))
    for m in _MONTH_YEAR.finditer(text) if forms and named else ():
        if free(m.start(), m.end()):
            found.append(DateMatch(m.start(), m.end(), m.group(0), None, has_day=False))
            taken.append((m.start(), m.end()))
    low = text.lower()
    relative = "ago" in low or "yesterday" in low or "just now" in low
    for m in _RELATIVE.finditer(text) if relative else ():
        if free(m.start(), m.end()):
            iso = _relative_iso(m, now)
            found.append(DateMatch(m.start(), m.end(), m.group(0), iso, relative=True))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def _relative_iso(m: re.Match[str], now: datetime | None) -> str | None:
    if now is None:
        return None
    word = (m["word"] or "").lower()
    if word == "yesterday":
        return (now - timedelta(days=1)).strftime("%Y-%m-%d")
    if word == "today":
        return now.strftime("%Y-%m-%d")
    if word == "just now" or m["minutes"] or m["few"]:
        return now.isoformat()
    n_text = m["n"].lower()
    n = 1 if n_text in ("a", "an", "one") else int(n_text)
    unit = m["unit"].lower()
    if unit.startswith("mo"):
        key = "mo"
    elif unit.startswith("mi"):
        key = "m"
    else:
        key = unit[0]
    return (now - n * _UNITS[key]).isoformat()


_AMBIGUOUS = re.compile(
    r"^(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?:19|20)\d\d(?![\d/.]\d)"
)


def day_first_page(text: str) -> bool | None:
    """Whether the page writes its dates day first ("3 October 2023", "31/01/2023")
    rather than month first ("October 3, 2023", "01/31/2023"); None when it does not
    say either way."""
    day = sum(1 for _ in _FORMS[2].finditer(text))
    month = sum(1 for _ in _FORMS[1].finditer(text))
    for m in _FORMS[3].finditer(text):
        a, b = int(m["a"]), int(m["b"])
        day += a > 12 >= b
        month += b > 12 >= a
    return None if day == month else day > month


def reorder(raw: str, iso: str | None, day_first: bool | None) -> str | None:
    """``iso`` of a numeric date ``raw`` whose day and month could be either way
    ("03/10/2023"), read in the order the page uses (``day_first``) instead of the
    default (slashes and dashes month first, dots day first)."""
    m = _AMBIGUOUS.match(raw)
    if iso is None or m is None or day_first is None:
        return iso
    a, b = int(m["a"]), int(m["b"])
    if a > 12 or b > 12 or a == b:
        return iso
    if day_first == (m["sep"] == "."):
        return iso  # the default already reads it so
    return f"{iso[:5]}{iso[8:10]}-{iso[5:7]}{iso[10:]}"


def parse_date(text: str, now: datetime | None = None) -> str | None:
    """The ISO form of the first date in ``text`` (None if there is none or it is relative
    with no ``now``)."""
    for match in find_dates(text, now):
        if match.iso is not None:
            return match.iso
    return None


def parse_now(value: str) -> datetime:
    """A ``--now`` reference time: ISO 8601 date or date-time (``Z`` allowed)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 date or time: {value!r}") from None
