"""Month names as pages write them: the one pattern and the one table."""

from __future__ import annotations

#: full English month names -> number
MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_ABBR = {name[:3]: n for name, n in MONTHS.items()} | {"sept": 9}

#: a month name or its abbreviation ("Sept", "Dec"), for a case-insensitive regex
MONTH_NAMES = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)


def month_pattern(group: str) -> str:
    """A month name as the regex group ``group``, with an optional full stop ("Dec.")."""
    return rf"(?P<{group}>{MONTH_NAMES})\.?"


def month_number(name: str) -> int:
    """The number of a month name :data:`MONTH_NAMES` matched ("Sept." -> 9)."""
    name = name.lower().rstrip(".")
    return MONTHS.get(name) or _ABBR[name[:4] if name.startswith("sept") else name[:3]]
