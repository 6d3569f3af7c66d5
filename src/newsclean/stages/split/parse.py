"""What split reads out of a line the line model has labelled: the names of a byline,
the dates of a timestamp line, the credit of a caption, the dateline opening a lede.

These parsers decide nothing about a line's role; the data files of ``data/split``
(byline labels, credits, stop words, job words) are what they know.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

from newsclean.memo import Table
from newsclean.text.dates import DateMatch, find_dates
from newsclean.text.fold import fold as _fold
from newsclean.text.persons import given_names, is_person


def _data_lines(name: str) -> list[str]:
    text = (resources.files("newsclean") / "data" / "split" / name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@dataclass(frozen=True)
class Rules:
    credits: tuple[str, ...]
    stop_words: frozenset[str]
    stop_phrases: frozenset[str]
    job_words: frozenset[str]
    teasers: frozenset[str]
    caption_re: re.Pattern[str]
    credit_only_re: re.Pattern[str]
    label_re: re.Pattern[str]
    credit_tails: frozenset[str]
    not_author_re: re.Pattern[str]


@cache
def rules() -> Rules:
    """The data files of ``data/split``, loaded once per process."""
    credits = tuple(_data_lines("credits.txt"))
    stops = _data_lines("byline_stop.txt")
    labels = _data_lines("labels.txt")
    credit_labels = _data_lines("credit_labels.txt")
    alt_credit = "|".join(re.escape(c) for c in sorted(credits, key=len, reverse=True))
    alt_label = "|".join(re.escape(c) for c in sorted(credit_labels, key=len, reverse=True))
    alt_byline = "|".join(re.escape(c) for c in sorted(labels, key=len, reverse=True))
    # "<caption>. EPA", "<caption> (Reuters)", "<caption> / AFP", "<caption> Photo: X"
    caption_re = re.compile(
        rf"^(?P<text>.{{12,}}?[.!?”\")])\s{{0,3}}"
        rf"(?:(?:(?P<label>{alt_label})\s{{0,2}}:\s{{0,2}}(?P<lcredit>\S.{{1,80}}?))"
        rf"|[(\[]?(?P<credit>(?:[\w.'’ -]{{1,40}}/\s?)?(?:{alt_credit})"
        rf"(?:\s?/\s?[\w.'’ -]{{1,40}})?)[)\]]?)"
        rf"\s{{0,2}}$",
        re.I,
    )
    credit_only_re = re.compile(
        rf"^(?:(?:{alt_label})\s{{0,2}}:\s{{0,2}}(?P<lcredit>\S.{{1,80}}?)"
        rf"|(?P<credit>[\w.'’ -]{{0,40}}\s?/\s?(?:{alt_credit})"
        rf"|(?:{alt_credit})\s?/\s?[\w.'’ -]{{1,40}}))\s{{0,2}}$",
        re.I,
    )
    label_re = re.compile(rf"^(?:{alt_byline})\b\s{{0,2}}:?\s{{0,2}}(?P<rest>\S.*)$", re.I)
    return Rules(
        credits=credits,
        stop_words=frozenset(s.lower() for s in stops if " " not in s),
        stop_phrases=frozenset(s.lower() for s in stops if " " in s),
        job_words=frozenset(w.lower() for w in _data_lines("job_words.txt")),
        teasers=frozenset(_norm(t) for t in _data_lines("teaser_markers.txt")),
        caption_re=caption_re,
        credit_only_re=credit_only_re,
        label_re=label_re,
        # cheap prefilter of caption lines: the last word of a credit
        credit_tails=frozenset(c.lower().split()[-1] for c in credits),
        not_author_re=re.compile(
            r"^(?:by\s(?:clicking|using|continuing|signing|submitting|entering)|"
            r"(?:reviewed|edited|fact.checked|medically reviewed|photos?|illustrations?|images?)"
            r"\s+by)",
            re.I,
        ),
    )


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NON_WORD = re.compile(r"\W+")


_DIGIT = re.compile(r"\d")


_FUNCTION_WORDS = _word_set(
    "a an the of and or to in on at by for from with as that than but into is are was"
)


_PARTICLES = _word_set(
    "al el bin ibn de del della der di da das dos du la le van von ten ter y e st. mac"
)


_CREDENTIAL = re.compile(
    r"^(?:Ph\.?\s?D\.?|Jr\.?|Sr\.?|[A-Z][A-Za-z]?\.(?:[A-Z]\.)+"
    r"|[A-Z0-9][A-Z0-9®.\-]{1,9}(?:\s\d{1,4})?)$"
)


_NAME_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*)")


_META_SEP = re.compile(r"\s+(?:\||•|·|⋅|-|–|—|/)\s+|\s*\|\s*")


_READING = re.compile(r"^\d{1,3}\s?(?:min(?:ute)?s?|hrs?)(?:\s(?:read|watch|listen))?$", re.I)


_DATE_WORDS = _word_set(
    "published updated last modified posted on at date edited first reviewed and "
    "originally created released publication pubdate written by read min mins"
)


_DATELINE = re.compile(
    r"^(?P<place>(?:[A-Z][A-Z'’.\-]{1,20}(?:\s[A-Z][A-Z'’.\-]{1,20}){0,3}"
    r"|[A-Z][a-z'’.\-]{1,20}(?:\s[A-Z][a-z'’.\-]{1,20}){0,2})"
    r"(?P<region>,\s[A-Z][\w'’.\-]{0,20}(?:\s[A-Z][\w'’.\-]{0,20}){0,3})?)"
    r"(?:\s?\((?P<agency>[A-Za-z]{2,12})\))?"
    r"\s?(?:-|–|—|--)\s(?=[A-Z0-9“\"‘'])"
)


_AGENCY_ONLY = re.compile(r"^\((?P<agency>AP|AFP|Reuters|UPI|dpa|CNN|Xinhua)\)\s?(?:-|–|—)\s")


#: ASCII bytes as ``_norm`` sees them: a word character ([A-Za-z0-9_]) stays, any
#: other becomes a space.
_ASCII_WORDS = bytes(
    c if chr(c).isascii() and (chr(c).isalnum() or c == ord("_")) else ord(" ") for c in range(256)
)


@lru_cache(maxsize=1 << 15)
def _norm(text: str) -> str:
    if text.isascii():
        # ``_NON_WORD.sub(" ", ...)`` then strip, without the regex engine's step per
        # character: every non-word character a space, the runs of spaces folded.
        return " ".join(text.lower().encode("ascii").translate(_ASCII_WORDS).decode().split())
    text = unicodedata.normalize("NFKC", text)
    return _NON_WORD.sub(" ", text.lower()).strip()


def _words(text: str) -> list[str]:
    return text.split()


def _is_credential(part: str) -> bool:
    return bool(_CREDENTIAL.match(part)) and any(c.isupper() for c in part)


_TEAM = frozenset(("team", "editors", "staff", "desk", "newsroom"))


_CAMEL = re.compile(r"[a-z][A-Z]")


_HANDLE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,30}$")


def _name_like(text: str, rules_: Rules, single: bool = False, labelled: bool = False) -> bool:
    """A person's name (or an outlet when ``single``): capitalised words, no digits,
    no menu or job words. After a byline label a single handle ("MixmasterFred",
    "infuy") or a team ("The Currency editors") also counts."""
    low = text.lower()
    if not text or low in rules_.stop_phrases or _DIGIT.search(text) is not None:
        return False
    if any(c in text for c in '@?!:|/()[]{}<>=+#*"“”'):
        return False
    words = text.split()
    if labelled and len(words) == 1:
        # a user handle ("infuy", "MixmasterFred"), not a capitalised word ("Marketing")
        w = low.strip(".")
        # or a known given name alone ("Posted By: Kiersten")
        handle = text.islower() or bool(_CAMEL.search(text)) or _fold(w) in given_names()
        return (
            handle
            and bool(_HANDLE.match(text))
            and w not in rules_.stop_words
            and w not in _FUNCTION_WORDS
        )
    if not (2 if not single else 1) <= len(words) <= 5:
        return False
    if words[0].lower() in _FUNCTION_WORDS and not labelled:
        return False  # "By Sarah", "The Guide"
    team = labelled and len(words) >= 2 and words[-1].lower() in _TEAM
    capitals = 0
    for i, word in enumerate(words):
        w = word.strip(".,'’").lower()
        if team and (i == len(words) - 1 or w in ("the", "editorial")):
            continue
        # "By News Desk": a menu word, but the name of a team
        if (w in rules_.stop_words or w in rules_.job_words) and not (team and w == "news"):
            return False
        if word.lower() in _PARTICLES or word.lower().startswith(("al-", "el-")):
            continue
        if not word[0].isupper():
            return False
        capitals += 1
    return capitals >= 1 and not (len(words) == 1 and len(text) < 3)


def parse_names(
    text: str, rules_: Rules, single: bool = False, labelled: bool = False
) -> list[str]:
    """Author names from the part of a byline after its label: "Jane Doe, MD and John
    Roe" -> ["Jane Doe, MD", "John Roe"]. A role or a non-name ends the list."""
    text = text.strip().rstrip(",;: ")
    last = text.rsplit(" ", 1)[-1]
    if last.endswith(".") and last.count(".") == 1 and len(last) > 3:
        text = text[:-1]  # a full stop, not the end of "Ph.D." or "Jr."
    text = _META_SEP.split(text, maxsplit=1)[0]
    text = text.split(";")[0]
    names: list[str] = []
    for part in _NAME_SPLIT.split(text):
        part = part.strip().rstrip(".,") if not part.strip().endswith(".") else part.strip()
        if not part:
            continue
        if names and _is_credential(part):
            names[-1] = f"{names[-1]}, {part}"
            continue
        if part.lower().startswith(("dr. ", "dr ", "prof. ", "mr. ", "ms. ", "mrs. ")):
            candidate = part.split(" ", 1)[1]
        else:
            candidate = part
        if _name_like(candidate.rstrip("."), rules_, single=single, labelled=labelled):
            names.append(part.rstrip(",") if part.endswith(".") and len(part) > 3 else part)
            continue
        # "Catherine Boeckmann Executive Digital Editor": the name, then the role
        head = " ".join(candidate.split()[:2])
        if labelled and not names and is_person(head) and _name_like(head, rules_):
            names.append(head)
        elif labelled and not names:
            # "By A. J. Neal View In Digital Edition": the words before a menu word,
            # when they make a person's name by themselves (a given name or an
            # initial: "By Citadel Financial Tips" is a company)
            words = candidate.split()
            cut = next(
                (i for i, w in enumerate(words) if w.lower().strip(".,") in rules_.stop_words),
                None,
            )
            head = " ".join(words[:cut]) if cut is not None and 2 <= cut <= 4 else ""
            initial = any(len(w) == 2 and w.endswith(".") for w in words[: cut or 0])
            if head and (initial or is_person(head)) and _name_like(head, rules_):
                names.append(head)
        break
    return names


