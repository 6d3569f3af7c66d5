"""``split``: the parts of a page that are not the article body, as fields.

Works on lines of ``body`` (strip's output, paragraphs separated by a blank line)
or, before strip has run, of the raw ``text``. It finds the title and the short
"header zone" around it (section kicker, standfirst, byline, dates), the dateline
opening the lede, photo captions with their credit, subheadings and source lines,
fills the record's fields and takes those lines out of ``body``; each line that
leaves is listed in ``removed`` with the rule (``split:title``, ...) that took it.

Fields already set by ``extract`` (structured data, usually more reliable) are
kept; the matching lines still leave the body.

Every decision is local and linear in the page: regexes are compiled once, dates
are looked for only on short lines.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

from newsclean.memo import Memo, Table
from newsclean.record import Record
from newsclean.stages.base import Stage
from newsclean.text.dates import DateMatch, day_first_page, find_dates, parse_now, reorder
from newsclean.text.fold import fold as _fold
from newsclean.text.persons import given_names, is_person

__all__ = ["Split", "SplitConfig", "split_record"]


@dataclass(frozen=True)
class SplitConfig:
    """Options of ``split``.

    now: reference time (ISO 8601) that turns relative timestamps ("3 hours ago")
        into ISO dates; without it their ``iso`` is null.
    zone: how many non-empty lines after the title are searched for the byline,
        dates and standfirst.
    settle_rounds: once strip has run, strip+split again on the body until it
        stops changing (at most this many rounds; 0: off), so that cleaning a clean
        body changes nothing (see :mod:`newsclean.stages.split.settle`).
    strip_rules: the user's strip rule files, for those rounds.
    """

    now: str | None = None
    zone: int = 12
    settle_rounds: int = 12
    strip_rules: tuple[str, ...] = ()


# --------------------------------------------------------------------------- rules


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
    label_set: frozenset[str]
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
        label_set=frozenset(_norm(x) for x in labels),
        # cheap prefilter of caption lines: the last word of a credit
        credit_tails=frozenset(c.lower().split()[-1] for c in credits),
        not_author_re=re.compile(
            r"^(?:by\s(?:clicking|using|continuing|signing|submitting|entering)|"
            r"(?:reviewed|edited|fact.checked|medically reviewed|photos?|illustrations?|images?)"
            r"\s+by)",
            re.I,
        ),
    )


# --------------------------------------------------------------------------- text helpers


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NON_WORD = re.compile(r"\W+")
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_BARE_NO = re.compile(r"[|/•·\d?!:;]")
_SITE_SEP = re.compile(r"\s+(?:\||-|–|—|::|•|·|»|/|>|›)\s+")
_BREADCRUMB = re.compile(r"\s(?:>|›|»)\s")
_NOT_TITLE = re.compile(r"^\d+\s(?:responses?|comments?|thoughts?|replies)\b", re.I)
_TERMINAL = (".", "!", "?", ":", ";", ",", "…")
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ":", ")")
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
_REPORTING = re.compile(
    r"^(?:\(?(?:additional\s)?(?:reporting|reported|writing|written)\sby\s"
    r"|(?:this|the)\s(?:blog\s)?(?:post|article|story|piece|guide)\swas\s(?:written|authored)\sby\s)"
    r"(?P<names>[^;()]{3,200})"
    r"(?:;|$)",
    re.I,
)
_SOURCES = re.compile(r"^(?:sources?|via)\s?:\s?\S", re.I)
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


def _clean(line: str) -> str:
    return line.replace("\xa0", " ").strip()


def _words(text: str) -> list[str]:
    return text.split()


def _title_like(line: str) -> bool:
    return (
        len(line) <= 250
        and not line.endswith((".", ",", ";", ":", "|"))
        and not line.startswith(("-", "*", "•", "|", "©"))
        and 2 <= len(_words(line)) <= 30
    )


def _headline_like(line: str) -> bool:
    """A first line that may be the page's title: title-like, with words, and not a
    date or time ("September 4, 2025", "5:50 am")."""
    if not _title_like(line) or line.endswith(".") or _ALPHA3.search(line) is None:
        return False
    rest = _CLOCK_ANY.sub(" ", line)
    for date in reversed(find_dates(rest)):
        rest = rest[: date.start] + " " + rest[date.end :]
    return len(_ALPHA3.findall(rest)) >= 2 or (len(_words(rest)) >= 1 and rest == line)


def _title_case(line: str) -> bool:
    """Every word longer than three letters starts with a capital (headings)."""
    for word in _words(line):
        w = word.strip("\"“”‘’'()[]")
        if len(w) > 3 and w[0].isalpha() and not w[0].isupper():
            return False
    return bool(line[:1].isupper() or line[:1].isdigit())


# --------------------------------------------------------------------------- names


def _is_credential(part: str) -> bool:
    return bool(_CREDENTIAL.match(part)) and any(c.isupper() for c in part)


_TEAM = frozenset(("team", "editors", "staff", "desk", "newsroom"))
_CAMEL = re.compile(r"[a-z][A-Z]")
_ALPHA3 = re.compile(r"[^\W\d_]{3}")
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


@cache
def org_words() -> frozenset[str]:
    """Words of organisation names (``data/split/org_words.txt``)."""
    return frozenset(w.lower() for w in _data_lines("org_words.txt"))


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


# --------------------------------------------------------------------------- dates


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


_DATE_LABEL_ALONE = re.compile(
    r"^(?:published|updated|posted|last updated|date|published on|updated on|posted on|"
    r"last updated on|first published|content current as of|last modified|date published|"
    r"publish date|published date|page last modified|modified|last modified on)$"
)
_UPDATED = re.compile(r"(?i)updated|modified|edited|revised")
_CLOCK_ANY = re.compile(
    r"\b\d{1,2}[:.]\d\d(?:\s?[ap]\.?m\b\.?)?(?:\s?\(?(?:[A-Z]{1,4}T|UTC|GMT)\b\)?)?|\b\d{1,2}\s?[ap]\.?m\b\.?",
    re.I,
)


# --------------------------------------------------------------------------- the page


#: The last two pages :meth:`Page.of` read: (text, lines, idx, texts, norms). A tuple
#: replaced whole, so that threads (Dask) each see a consistent one.
_PAGES: tuple[tuple[str, list[str], list[int], list[str], dict[int, str]], ...] = ()


@dataclass
class Page:
    """The lines being split, and what has been claimed from them."""

    lines: list[str]
    idx: list[int]  # indices of non-empty lines
    removed: dict[int, str] = field(default_factory=dict)  # line index -> rule
    replaced: dict[int, str] = field(default_factory=dict)  # line index -> new text
    _joined: str | None = None
    _texts: list[str] = field(default_factory=list)
    _norms: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self._texts:
            self._texts = [_clean(self.lines[i]) for i in self.idx]

    @classmethod
    def of(cls, text: str) -> Page:
        """A fresh page of ``text`` (nothing taken). The lines, their text and their
        ``_norm`` are shared with the last pages of the same text: a settle round
        reads the same body twice (as text, then as strip's body), and they are
        never changed."""
        global _PAGES
        for got in _PAGES:
            if got[0] == text:
                return cls(got[1], got[2], _texts=got[3], _norms=got[4])
        lines = text.split("\n")
        stripped = [line.strip() for line in lines]
        idx = [i for i, clean in enumerate(stripped) if clean]
        texts = [clean for clean in stripped if clean]
        if "\xa0" in text:
            # ``_clean``: what strip() keeps, the inner no-break spaces made spaces
            # (those at the ends are whitespace and went with strip())
            texts = [clean.replace("\xa0", " ") for clean in texts]
        norms: dict[int, str] = {}
        _PAGES = ((text, lines, idx, texts, norms), *_PAGES[:1])
        return cls(lines, idx, _texts=texts, _norms=norms)

    def norm(self, k: int) -> str:
        """``_norm`` of line ``k``, computed once."""
        got = self._norms.get(k)
        if got is None:
            got = self._norms[k] = _norm(self._texts[k])
        return got

    def written_lower(self, word: str) -> bool:
        """Whether the page writes ``word`` in lower case somewhere (so it is no
        proper noun)."""
        if self._joined is None:
            self._joined = "\n".join(self.lines)
        joined = self._joined
        low = word.lower()
        if not low.isalpha():
            return False
        # ``(?<![\w@.])low\b`` read with str.find (a regex per word was most of the
        # cost): an occurrence of ``low`` that is a whole word (``low`` is letters
        # only), not after "@" or ".".
        end = len(low)
        at = joined.find(low)
        while at >= 0:
            before = joined[at - 1] if at else " "
            after = joined[at + end : at + end + 1]
            if not (before.isalnum() or before in "_@.") and not (after.isalnum() or after == "_"):
                return True
            at = joined.find(low, at + 1)
        return False

    def proper(self, name: str) -> bool:
        """No word of ``name`` is written in lower case on the page: proper nouns."""
        return not any(self.written_lower(w) for w in _WORD.findall(name))

    def text(self, k: int) -> str:
        return self._texts[k]

    @property
    def texts(self) -> list[str]:
        """The text of each non-empty line (``text(k)`` for all ``k``; do not change)."""
        return self._texts

    def take(self, k: int, rule: str) -> None:
        self.removed.setdefault(self.idx[k], rule)

    def taken(self, k: int) -> bool:
        return self.idx[k] in self.removed


def _variants(page_title: str) -> list[str]:
    """The page title, then the title with site parts cut ("Headline | Site")."""
    out = [page_title]
    parts = _SITE_SEP.split(page_title)
    for n in range(len(parts) - 1, 0, -1):
        out.append(" ".join(parts[:n]) if n > 1 else parts[0])
    # "Site | Headline": the last part
    if len(parts) > 1:
        out.append(parts[-1])
    return [v for v in out if len(_words(v)) >= 1]


def _cut_site(page_title: str) -> str:
    """The headline of a page title whose other lines never repeat it: drop a short
    trailing part after " | ", or after a dash when it is at most three words."""
    parts = re.split(r"\s+(\||-|–|—|::|•|·)\s+", page_title)
    while len(parts) >= 3:
        sep, last = parts[-2], parts[-1]
        n = len(_words(last))
        if (sep in ("|", "•", "·", "::") and n <= 6) or n <= 3:
            parts = parts[:-2]
            continue
        break
    return "".join(p if i % 2 == 0 else f" {p} " for i, p in enumerate(parts)).strip()


@dataclass(frozen=True)
class Anchor:
    """A line of the article header: a byline (names) or a date line."""

    names: tuple[str, ...] = ()
    meta: MetaLine | None = None
    lines: int = 1  # a label alone on its line ("By") takes the next line too
    labelled: bool = False  # a date under an explicit label ("Published", "Updated:")


_LABEL_CUT = re.compile(
    r"\s(?:published|updated|posted|last updated|on|in|at|for|from)\b.*$|\s[-–—|•·]\s.*$"
    r"|[.;,]?\s(?:medically\s)?(?:reviewed|edited|fact.checked|photos?|illustrations?)\sby\b.*$",
    re.I,
)


def _byline_names(rest: str, rules_: Rules, now: datetime | None) -> list[str]:
    """Names after a byline label, cut before a date or a "Published"/"in ..." tail."""
    found = find_dates(rest, now)
    if found:
        rest = rest[: found[0].start]
    # "Dr. Vahid Osman - Mar 27, 2024": the separator left before the date goes too
    rest = _LABEL_CUT.sub("", rest.strip()).rstrip(" -–—|•·/,")
    return parse_names(rest, rules_, labelled=True)


def _may_anchor(line: str) -> bool:
    """Whether a line of at most 200 characters passes any of :func:`_anchors`'
    first tests (a label, a digit, "ago"): the others, whatever lines stand around
    them, are never anchors. Most lines are such, and each is read again in each
    pass of split and each round of settle: see :data:`_MAY_ANCHOR`."""
    if _DIGIT.search(line) is not None or "ago" in line.lower():
        return True
    rules_ = rules()
    low = _norm(line) if len(line) <= 60 else ""
    return (
        (bool(low) and _DATE_LABEL_ALONE.match(low) is not None)
        or low in rules_.label_set
        or (rules_.label_re.match(line) is not None and rules_.not_author_re.match(line) is None)
        or _DATE_LABEL.match(line) is not None
    )


#: :func:`_may_anchor`, memoised by line.
_MAY_ANCHOR: Memo[str, bool] = Memo(_may_anchor, 1 << 15)


def _anchors(
    page: Page, lo: int, hi: int, rules_: Rules, now: datetime | None
) -> dict[int, Anchor]:
    """Byline and date lines of the page between lines ``lo`` and ``hi``."""
    out: dict[int, Anchor] = {}
    texts = page.texts
    # The lines worth reading: a long one opening on a date label, a short one
    # passing _may_anchor.
    worth = [
        k
        for k, line in enumerate(texts[lo:hi], lo)
        if (_DATE_LABEL.match(line) is not None if len(line) > 200 else _MAY_ANCHOR[line])
    ]
    for k in worth:
        line = texts[k]
        if len(line) > 200:
            label = _DATE_LABEL.match(line)
            meta = _date_after_label(line, label.end(), now) if label else None
            if meta is not None:
                # the date counts, the paragraph stays ("Updated: December 9, 2024 If
                # you are serving food ...")
                out[k] = Anchor((), meta, lines=0, labelled=True)
            continue
        low = _norm(line) if len(line) <= 60 else ""
        if low and k + 1 < hi and _DATE_LABEL_ALONE.match(low):
            # "Published" / "July 8, 2025" on two lines
            meta = _meta_line(page.text(k + 1), rules_, now, labelled=True)
            if meta is not None and len(_words(page.text(k + 1))) <= 8:
                kind = "updated" if _UPDATED.search(low) else "published"
                dates = tuple((d, kind) for d, _ in meta.dates)
                out[k] = Anchor((), MetaLine(dates[:1]), lines=2, labelled=True)
                continue
        if low in rules_.label_set and k + 1 < hi:
            names = _byline_names(page.text(k + 1), rules_, now)
            if names and _caption_parts(page.text(k + 1)) is None:
                meta = _meta_line(page.text(k + 1), rules_, now, labelled=True)
                out[k] = Anchor(tuple(names), meta, lines=2)
            continue
        m = rules_.label_re.match(line)
        if m and not rules_.not_author_re.match(line):
            names = _byline_names(m["rest"], rules_, now)
            meta = _meta_line(line, rules_, now, labelled=True)
            # "By focusing on ..." opens a sentence; a one-word name must be a proper
            # noun, never written in lower case elsewhere on the page ("By State").
            if len(_words(line)) > 12 and meta is None:
                names = []
            if (
                len(names) == 1
                and " " not in names[0]
                and page.written_lower(names[0])
                and not (names[0].islower() and _beside_date(page, k, rules_, now))
            ):
                names = []
            if names:
                out[k] = Anchor(tuple(names), meta)
                continue
        meta = _meta_line(line, rules_, now, proper=page.proper)
        label = _DATE_LABEL.match(line) if meta is None else None
        if label is not None:
            # "Posted on the 15/12/2025 at 19:00 by @GuillaumeGomez": the label says
            # it is a date line, whatever else stands on it; on a long line, only the
            # date right after the label ("Posted on December 20, 2025 by ... - 5
            # Comments on ...")
            short = len(_words(line)) <= 16
            if short:
                meta = _meta_line(line, rules_, now, labelled=True)
            else:
                meta = _date_after_label(line, label.end(), now)
            if meta is not None:
                out[k] = Anchor((), meta, lines=1 if short else 0, labelled=True)
            continue
        if meta is not None:
            out[k] = Anchor(tuple(meta.names), meta)
    return out


def _within(order: list[int], lo: int, hi: int) -> list[int]:
    """The keys of ``order`` (sorted) from ``lo`` to ``hi`` (excluded)."""
    return order[bisect_left(order, lo) : bisect_left(order, hi)]


def _beside_date(page: Page, k: int, rules_: Rules, now: datetime | None) -> bool:
    """Line ``k`` has a date line right above or under it: "by jsteinhardt" over
    "18th Dec 2025" is a user's byline, whatever else the page writes in lower case."""
    return any(
        0 <= j < len(page.idx)
        and len(_words(page.text(j))) <= 8
        and _meta_line(page.text(j), rules_, now, labelled=True) is not None
        for j in (k - 1, k + 1)
    )


def _date_after_label(line: str, end: int, now: datetime | None) -> MetaLine | None:
    """The date right after a date label ending at ``end`` ("Published: Mar 8, 2024
    · Modified: ..."), whatever the rest of a long line says."""
    found = [d for d in find_dates(line[: end + 80], now) if d.has_day and d.iso]
    if not found or found[0].start - end > 5:
        return None
    kind = "updated" if _UPDATED.search(line[:end]) else "published"
    return MetaLine(((found[0], kind),))


def _date_alone(page: Page, k: int, anchors: dict[int, Anchor]) -> bool:
    """Line ``k`` is one absolute date and nothing else but a reading time or a time
    ("May 06, 2025", "April 2, 2024 · 5 min read")."""
    anchor = anchors.get(k)
    if anchor is None or anchor.meta is None or anchor.names or page.taken(k):
        return False
    if len(anchor.meta.dates) != 1 or anchor.meta.dates[0][0].iso is None:
        return False
    line, date = page.text(k), anchor.meta.dates[0][0]
    rest = _norm(_CLOCK_ANY.sub(" ", line[: date.start] + " " + line[date.end :]))
    return all(w in _DATE_WORDS or w in _IGNORED_WORDS or w.isdigit() for w in rest.split())


@lru_cache(maxsize=1 << 15)
def _word_bag(line: str) -> frozenset[str]:
    """The lower-cased words of ``line``, computed once per line: the same lines are
    read in each pass of split and each round of settle."""
    return frozenset(_WORD.findall(line.lower()))


@lru_cache(maxsize=1 << 15)
def _title_candidate(line: str) -> bool:
    """``line`` may be a headline by its own shape (memoised like :func:`_word_bag`)."""
    return (
        _title_like(line)
        and _NOT_TITLE.match(line) is None
        and rules().label_re.match(line) is None
    )


def _similarity(a: set[str], line: str) -> float:
    b = _word_bag(line)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _may_be_half(low: str, halves: list[tuple[list[str], int]]) -> bool:
    """Whether the lower-cased line ``low`` holds (as text) at least ``need`` of the
    ``words`` of one of ``halves``: the line's similarity to those words can reach
    0.5 only then (the words it shares are at least half of the union, so at least
    half of ``words``, and each is a part of the line)."""
    for words, need in halves:
        left = len(words)
        found = 0
        for word in words:
            left -= 1
            if word in low:
                found += 1
                if found >= need:
                    return True
            elif found + left < need:
                break
    return False


#: No byline nor date under a line, none over it: (byline, date, gap).
_FAR = (0, 0, 6)


def _near_anchors(anchors: dict[int, Anchor]) -> dict[int, tuple[int, int, int]]:
    """For each line with anchors around it: whether a byline stands in the five
    lines under it, whether a date does (or in the two lines over it: "February 6,
    2026" / headline), and how far under it the first byline is (6: none)."""
    near: dict[int, tuple[int, int, int]] = {}
    for j, anchor in anchors.items():
        named = int(bool(anchor.names))
        dated = int(anchor.meta is not None)
        for k in range(j - 5, j):
            byline, date, gap = near.get(k, _FAR)
            near[k] = (byline | named, date | dated, min(gap, j - k) if named else gap)
        if dated:
            for k in (j + 1, j + 2):
                byline, date, gap = near.get(k, _FAR)
                near[k] = (byline, 1, gap)
    return near


def _find_title(
    page: Page,
    page_title: str | None,
    start: int,
    anchors: dict[int, Anchor],
) -> int | None:
    """The line of the headline: like the page title, and followed by a byline or date."""
    n = len(page.idx)
    wanted: set[str] = set()
    tokens: list[set[str]] = []
    if page_title:
        variants = _variants(page_title)
        wanted = {_norm(v) for v in variants[:-1] or variants if _norm(v)}
        tokens = [set(_WORD.findall(v.lower())) for v in {page_title, _cut_site(page_title)}]
    # A line reaches a similarity of 0.5 with a token set only if it holds at least
    # half its words, each then a part of the lower-cased line: a test of ``in`` per
    # word, cheaper than the line's own word set (see below).
    halves = [(sorted(t), (len(t) + 1) // 2) for t in tokens if t]
    best: tuple[float, int] | None = None
    longest = max((len(v) for v in wanted), default=0) * 2 + 10
    shortest = min((len(v) for v in wanted), default=0)
    candidates: range | list[int] = range(start, n)
    if not page_title:
        # No line can equal or be like a page title: a headline needs a byline under
        # it (see below), so only the few lines over a byline are worth reading (in
        # each round of settle, the page title is mostly unknown).
        over = {
            k
            for j, anchor in anchors.items()
            if anchor.names
            for k in range(max(start, j - 5), min(n, j))
        }
        candidates = sorted(over)
    near = _near_anchors(anchors)
    texts, norm = page.texts, page.norm
    # a line merely like the page title near the foot of a long page is a teaser or
    # a related story; the page title is the better headline
    foot = 0.8 * n if page_title and n >= 50 else float("inf")
    for k in candidates:
        line = texts[k]
        if len(line) > 300 or not line or k in anchors:
            continue
        exact = shortest <= len(line) <= longest and norm(k) in wanted
        if not exact and (k > foot or not _title_candidate(line)):
            continue
        byline, date, gap = near.get(k, _FAR)
        follow = byline + date
        if not exact and not tokens and not byline:
            continue
        # With no byline nor date near it, a line is kept only for a similarity of 0.5
        if not exact and not follow and not _may_be_half(line.lower(), halves):
            continue
        if exact:
            sim = 1.0
        else:
            sim = 0.0
            for t in tokens:
                sim = max(sim, _similarity(t, line))
        # A line unlike the page title needs a byline under it, not just a date.
        if sim < 0.5 and not (
            (
                byline
                and (
                    sim >= 0.2
                    or len(_words(line)) >= 4
                    or (not tokens and gap == 1 and len(_words(line)) >= 3)
                )
            )
            or (date and sim >= 0.2)
        ):
            continue
        if not exact and sim < 0.5 and not (len(_words(line)) >= 2 and _title_case_ish(line)):
            continue
        score = 2 * sim + 0.8 * follow
        if not tokens:
            # with no page title to go by, the line right over the byline is the headline
            score += 0.05 * (6 - gap)
        if best is None or score > best[0]:
            best = (score, k)
    # The page title itself scores 2: another line must be as like it, or nearly as
    # like it with a byline or date under it.
    floor = 0.0
    return best[1] if best and best[0] >= floor else None


_LEAD_LABEL = re.compile(r"^\W{0,2}\w+(?:\s\w+)?\s?:\s")


def _page_title_core(line: str, page_title: str) -> str:
    """The page title less its site part, when the headline line is that and only
    adds what is no part of a headline: a date ("Dec 18 2025 Preparing a transition",
    "... / Dec 2025"), a kicker label ("Blog: ..."), the site's name ("... – Artlyst"
    where the page title is "... – Artlyst - Artlyst"), or a space a text dump put
    inside a word ("Planning C ycle")."""
    core = _cut_site(page_title)
    want, have = _norm(core), _norm(line)
    if not want or want == have or len(_words(core)) < 2:
        return line
    if want.replace(" ", "") == have.replace(" ", ""):
        return core
    if "?" in line and re.fullmatch(
        ".{0,2}".join(re.escape(part) for part in line.lower().split("?")), core.lower()
    ):
        return core  # "Beginner? Guide": a character the page lost, the title has
    at = f" {have} ".find(f" {want} ")
    if at < 0:
        return line
    before, after = have[: max(0, at - 1)].strip(), have[at + len(want) :].strip()
    # the site's name: what the page title adds to the whole line still holds it
    full = _norm(page_title)
    site = full[len(have) :] if full.startswith(have + " ") else ""
    for extra, lead in ((before, True), (after, False)):
        if not extra:
            continue
        rest = extra
        for date in reversed(find_dates(extra)):
            rest = rest[: date.start] + " " + rest[date.end :]
        if not rest.strip():
            continue  # a date
        if site and f" {extra} " in f" {site} ":
            continue  # the site's name
        if lead and len(extra.split()) <= 2 and _LEAD_LABEL.match(line):
            continue  # "Blog: ..."
        return line
    return core


def _title_case_ish(line: str) -> bool:
    return line[:1].isupper() or line[:1].isdigit()


# --------------------------------------------------------------------------- the stage


_HEADER_RULES = (
    "split:page-title",
    "split:section",
    "split:title",
    "split:standfirst",
    "split:byline",
    "split:date",
)


@dataclass(frozen=True)
class Known:
    """What the pass over the whole page text found, for the pass over strip's body."""

    title: str | None
    lines: tuple[tuple[str, str], ...]  # (line, rule) to take out of the body


def split_record(
    record: Record, config: SplitConfig = SplitConfig(), *, lines_only: bool = False
) -> Record:
    """Fill the split fields of ``record`` and take their lines out of the body.

    Before strip has run, one pass over ``text`` does everything. After strip, the
    header (title, byline, dates) is read from ``text``, where strip has not yet cut
    the lines around the headline, and the lines found there leave ``body``; captions,
    headings, sources and the dateline are read from ``body``.

    ``lines_only``: only ``body`` and ``removed`` are wanted (the rounds of settle),
    so what fills a field without taking a line (an author box, a copyright line or
    the site's name as byline, headings, the day-first reading of dates) is skipped;
    the other fields may then be incomplete.
    """
    want_fields = not lines_only
    body = record.get("body")
    text = record.get("text")
    page_title: str | None = None
    for item in record.get("removed") or []:
        if str(item.get("rule", "")).startswith("title"):
            page_title = _clean(str(item.get("text", "")))
            break
    prior = list(record.get("removed") or [])
    if not isinstance(body, str):
        fields, removed, new_body = _split_text(
            text if isinstance(text, str) else "", True, None, None, config, want_fields=want_fields
        )
    elif isinstance(text, str) and text.strip() and body.strip():
        # A text strip left as it was (no line taken, none re-flowed) reads like a
        # clean body cleaned again (#9): its first line is a heading of the article,
        # not the page's title, unless it repeats the title extract found or a byline
        # or date under it says otherwise.
        dump = (
            body.strip() != text.strip()
            or any(not str(e.get("rule", "")).startswith("split:") for e in prior)
            or _repeats_title(text, record.get("title"))
        )
        head, head_removed, _ = _split_text(
            text,
            True,
            None,
            None,
            config,
            header_only=True,
            page_dump=dump,
            want_fields=want_fields,
        )
        lines = tuple((e["text"], e["rule"]) for e in head_removed if e["rule"] in _HEADER_RULES)
        known = Known(head["title"] if isinstance(head["title"], str) else None, lines)
        fields, removed, new_body = _split_text(
            body, False, page_title, known, config, want_fields=want_fields
        )
        for key in (
            "title",
            "section",
            "standfirst",
            "byline",
            "published",
            "updated",
            "timestamps",
        ):
            if head[key] not in (None, []):
                fields[key] = head[key]
        if not fields["captions"]:
            fields["captions"] = head["captions"]
    else:
        fields, removed, new_body = _split_text(
            body, False, page_title, None, config, want_fields=want_fields
        )
    if isinstance(fields["title"], str):
        fields["title"] = _unmojibake(html.unescape(fields["title"]))
    result = dict(record)
    for key, value in fields.items():
        if record.get(key) in (None, [], ""):
            result[key] = value
    result["body"] = new_body
    result["removed"] = prior + removed
    return result


_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]")


def _unmojibake(title: str) -> str:
    """A title whose UTF-8 was read as Latin-1 or Windows-1252 ("Investorâ\x80\x99s"),
    read again as UTF-8 ("Investor’s"); left alone when it does not decode."""
    if _MOJIBAKE.search(title) is None:
        return title
    for codec in ("latin-1", "cp1252"):
        try:
            return title.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return title


def _repeats_title(text: str, title: object) -> bool:
    """The first line of ``text`` is ``title`` (set by extract from the page's markup)."""
    if not isinstance(title, str) or not title.strip():
        return False
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    return len(first) <= 2 * len(title) + 10 and _norm(_clean(first)) == _norm(_clean(title))


def _split_text(
    text: str,
    raw_mode: bool,
    page_title: str | None,
    known: Known | None,
    config: SplitConfig,
    header_only: bool = False,
    page_dump: bool = True,
    want_fields: bool = True,
) -> tuple[dict[str, object], list[dict[str, str]], str]:
    """One pass over the lines of ``text``: the fields, what left, and the new text.
    ``header_only`` stops after the header (title, section, standfirst, byline, dates).
    Without ``want_fields`` what takes no line is not looked for (see :func:`split_record`).
    Without ``page_dump`` (strip found no chrome: maybe a clean body) the first line
    is no kicker or page title, and is the headline only with a byline or date under it."""
    rules_ = rules()
    now = parse_now(config.now) if config.now else None
    page = Page.of(text)
    lines = page.lines
    n = len(page.idx)
    if known is not None:
        _take_known(page, known)

    start = 0
    section: str | None = None
    if known is None and n > 1 and page_dump and (raw_mode or page_title is None):
        first, second = page.text(0), page.text(1)
        # A kicker ("Middle east") above the headline.
        if (
            len(_words(first)) <= 2
            and len(first) <= 30
            and rules().label_re.match(second) is None
            and not first.endswith(_TERMINAL)
            and _title_like(second)
            and len(_words(second)) >= 4
            and not any(
                len(page.text(k)) <= 2 * len(first) and page.norm(k) == page.norm(0)
                for k in range(1, min(n, 400))
            )
        ):
            section = first
            page.take(0, "split:section")
            start = 1
    lead: str | None = None  # a first line that may be the headline, without evidence
    if raw_mode and section is None and n:
        # "Headline |": a page title whose site part was empty
        first = re.sub(r"\s[|–—-]$", "", page.text(0))
        if _headline_like(first) or (
            # "Headline - Envy Design Co.": the full stop is the site's, not the title's
            _cut_site(first) != first and _headline_like(_cut_site(first))
        ):
            if page_dump or n == 1:
                page_title = first
                start = 1
            else:
                lead = first

    anchors = _anchors(page, start, n, rules_, now) if known is None else {}
    title_k = _find_title(page, page_title, start, anchors) if known is None else None
    title: str | None = None
    if known is not None:
        title = known.title
        title_k = next(
            (k for k in range(n) if page.removed.get(page.idx[k]) == "split:title"), None
        )
    elif title_k is not None:
        title = page.text(title_k)
        if page_title and _norm(title) == _norm(page_title):
            title = _cut_site(title)
        # a breadcrumb ending in the headline: "Paper Trails > Best Practices for PTO"
        title = _BREADCRUMB.split(title)[-1]
        if page_title:
            title = _page_title_core(title, page_title)
        if raw_mode and start == 1 and section is None:
            page.take(0, "split:page-title")
    elif raw_mode and page_title is not None and section is None:
        # The first line is the only statement of the headline.
        title, title_k = _cut_site(page_title), 0
    elif lead is not None:
        title = _cut_site(lead)  # the field only: the line stays in the body
    elif page_title is not None:
        title = _cut_site(page_title)
    elif start < n:
        line = page.text(start)
        if _headline_like(line) and not line.endswith(_TERMINAL) and len(_words(line)) <= 25:
            title, title_k = line, start
    if title_k is not None and known is None:
        page.take(title_k, "split:title")
        # The same headline repeated on the next lines (page widgets print it twice).
        k = title_k + 1
        while k < n and page.norm(k) == page.norm(title_k):
            page.take(k, "split:title")
            k += 1

    # The header zone: a few lines before and after the headline.
    anchor_k = title_k if title_k is not None else start - 1
    zone_lo = max(start, anchor_k - 3)
    zone_hi = min(n, anchor_k + 1 + config.zone)
    texts = page.texts
    teasers = rules_.teasers
    end = next(
        (
            k
            for k in range(max(anchor_k + 1, start), n)
            if len(texts[k]) < 40 and _norm(texts[k]) in teasers
        ),
        n,
    )

    bylines: list[str] = []
    timestamps: list[dict[str, object]] = []
    captions: list[dict[str, object]] = []

    places: list[int] = []  # the line of each timestamp

    used: set[int] = set()

    def take_anchor(k: int) -> None:
        if k in used:
            return  # a date kept in the body (lines=0) is counted once
        used.add(k)
        anchor = anchors[k]
        for j in range(k, k + anchor.lines):
            page.take(j, "split:byline" if anchor.names else "split:date")
        bylines.extend(x for x in anchor.names if x not in bylines)
        if anchor.meta is not None:
            m = anchor.meta
            for date, kind in m.dates:
                timestamps.append({"raw": date.raw, "iso": date.iso, "kind": kind})
                places.append(k)

    # Credit lines in the header ("Amr Dalsh / Reuters") are captions, not bylines.
    for k in range(zone_lo, min(zone_hi, end)):
        if not page.taken(k) and k not in anchors:
            caption = _caption(page.text(k))
            if caption is not None:
                captions.append(caption)
                page.take(k, "split:caption")
    # The line under the headline (or its dek) is a date line with fewer checks
    # ("On Behalf of O’Malley Tunstall PLLC | Apr 21, 2017 | Products Liability").
    if title_k is not None and known is None:
        for k in range(title_k + 1, min(n, title_k + 3)):
            if k not in anchors and not page.taken(k):
                meta = _meta_line(page.text(k), rules_, now, loose=True)
                if meta is not None:
                    anchors[k] = Anchor((), meta)
                    break
    # In line order: the first byline of the header wins, be it labelled ("By Jane
    # Doe") or a bare name with evidence around it; date lines are all kept.
    # Lines under the headline come first: a byline above it is more often another
    # story's teaser ("by Andy Westlake" over the headline, "Joshua Waller" under it).
    if known is None:
        below = range(anchor_k + 1, zone_hi)
        header = [*below, *range(zone_lo, min(anchor_k + 1, zone_hi))]
    else:
        below = range(0)
        header = []
    # A byline that says so ("By Shaoni Mukherjee") beats a bare line with evidence
    # around it (a tag "GenAI" under the date).
    named = any(k in anchors and anchors[k].names and not page.taken(k) for k in below)
    for k in header:
        if page.taken(k):
            continue
        if k in anchors:
            if anchors[k].names and bylines:
                # a second byline in the header belongs to something else (a related story)
                if anchors[k].meta is None:
                    continue
                anchors[k] = Anchor((), anchors[k].meta, anchors[k].lines)
            take_anchor(k)
            continue
        if bylines or named:
            continue
        if not texts[k].islower() and _bare_shape(texts[k]) is None:
            continue  # (_bare_byline's first test, without the call)
        bare = _bare_byline(page, k, title_k, anchors, rules_)
        if bare:
            bylines.extend(bare)
    # The lines below read only anchors: their keys in line order (no key is added
    # from here on).
    order = sorted(anchors)
    # Outside the header: the first byline of the article, and labelled dates
    # ("Updated: August 08, 2023, 10:37 PM" at the foot).
    for k in _within(order, max(start, anchor_k + 1), end):
        anchor = anchors[k]
        if page.taken(k):
            continue
        first_byline = bool(anchor.names) and not bylines
        labelled_date = (
            anchor.meta is not None
            and not anchor.names
            and (anchor.labelled or bool(_DATE_LABEL.match(page.text(k))))
        )
        if first_byline or labelled_date:
            take_anchor(k)
    # Still no byline: a labelled one ("By Jane Doe") above the header zone, when it
    # names people ("By Company Size" is a filter menu).
    if known is None and not bylines:
        for k in _within(order, start, zone_lo):
            anchor = anchors[k]
            if not anchor.names or page.taken(k):
                continue
            if all(is_person(x) for x in anchor.names):
                take_anchor(k)
                break
    # ... or a dated one at the foot, past any teasers ("Last updated March 3, 2025
    # by Erik Demaine.", "Posted by Colin Watson on 2025-12-18 in debusine.").
    if known is None and not bylines:
        for k in _within(order, end, n):
            anchor = anchors[k]
            if not anchor.names or anchor.meta is None or page.taken(k):
                continue
            line = page.text(k)
            if (_DATE_LABEL.match(line) or line.lower().startswith("posted by")) and all(
                is_person(x) for x in anchor.names
            ):
                take_anchor(k)
                break
    # Still no date: the first date line anywhere before the teasers that says what
    # it is ("Posted on ...", "UPDATED 16:47 EST / DECEMBER 19 2025"), shares its
    # line with a byline ("Posted by Colin Watson on 2025-12-18") or stands next to
    # one ("By Rebecca Edwards" / "Dec 18, 2025").
    if known is None and not any(ts["iso"] for ts in timestamps):
        for k in _within(order, start, end):
            anchor = anchors[k]
            if anchor.meta is None or page.taken(k):
                continue
            beside = any(j in anchors and anchors[j].names for j in (k - 1, k + 1))
            if (
                anchor.labelled or _DATE_LABEL.match(page.text(k)) or anchor.names or beside
            ) and any(d.iso for d, _ in anchor.meta.dates):
                anchors[k] = Anchor((), anchor.meta, anchor.lines, anchor.labelled)
                take_anchor(k)
                break
    # Still none: a date alone on its line ("May 06, 2025"), the one nearest the
    # headline, before any teasers.
    if known is None and not any(ts["iso"] for ts in timestamps):
        alone = [k for k in _within(order, start, end) if _date_alone(page, k, anchors)]
        if alone:
            take_anchor(min(alone, key=lambda k: (abs(k - anchor_k), k < anchor_k)))

    # "Reporting by X; Editing by Y" at the end of wire stories.
    reporting = [
        (k, m)
        for k in range(max(start, anchor_k + 1), 0 if header_only else n)
        if len(texts[k]) <= 300 and (m := _REPORTING.match(texts[k]))
    ]
    for k, m in reporting:
        names = parse_names(m["names"], rules_)
        page.take(k, "split:byline")
        if not bylines:
            bylines.extend(names)

    # No byline in the header: the author box at the foot ("Lauren Vetter" over
    # "Lauren Vetter is a growth-focused marketing professional ...").
    # (These take no line: skipped when only the lines matter.)
    if want_fields and not bylines and (known is None or not known.lines):
        bylines.extend(_bio_byline(page, max(start, anchor_k + 1), rules_))
    # Last: a personal site's copyright holder ("Copyright Sam Bossley 2012-2025."),
    # or the person a personal site is named after ("Go ahead, self-host Postgres |
    # Pierce Freeman").
    if want_fields and not bylines and (known is None or not known.lines):
        bylines.extend(_copyright_byline(page, max(start, anchor_k + 1), rules_))
    if want_fields and not bylines and known is None and raw_mode and page_title:
        bylines.extend(_site_person(page_title, rules_))
    if want_fields and not bylines and known is None and raw_mode:
        bylines.extend(_masthead_person(page, start, title_k, rules_))

    # Standfirst: the line under the headline when it is a dek, not the lede.
    standfirst: str | None = None
    if title_k is not None and known is None:
        k = title_k + 1
        while k < n and page.taken(k) and page.removed[page.idx[k]] == "split:title":
            k += 1
        if k < n and not page.taken(k):
            line = page.text(k)
            nw = len(_words(line))
            nxt = next((j for j in range(k + 1, min(n, k + 3)) if page.taken(j)), None)
            if 8 <= nw <= 60 and (
                not line.endswith(_SENTENCE_END) or (nxt is not None and nw <= 40)
            ):
                standfirst = line
                page.take(k, "split:standfirst")

    # Captions (with credit) between the headline and any teaser block.
    body_lo, body_hi = max(start, anchor_k + 1), (0 if header_only else end)
    in_body = [
        (k, caption)
        for k in range(body_lo, body_hi)
        if len(texts[k]) <= 600 and (caption := _caption(texts[k])) is not None
    ]
    for k, caption in in_body:
        # (taking a line changes only that line's verdict)
        if not page.taken(k):
            captions.append(caption)
            page.take(k, "split:caption")

    # Sources at the foot: "Sources: THX News & US Department of Defense."
    sources: list[str] = []
    for k in [k for k in range(body_lo, body_hi) if _SOURCES.match(texts[k])]:
        line = texts[k]
        if not page.taken(k) and len(_words(line)) <= 30:
            sources.append(line)
            page.take(k, "split:sources")

    # The dateline opening the lede: the first body line left after the header.
    dateline: str | None = None
    for k in range(body_lo, min(n, zone_hi + 3, body_hi)):
        if page.taken(k):
            continue
        line = page.text(k)
        if len(_words(line)) < 6:
            continue
        found = _dateline(line)
        if found is not None:
            dateline, cut = found
            page.replaced[page.idx[k]] = line[cut:]
        break

    headings = _headings(page, body_lo, body_hi) if want_fields else []

    removed: list[dict[str, str]] = []
    for i in sorted({*page.removed, *page.replaced}):
        # the lines that go or change, in page order; the others are kept as they are
        line = lines[i]
        if i in page.removed:
            removed.append({"text": _clean(line), "rule": page.removed[i]})
            continue
        kept = page.replaced[i]
        prefix = _clean(line)[: len(_clean(line)) - len(kept)].strip()
        removed.append({"text": prefix, "rule": "split:dateline"})
    body_lines = (
        [page.replaced.get(i, line) for i, line in enumerate(lines) if i not in page.removed]
        if removed
        else lines  # most passes of settle take nothing
    )
    body = "\n".join(body_lines)
    # (runs of three or more line breaks down to two: ``str.replace`` until none is
    # left is several times quicker than a regex over the whole body)
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    body = body.strip("\n")

    # "03/10/2023" on a page that writes "31 January 2023": day first
    if want_fields and any(_AMBIGUOUS_HINT.match(str(ts["raw"])) for ts in timestamps):
        day_first = day_first_page(text)
        for ts in timestamps:
            iso = ts["iso"]
            ts["iso"] = reorder(str(ts["raw"]), iso if isinstance(iso, str) else None, day_first)
    published = updated = None
    # The date nearest the headline is the article's (on a tie, the one under it);
    # timestamps stay listed in page order.
    if title_k is not None and len(places) == len(timestamps):
        order = sorted(
            range(len(timestamps)),
            key=lambda i: (abs(places[i] - title_k), places[i] < title_k, i),
        )
    else:
        order = list(range(len(timestamps)))
    for ts in (timestamps[i] for i in order):
        if ts["iso"] is None:
            continue
        if ts["kind"] == "updated" and updated is None:
            updated = ts["iso"]
        elif ts["kind"] == "published" and published is None:
            published = ts["iso"]

    fields: dict[str, object] = {
        "title": title,
        "section": section,
        "standfirst": standfirst,
        "dateline": dateline,
        "byline": bylines,
        "published": published,
        "updated": updated,
        "timestamps": timestamps,
        "captions": captions,
        "headings": headings,
        "sources": sources,
    }
    return fields, removed, body


@lru_cache(maxsize=1 << 15)
def _bare_shape(line: str) -> bool | None:
    """Whether a line is shaped like a bare byline, its role after a bar or not
    ("Manoj Jain and Jagpreet Chhatwal | Guest Columnists": True, the role to cut;
    "Andrew King": False; None: no byline). Memoised: each line is read in each
    pass of split and each round of settle."""
    # "Manoj Jain and Jagpreet Chhatwal | Guest Columnists": names, then their role
    head, bar, tail = line.partition(" | ")
    role_tail = bool(bar) and "|" not in tail and _is_role(tail, rules())
    if role_tail:
        line = head
    if len(line) > 80 or not line[:1].isupper() or _BARE_NO.search(line):
        return None
    if not 1 <= len(line.split()) <= 6:
        return None
    return role_tail


def _bare_byline(
    page: Page, k: int, title_k: int | None, anchors: dict[int, Anchor], rules_: Rules
) -> list[str]:
    """A byline with no label ("Andrew King" over "September 4, 2025"; "Rudaw" under
    "3 hours ago"), when the lines around it give evidence; takes its line(s)."""
    n = len(page.idx)
    line = page.text(k)
    if line.islower():
        if (
            title_k is not None
            and 0 < k - title_k <= 3
            and any(j in anchors and anchors[j].meta is not None for j in (k - 1, k + 1))
            and parse_names(line, rules_, labelled=True) == [line]
            and len(line) >= 6
        ):
            # a user handle alone beside the date under the headline ("inikosoftseo")
            page.take(k, "split:byline")
            return [line]
        return []  # a bare name starts with a capital
    role_tail = _bare_shape(line)
    if role_tail is None:
        return []
    if role_tail:
        line = line.partition(" | ")[0]
    dates = [j for j in range(k - 3, k + 4) if j != k and j in anchors and anchors[j].meta]
    near_date = any(abs(j - k) <= 2 for j in dates)
    repeated = next(
        (
            j
            for j in range(k + 1, min(n, k + 4))
            if abs(len(page.text(j)) - len(line)) <= 4 and page.norm(j) == page.norm(k)
        ),
        None,
    )
    # A bare name above the headline is a menu or a kicker, unless a date line beside
    # it makes the two the header ("Matt Check" / "December 14, 2025") and it starts
    # with a known given name.
    if (
        title_k is not None
        and k < title_k
        and not (title_k - k <= 3 and near_date and is_person(line))
    ):
        return []
    under_title = title_k is not None and 0 < k - title_k <= 4
    role_next = role_tail or (k + 1 < n and _is_role(page.text(k + 1), rules_))
    # a known given name over a job title ("Joakim Edin" / "Research & Development")
    person_role = role_next and is_person(line)
    if not (near_date or repeated or under_title or person_role):
        return []
    names = parse_names(line, rules_)
    if names and "," in line and not _all_names(line, names, rules_):
        names = []  # "Nonessential Thoughts, Technology": a list of categories
    words = _norm(line).split()
    if not names and words and words[-1] in _TEAM:
        names = [x for x in parse_names(line, rules_, labelled=True) if " " in x]
    elif not names and len(words) > 2 and any(w in rules_.job_words for w in words[2:]):
        # "Rasmus Barslund Founder & Lead Reviewer": a name, then the role
        head = " ".join(line.split()[:2])
        names = [head] if _name_like(head, rules_) else []
        role_next = role_next or bool(names)
    # evidence it is a person: a known given name, or proper nouns only (no word of
    # it written in lower case on the page) and the place and company a byline keeps
    proper = bool(names) and all(
        page.proper(x.rsplit(" ", 1)[0] if _norm(x).endswith(tuple(_TEAM)) else x) for x in names
    )
    evidence = all(is_person(x) for x in names) or (
        proper and under_title and (bool(dates) or repeated is not None or role_next)
    )
    # "BCBSOK Connect Team" right over or under the date under the headline
    team = len(names) == 1 and _norm(names[0]).endswith(tuple(_TEAM))
    beside_date = any(abs(j - k) == 1 for j in dates)
    if team and beside_date and title_k is not None and 0 < k - title_k <= 3:
        evidence = True
    if names and len(names) <= 3 and evidence:
        page.take(k, "split:byline")
        if repeated is not None:
            page.take(repeated, "split:byline")
        return names
    # An outlet credited alone, named again in the page and never in lower case.
    next_to_date = any(
        j in anchors and anchors[j].meta is not None and not anchors[j].names
        for j in (k - 1, k + 1)
    )
    if (
        next_to_date
        and title_k is not None
        and 0 < k - title_k <= 3
        and len(_words(line)) == 1
        and _name_like(line, rules_, single=True)
        and sum(line in page.text(j) for j in range(n)) >= 2
        and not page.written_lower(line)
        # not one entry of a list of dated items ("March 16, 2026" / "FABCON" /
        # "Atlanta" / "March 16, 2026" / "NVIDIA GTC")
        and not any(j in anchors and anchors[j].meta is not None for j in range(k + 2, k + 5))
    ):
        page.take(k, "split:byline")
        return [line]
    return []


def _all_names(line: str, names: list[str], rules_: Rules) -> bool:
    """Every comma part of a bare byline line is one of ``names``, a credential or a
    role ("Jane Doe, Staff Writer"), so no category or place rides along."""
    for part in line.split(","):
        part = part.strip().removeprefix("and ").strip()
        if part and not (
            any(part in x for x in names) or _is_credential(part) or _is_role(part, rules_)
        ):
            return False
    return True


_BIO_VERB = re.compile(
    r"^(?:is|was|has|had|joined|writes|wrote|covers|leads|loves|explores|works|brings|"
    r"holds|helps|specializes|specialises|graduated|lives|began|started|serves|received)\b"
)
_ABOUT = frozenset(
    ("about the author", "about the authors", "author", "written by", "meet the author")
)


def _before_bio(line: str) -> bool:
    """A line between a bio's name line and the bio: a handle, an "Author" label."""
    return line.startswith("@") or (len(line) < 20 and _norm(line) in _ABOUT)


def _bio_byline(page: Page, lo: int, rules_: Rules) -> list[str]:
    """The author of an "about the author" box: a name alone on its line, the next
    line telling about that person ("Nawaz Dhandala" / "Nawaz is building ...").
    Only the first such box counts, and only a person's name (a known given name
    or proper nouns only), so a comment ("Sharon says") or a teaser is no author."""
    n = len(page.idx)
    texts = page.texts
    # Cheap first: a short line opening on a capital, the next line opening on the
    # same letter (the bio names the person) or being one the loop below steps over.
    starts = [
        k
        for k in range(lo, n - 1)
        if len(texts[k]) <= 90
        and texts[k][:1].isupper()
        and (texts[k + 1][:1] == texts[k][:1] or _before_bio(texts[k + 1]))
    ]
    for k in starts:
        line = texts[k]
        # the bio may follow an "Author" label and a short handle or date line
        # ("Nawaz Dhandala" / "Author" / "@nawazdhandala • Jan 26, 2026" / "Nawaz is")
        j = k + 1
        while j < min(n - 1, k + 3) and _before_bio(texts[j]):
            j += 1
        nxt = page.text(j)
        words = line.split()
        # Cheap first: the bio opens on the name's first word (checked in full below).
        if not nxt.startswith(words[0]) or _BARE_NO.search(line):
            continue
        if len(words) > 4 and is_person(" ".join(words[:2])):
            # "Tim Green UK-based Systems Theorist" / "Tim explores ...": name, role
            line, words = " ".join(words[:2]), words[:2]
        if not 2 <= len(words) <= 4:
            continue
        # A product is named in full ("Proton VPN is ..."), a person by first name
        # too; named in full, only a known given name makes it a person.
        first = words[0]
        if nxt.startswith(line):
            tail, full = nxt[len(line) :].lstrip(" ,"), True
        elif nxt.startswith(first + " "):
            tail, full = nxt[len(first) + 1 :], False
        else:
            continue
        if not _BIO_VERB.match(tail):
            continue
        if not (is_person(line) or (not full and page.proper(line))):
            continue
        names = parse_names(line, rules_)
        if len(names) == 1 and names[0] == line:
            return names
    return []


_COPYRIGHT = re.compile(
    r"^(?:(?:©|\(c\)|copyright)\s?){1,2}(?:\d{4}(?:\s?[-–]\s?\d{4})?,?\s)?(?:by\s)?"
    r"(?P<name>[A-Z][\w.'’-]{1,20}(?:\s[A-Z][\w.'’-]{1,20}){1,2}?)"
    r"(?:\s?[,.]|\s\d{4}|\s(?:all rights|\W)|$)",
    re.I,
)


def _copyright_byline(page: Page, lo: int, rules_: Rules) -> list[str]:
    """The person a personal site's copyright line names: "© 1998-2025 Anil
    Madhavapeddy, all rights reserved". Companies ("Hevy Coach", "Vox Media, LLC")
    are left out by asking for a known given name first."""
    texts = page.texts
    marked = [
        k
        for k in range(lo, len(texts))
        if len(texts[k]) <= 400 and texts[k].startswith(("©", "Copyright", "(c)", "This site is ©"))
    ]
    for k in reversed(marked):
        line = texts[k]
        m = _COPYRIGHT.match(line.removeprefix("This site is "))
        if m is None:
            continue
        name = m["name"].strip(".")
        org = any(w.lower().strip(".") in org_words() for w in name.split())
        if (
            not org
            and not name.isupper()
            and is_person(name)
            and parse_names(name, rules_) == [name]
        ):
            return [name]
    return []


def _site_person(page_title: str, rules_: Rules) -> list[str]:
    """The site part of a page title when it is a person's name: a known given name
    and a surname, no organisation word ("Headline | Pierce Freeman"; not "Headline
    | Myles Katherine Photography" nor "Headline | Kyle Health")."""
    parts = _SITE_SEP.split(page_title)
    if len(parts) < 2:
        return []
    site = parts[-1].strip()
    words = site.split()
    if not 2 <= len(words) <= 3 or site.isupper() or not is_person(site):
        return []
    if any(w.lower().strip(".") in org_words() for w in words):
        return []
    return [site] if parse_names(site, rules_) == [site] else []


def _masthead_person(page: Page, start: int, title_k: int | None, rules_: Rules) -> list[str]:
    """A personal site's masthead: a person's name alone on one of the first lines
    of the page, over the menu ("Eric Ries" over "Login Subscribe"), a known given name
    and a surname with no organisation word. A name right over the headline is a
    teaser's or a menu's, not the site's."""
    for k in range(start, min(len(page.idx), start + 3)):
        if title_k is not None and title_k - 1 <= k:
            break
        line = page.text(k)
        words = line.split()
        if not 2 <= len(words) <= 3 or line.isupper() or not is_person(line):
            continue
        if any(w.lower().strip(".") in org_words() for w in words):
            continue
        if parse_names(line, rules_) == [line]:
            return [line]
    return []


def _is_role(line: str, rules_: Rules) -> bool:
    """A short job-title line under a name ("Trending Editor", "Co-founder of X")."""
    if len(line) > 60:
        return False
    words = _norm(line).split()
    return 0 < len(words) <= 6 and any(
        w in rules_.job_words or w.removesuffix("s") in rules_.job_words for w in words
    )


def _take_known(page: Page, known: Known) -> None:
    """Take out of the body the header lines the pass over the page text found: each
    the first body line that reads the same (header lines near the top only)."""
    n = len(page.idx)
    for line, rule in known.lines:
        want = _norm(line)
        if not want:
            continue
        hi = n if rule == "split:date" else min(n, 40)
        for k in range(hi):
            text = page.text(k)
            # a normalised line is never longer than the line, rarely much shorter
            fits = len(want) <= len(text) <= 2 * len(line) + 10
            if fits and page.norm(k) == want and not page.taken(k):
                page.take(k, rule)
                break


_DATE_LABEL = re.compile(
    r"(?i)^\W{0,3}(?:published|updated|posted|last updated|first published|date|"
    r"(?:page )?last modified|modified|publish(?:ed)? date|originally published)\b"
)


def _caption(line: str) -> dict[str, object] | None:
    """A photo caption with its credit, or a credit alone (a new dict each time: the
    record keeps it)."""
    found = _caption_parts(line)
    return None if found is None else {"text": found[0], "credit": found[1]}


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


@lru_cache(maxsize=1 << 15)
def _heading_shape(line: str) -> int:
    """Whether a line of at most 100 characters is shaped like a subheading: 0 no,
    1 only when alone in its block (it holds a comma), 2 yes. Memoised: each line
    is read in each pass of split and each round of settle."""
    words = _words(line)
    ok = (
        1 <= len(words) <= 12
        and words[-1].lower() not in _FUNCTION_WORDS
        and not line.endswith((*_TERMINAL, "|"))
        and line[:1].isalnum()
        and _ALPHA3.search(line) is not None
        and line[:1].upper() == line[:1]
    )
    return 0 if not ok else 1 if "," in line else 2


def _headings(page: Page, lo: int, hi: int) -> list[str]:
    """Short lines standing alone between paragraphs: subheadings. They stay in the body."""
    out: list[str] = []
    k = lo
    while k < hi:
        if page.taken(k):
            k += 1
            continue
        line = page.text(k)
        shape = _heading_shape(line) if len(line) <= 100 else 0
        if not shape:
            k += 1
            continue
        i = page.idx[k]
        own_block = (i == 0 or not page.lines[i - 1].strip()) and (
            i + 1 >= len(page.lines) or not page.lines[i + 1].strip()
        )
        prev_ends = k == lo or page.taken(k - 1) or page.text(k - 1).endswith(_SENTENCE_END)
        if not ((own_block or shape == 2) and prev_ends):
            k += 1
            continue
        # A heading wrapped over short lines of one block ("Confronting" / "ISIS").
        parts = [line]
        j = k + 1
        if not own_block:
            while (
                j < hi
                and page.idx[j] == page.idx[j - 1] + 1
                and len(_words(page.text(j))) <= 3
                and _title_case(page.text(j))
                and not page.text(j).endswith((*_TERMINAL, "|"))
                and len(_words(" ".join(parts))) < 8
            ):
                parts.append(page.text(j))
                j += 1
        heading = " ".join(parts)
        nxt = page.text(j) if j < len(page.idx) else ""
        if j + 1 < len(page.idx) and page.idx[j + 1] == page.idx[j] + 1 and len(_words(nxt)) < 6:
            nxt = f"{nxt} {page.text(j + 1)}"  # a hard-wrapped first line
        nxt_ok = len(_words(nxt)) >= 6 or (
            j < len(page.idx) and page.idx[j] != page.idx[j - 1] + 1 and len(_words(nxt)) >= 3
        )
        if not own_block and not _title_case(heading):
            nxt_ok = False
        if own_block and not _title_case(heading) and len(_words(nxt)) < 12:
            nxt_ok = False
        if nxt_ok and j < hi:
            out.append(heading)
            k = j
            continue
        k += 1
    return out


class Split(Stage):
    """Title, section, standfirst, byline, dateline, dates, captions, headings and
    sources out of the body into their own fields."""

    name = "split"

    def __init__(self, config: SplitConfig = SplitConfig()) -> None:
        if config.now:
            parse_now(config.now)  # fail early on a bad --now
        self.config = config

    def prepare(self) -> None:
        # the data files and their patterns loaded once, before a pool forks
        rules()
        given_names()
        org_words()

    def apply(self, record: Record) -> Record:
        out = split_record(record, self.config)
        if self.config.settle_rounds and isinstance(record.get("body"), str):
            from newsclean.stages.split.settle import settle

            out = settle(out, self.config, split_record)
        return out