@dataclass(frozen=True)
class MetaLine:
    """A short line made of dates (and maybe labels, reading times or authors)."""

    dates: tuple[tuple[DateMatch, str], ...]  # each date and its kind
    names: list[str] = field(default_factory=list)


_AMBIGUOUS_HINT = re.compile(r"^[01]?\d[/.-][01]?\d[/.-]")


_RANGE = re.compile(r"\s?(?:-|–|—|to|until|through)\s?")


_IGNORED_WORDS = _word_set("reading time read min mins minute minutes ago")


#: _meta_line's answers by (line, now, labelled, loose): a line is read in each pass of
#: split over the page and the body, and in each round of settle.
_META_MEMO: Table[tuple[str, datetime | None, bool, bool], MetaLine | None] = Table(
    1 << 14, __name__
)


_UNKNOWN = object()


def _meta_line(
    line: str,
    rules_: Rules,
    now: datetime | None,
    labelled: bool = False,
    loose: bool = False,
    proper: Callable[[str], bool] | None = None,
) -> MetaLine | None:
    """:func:`_read_meta_line`, memoised when the answer did not depend on the page
    (``proper`` was not asked)."""
    if len(line) > 160 or not (_DIGIT.search(line) or "ago" in line.lower()):
        return None
    key = (line, now, labelled, loose)
    # One lookup, not "in" then "[]": another thread (Dask runs tasks in threads) may
    # empty the memo between the two.
    known = _META_MEMO.get(key, _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    asked = False

    def recorded(name: str) -> bool:
        nonlocal asked
        asked = True
        return proper is not None and proper(name)

    found = _read_meta_line(line, rules_, now, labelled, loose, recorded)
    if not asked:
        _META_MEMO.put(key, found)
    return found


def _read_meta_line(
    line: str,
    rules_: Rules,
    now: datetime | None,
    labelled: bool,
    loose: bool,
    proper: Callable[[str], bool],
) -> MetaLine | None:
    """``line`` when it is a date line: "Published Jun 4, 2025", "Updated: August 08,
    2023, 10:37 PM", "3 hours ago", "By Jane Doe | Dec 8, 2024 | 5 min read",
    "Updated November 11, 2022 Originally published November 9, 2022".

    Besides dates, labels, reading times, times, tags and names, at most two other
    words may stand on the line ("Travel September 8, 2021", "Dec 11, 2025 Share");
    ``labelled`` (a byline line) and ``loose`` (the line under a headline) allow any.
    """
    found = [d for d in find_dates(line, now) if d.has_day]
    if not found:
        return None
    if any(_RANGE.fullmatch(line[a.end : b.start]) for a, b in pairwise(found)):
        return None  # "October 2, 2025 – February 15, 2026": when an event runs
    dates: list[tuple[DateMatch, str]] = []
    rest_parts: list[str] = []
    last = 0
    for date in found:
        before = line[last : date.start]
        kind = "updated" if _UPDATED.search(before) else "published"
        dates.append((date, kind))
        rest_parts.append(before)
        last = date.end
    rest_parts.append(line[last:])
    if labelled or (loose and len(_words(line)) <= 16):
        return MetaLine(tuple(dates), [])
    rest = _CLOCK_ANY.sub(" ", " | ".join(rest_parts))
    names: list[str] = []
    unknown = 0
    for piece in _META_SEP.split(rest):
        piece = piece.strip(" ,.()[]:»«|—–-•·⋅/")
        low = _norm(piece)
        words = [w for w in low.split() if w not in _DATE_WORDS and w not in _IGNORED_WORDS]
        if (
            not words
            or _READING.match(piece)
            or low.startswith("source")  # "Source: TODAY": the outlet, not an author
            or rules_.not_author_re.match(piece)  # "Medically reviewed by ..."
        ):
            continue
        m = rules_.label_re.match(piece)
        got = parse_names(_LABEL_CUT.sub("", m["rest"]), rules_, labelled=True) if m else []
        if not got and len(low.split()) <= 8:
            # with no "By", only a known given name makes a piece an author
            got = [
                x
                for x in parse_names(_LABEL_CUT.sub("", piece), rules_)
                if is_person(x) or proper(x)
            ]
        if got:
            names.extend(got)
            continue
        unknown += len([w for w in piece.split() if not w.startswith(("#", "@", "%"))])
        if unknown > 2:
            return None
    return MetaLine(tuple(dates), names)


_UPDATED = re.compile(r"(?i)updated|modified|edited|revised")


_CLOCK_ANY = re.compile(
    r"\b\d{1,2}[:.]\d\d(?:\s?[ap]\.?m\b\.?)?(?:\s?\(?(?:[A-Z]{1,4}T|UTC|GMT)\b\)?)?|\b\d{1,2}\s?[ap]\.?m\b\.?",
    re.I,
)


_LABEL_CUT = re.compile(
    r"\s(?:published|updated|posted|last updated|on|in|at|for|from)\b.*$|\s[-–—|•·]\s.*$"
    r"|[.;,]?\s(?:medically\s)?(?:reviewed|edited|fact.checked|photos?|illustrations?)\sby\b.*$",
    re.I,
)


@lru_cache(maxsize=1 << 15)
def _caption_parts(line: str) -> tuple[str, str] | None:
    """(text, credit) of :func:`_caption`, memoised: each line is read in each pass
    of split and each round of settle."""
    rules_ = rules()
    tail = line[-90:]
    if not ("/" in tail or ":" in tail):
        last = tail.rsplit(None, 1)[-1:]
        if not last or last[0].strip(".()[]").lower() not in rules_.credit_tails:
            return None
    if len(_words(line)) >= 4:
        m = rules_.caption_re.match(line)
        if m:
            credit = (m["lcredit"] or m["credit"] or "").strip()
            text = m["text"].strip()
            # "... said in an interview with Reuters." is a sentence, not a credit.
            if credit and not text.endswith(("(", "with", "to", "by")):
                return text, credit
    m = rules_.credit_only_re.match(line)
    if m and len(_words(line)) <= 10:
        credit = (m["lcredit"] or m["credit"] or "").strip()
        if credit and not credit.endswith("."):
            return "", credit
    return None


def _dateline(line: str) -> tuple[str, int] | None:
    """The place (and agency) opening a lede, and where the lede's own text starts."""
    m = _AGENCY_ONLY.match(line)
    if m:
        return f"({m['agency']})", m.end()
    m = _DATELINE.match(line)
    if m is None:
        return None
    place = m["place"]
    first = place.split()[0].rstrip(",")
    if not (m["region"] or m["agency"] or (first.isupper() and len(first) >= 3)):
        return None
    value = place + (f" ({m['agency']})" if m["agency"] else "")
    return value, m.end()
