"""``strip``: boilerplate out of plain-text articles, with a reason for every removed line.

The text is cut into units (lines; hard-wrapped paragraphs are re-flowed first), and
each unit gets a verdict:

1. Rules (data files, ``data/strip/rules.txt`` plus the user's ``--rules``) name chrome
   explicitly: "Show More", "A+ A-", cookie banners, share bars, copyright lines.
2. A *section* line ("Comments", "The Latest", "Related Articles") once the article is
   well under way ends it: the rest is comments or teasers for other stories.
3. The article proper is the densest run of prose (a maximum-sum segment over unit
   scores: sentences count for, short link-like lines against). Before it, a run of
   three or more short link-like lines is a menu, and everything above the first menu
   met going up goes with it; the few lines right above the article (kicker, title,
   standfirst, byline, date) stay for ``split``. After it, only date, byline and source
   lines stay (for ``split``); the rest is footer.
4. Batch evidence: a short line that recurs in many articles of the drop is site chrome.

Body text is never removed for being short or unusual alone: inside the article a line
goes only when a rule names it. ``split`` (which runs next) takes title, bylines, dates
and captions out, so strip leaves them in the body.
"""

from __future__ import annotations

import importlib
import itertools
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from newsclean.errors import NewscleanError
from newsclean.memo import Table
from newsclean.record import EXTRACTED_BY, Record, warn
from newsclean.stages.base import BatchStage

# ---------------------------------------------------------------------------- rules

#: Characters trimmed from both ends of a line before it is compared with the rules.
_TRIM = " \t•·*-–—>»›|:.!…,;#~=_/\\\"'“”‘’«"

_UNSEEN = object()
#: What :meth:`Rules._held` finds in a line holding no needle (shared: so frozen).
_NO_NEEDLE = frozenset({""})
_T = TypeVar("_T")

KINDS = ("line", "prefix", "contains", "search", "regex", "section", "section-regex", "teaser")

#: What a :class:`Unit` reads from its line: out, words, key, rule, protected, prose,
#: linky, chromey.
_Features = tuple[str, int, str, str | None, bool, bool, bool, bool]

#: Texts one of which a line must hold for a regex to have a chance to match.
Needles = tuple[str, ...]


@lru_cache(maxsize=1 << 16)
def key(line: str) -> str:
    """A line as the rules see it: NFKC, lower case, spaces folded, ends trimmed (and
    icons before or after the words: "✉️ Reply by email", "Subscribe 📮")."""
    if line.isascii():
        return " ".join(line.lower().split()).strip(_TRIM)
    line = " ".join(unicodedata.normalize("NFKC", line).lower().split()).strip(_TRIM)
    if line and (_icon(line[0]) or _icon(line[-1])):
        start, end = 0, len(line)
        while start < end and (_icon(line[start]) or line[start] in _TRIM):
            start += 1
        while end > start and (_icon(line[end - 1]) or line[end - 1] in _TRIM):
            end -= 1
        line = line[start:end]
    return line


def _icon(c: str) -> bool:
    """An emoji or pictograph (Unicode symbol "So"), or the variation selector after one;
    not ©, ® or ™, which rules name."""
    if c in "©®™":
        return False
    return unicodedata.category(c) == "So" or "\ufe00" <= c <= "\ufe0f"


@dataclass(frozen=True)
class Rules:
    """Compiled rules: set and prefix lookups, a few regexes (picklable)."""

    lines: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    contains: tuple[tuple[str, str], ...] = ()
    #: ``search`` patterns (found anywhere in a line of any length), each with its rule
    #: and needles (see :func:`_needles_of`; ("",) when none is known): most lines hold
    #: none of them, and ``in`` finds that out quicker than the regex engine.
    searches: tuple[tuple[re.Pattern[str], str, Needles], ...] = ()
    regexes: tuple[tuple[re.Pattern[str], str], ...] = ()
    #: The regexes as alternations of named groups (one call per line, not one each),
    #: by the first character of the line: only those that can start with it (a
    #: literal first character) or with anything. Other first characters: ``anywhere``.
    combined: dict[str, re.Pattern[str] | None] = field(default_factory=dict)
    anywhere: re.Pattern[str] | None = None
    sections: dict[str, str] = field(default_factory=dict)
    #: Sections whose heading varies ("More from <name>", "Read more in <blog>").
    section_regexes: tuple[tuple[re.Pattern[str], str], ...] = ()
    #: The section regexes as one alternation of named groups.
    section_combined: re.Pattern[str] | None = None
    #: First characters a line must start with for a section regex to match (None: any).
    section_starts: frozenset[str] | None = None
    teasers: dict[str, str] = field(default_factory=dict)
    vocab: frozenset[str] = frozenset()
    #: Regexes with groups of their own, left out of ``combined`` (see :func:`_alone`).
    grouped: tuple[tuple[re.Pattern[str], str], ...] = ()
    #: Section regexes left out of ``section_combined``, likewise.
    section_alone: tuple[tuple[re.Pattern[str], str], ...] = ()
    #: Regexes that may start with any character and whose every match holds one of a
    #: few texts ("©" in "(?:\\S+ ){0,6}© ?(?:19|20)\\d\\d", see :func:`_needles_of`),
    #: left out of ``combined`` and tried alone on the lines holding one: the costly
    #: ones start with "any few words", which the engine would try on every line.
    #: (index in ``regexes``, regex, needles), in rule order.
    guarded: tuple[tuple[int, re.Pattern[str], Needles], ...] = ()
    #: ``contains`` and ``searches`` by the length of the line, up to _LENGTHS: those
    #: whose needle (or shortest match) is no longer than the line.
    contains_upto: tuple[tuple[tuple[str, str], ...], ...] = ((),)
    searches_upto: tuple[tuple[tuple[re.Pattern[str], str, str, Needles], ...], ...] = ((),)
    #: Every needle of ``contains``, ``searches`` and ``guarded`` in one Aho-Corasick
    #: automaton (None: there are none): a line holding none of them (most lines) is
    #: named by none of those rules, found in one pass instead of one ``in`` per needle.
    needles: Any = field(default=None, compare=False, repr=False)
    #: Some ``search`` rule has no needle (it is tried on every line).
    search_always: bool = False
    # Verdicts already given: menus and footers repeat across the pages of a drop.
    _memo: Table[str, str | None] = field(
        default_factory=lambda: Table(1 << 16, __name__), compare=False, repr=False
    )
    # What :class:`Unit` reads from a short line, by line (see Unit.__init__).
    _units: Table[str, _Features] = field(
        default_factory=lambda: Table(1 << 14, __name__), compare=False, repr=False
    )

    def match(self, k: str) -> str | None:
        """The rule id naming the normalised line ``k`` as boilerplate, or None."""
        memo = self._memo
        # One lookup, not "in" then "[]": another thread (Dask runs tasks in threads)
        # may empty the memo between the two.
        known = memo.get(k, _UNSEEN)
        if known is not _UNSEEN:
            return known  # type: ignore[return-value]
        rule = self._match(k)
        memo.put(k, rule)
        return rule

    def _match(self, k: str) -> str | None:
        rule = self.lines.get(k)
        if rule is not None:
            return rule
        if not k:
            return None
        words = k.count(" ") + 1
        space = k.find(" ")
        prefixes = self.prefixes
        # (most lines start with a word no prefix rule starts with)
        group = prefixes.get((k if space < 0 else k[:space]).rstrip(":,.;!?"))
        if group is not None:
            rule = _prefixed(k, group)
            if rule is not None:
                return rule
        group = prefixes.get("\0" + k[0])
        if group is not None:
            rule = _prefixed(k, group)
            if rule is not None:
                return rule
        # (one pass over the line: the needles it holds, most often none)
        held = self._held(k)
        some = held is None or len(held) > 1
        has = k.__contains__ if held is None else held.__contains__
        if some and words <= 40:
            for needle, rule in self.contains_upto[min(len(k), _LENGTHS)]:
                if has(needle):
                    return rule
        if some or self.search_always:
            rule = self._search(k, has)
            if rule is not None:
                return rule
        combined = self.combined.get(k[0], self.anywhere)
        found = combined.match(k) if combined is not None else None
        earliest = len(self.regexes)  # index of the earliest regex in order that matches
        if found is not None and found.lastgroup is not None:
            earliest = int(found.lastgroup[1:])
        for index, pattern, needles in self.guarded if some else ():
            if index > earliest:
                break
            for needle in needles:
                if has(needle):
                    if pattern.match(k):
                        earliest = index
                    break
            if earliest == index:
                break
        if earliest < len(self.regexes):
            return self.regexes[earliest][1]
        for pattern, rule in self.grouped:
            if pattern.match(k):
                return rule
        for name, fn in _BUILTINS:
            if fn(k):
                return name
        if 2 <= words <= 15 and self.items(k):
            return "nav-items"
        return None

    def search(self, k: str) -> str | None:
        """The ``search`` rule found in the normalised long line ``k`` (a paragraph too
        long for the other rules: a disclaimer, a fundraising appeal), or None."""
        held = self._held(k)
        if held is not None and len(held) == 1 and not self.search_always:
            return None
        return self._search(k, k.__contains__ if held is None else held.__contains__)

    def _held(self, k: str) -> AbstractSet[str] | None:
        """The needles the line ``k`` holds, and "" (which every line holds); None
        when there is no automaton (then ask the line itself)."""
        if self.needles is None:
            return None
        found = self.needles.iter(k)
        first = next(found, None)
        if first is None:
            return _NO_NEEDLE
        return {"", first[1], *(needle for _, needle in found)}

    def _search(self, k: str, has: Callable[[str], bool]) -> str | None:
        """``search`` on a line holding the needles ``has`` says it holds."""
        for pattern, rule, needle, more in self.searches_upto[min(len(k), _LENGTHS)]:
            if has(needle):
                if pattern.search(k):
                    return rule
            elif more:
                for other in more:
                    if has(other):
                        if pattern.search(k):
                            return rule
                        break
        return None

    def section_of(self, k: str) -> str | None:
        """The section the normalised line ``k`` heads ("comments", "teaser"...), or None."""
        section = self.sections.get(k)
        starts = self.section_starts
        if (
            section is None
            and self.section_regexes
            and (starts is None or k[:1] in starts)
            and k.count(" ") < 20
        ):
            found = self.section_combined.match(k) if self.section_combined else None
            if found is not None and found.lastgroup is not None:
                return self.section_regexes[int(found.lastgroup[1:])][1]
            for pattern, rule in self.section_alone:
                if pattern.match(k):
                    return rule
        return section

    def items(self, k: str) -> bool:
        """Is the line a row of chrome items run together ("Home Research Contact Us",
        "Share Links Facebook Twitter LinkedIn")? At least two known items covering
        three quarters of its words."""
        # Separators and icons between the items ("Subscribe 📮 | Feed 📡") are not words.
        vocab = self.vocab
        raw = k.split()
        # Out early (most lines are prose): more words outside the vocabulary than a
        # quarter of all words already fails the test below, whatever else is in the line.
        limit = 0.25 * len(raw)
        misses = 0
        for w in raw:
            if w not in vocab and (w.isalnum() or _ALNUM.search(w) is not None):
                misses += 1
                if misses > limit:
                    return False
        words = [w for w in raw if w.isalnum() or _ALNUM.search(w) is not None]
        n = len(words)
        if n < 2:
            return False
        if len([w for w in words if w in vocab]) < 0.75 * n:
            return False
        # best[i]: (items, words covered) over words[:i]; phrases of up to 5 words.
        best = [(0, 0)] * (n + 1)
        for i in range(1, n + 1):
            items, covered = best[i - 1]
            for size in range(1, min(5, i) + 1):
                if " ".join(words[i - size : i]).strip(_TRIM) in self.lines:
                    prev_items, prev_covered = best[i - size]
                    if prev_covered + size > covered:
                        items, covered = prev_items + 1, prev_covered + size
            best[i] = (items, covered)
        items, covered = best[n]
        return items >= 2 and covered >= 0.75 * n


def _prefixed(k: str, group: Iterable[tuple[str, str]]) -> str | None:
    """The rule of the first prefix in ``group`` the line ``k`` starts with (ending at a
    word's end: "tags" is no prefix of "tagsmith"), or None."""
    for prefix, rule in group:
        if k.startswith(prefix) and (
            len(k) == len(prefix) or not prefix[-1].isalnum() or not k[len(prefix)].isalnum()
        ):
            return rule
    return None


class RulesError(NewscleanError):
    """A malformed rules file."""


def parse_rules(text: str, origin: str) -> list[tuple[str, str, str]]:
    """(kind, rule id, text) triples of a rules file; see ``data/strip/rules.txt``."""
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or parts[0] not in KINDS:
            raise RulesError(
                f"{origin}:{number}: expected 'KIND RULE TEXT' with KIND one of "
                f"{', '.join(KINDS)}, got {raw!r}"
            )
        kind, rule, pattern = parts
        if kind in ("regex", "section-regex", "search"):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise RulesError(f"{origin}:{number}: bad regex: {exc}") from None
        out.append((kind, rule, pattern))
    return out


def compile_rules(triples: Iterable[tuple[str, str, str]]) -> Rules:
    lines: dict[str, str] = {}
    prefixes: dict[str, list[tuple[str, str]]] = {}
    contains: list[tuple[str, str]] = []
    regexes: list[tuple[re.Pattern[str], str]] = []
    sections: dict[str, str] = {}
    section_regexes: list[tuple[re.Pattern[str], str]] = []
    searches: list[tuple[re.Pattern[str], str, Needles]] = []
    teasers: dict[str, str] = {}
    for kind, rule, pattern in triples:
        if kind == "regex":
            regexes.append((re.compile(pattern), rule))
            continue
        if kind == "section-regex":
            section_regexes.append((re.compile(pattern), rule))
            continue
        if kind == "search":
            compiled = re.compile(pattern)
            needles = _needles_of(compiled) or ("",)
            searches.append((compiled, rule, needles))
            continue
        k = key(pattern)
        if not k:
            continue
        if kind == "prefix" and pattern.endswith(":"):
            k += ":"  # "related:" names "Related: ...", not "Related coverage ..."
        if kind == "line":
            lines.setdefault(k, rule)
        elif kind == "prefix":
            # Grouped by first word; a prefix that may end inside its first word ("©",
            # "tags:") is grouped by its first character instead.
            head = k.split(" ", 1)[0]
            whole = " " in k or k[-1].isalnum()
            prefixes.setdefault(head if whole else "\0" + k[0], []).append((k, rule))
        elif kind == "contains":
            contains.append((k, rule))
        elif kind == "section":
            sections.setdefault(k, rule)
        elif kind == "teaser":
            teasers.setdefault(k, rule)
    # Section and teaser lines are boilerplate themselves wherever they stand.
    for table in (sections, teasers):
        for k, rule in table.items():
            lines.setdefault(k, rule)
    vocab = frozenset(w.strip(_TRIM) for k in lines for w in k.split())
    guarded = _guarded(regexes)
    held = {needle for needle, _ in contains}
    for _, _, texts in searches:
        held.update(texts)
    for _, _, texts in guarded:
        held.update(texts)
    held.discard("")
    return Rules(
        lines,
        {c: tuple(sorted(v, key=lambda p: -len(p[0]))) for c, v in prefixes.items()},
        tuple(contains),
        tuple(searches),
        tuple(regexes),
        *_by_first_char(regexes, {i for i, *_ in guarded}),
        sections,
        tuple(section_regexes),
        _combine(section_regexes),
        _first_chars(p for p, _ in section_regexes),
        teasers,
        vocab,
        grouped=tuple((p, rule) for p, rule in regexes if _alone(p)),
        section_alone=tuple((p, rule) for p, rule in section_regexes if _alone(p)),
        guarded=guarded,
        contains_upto=_by_length(contains, [len(needle) for needle, _ in contains]),
        searches_upto=_by_length(
            [(p, rule, needles[0], needles[1:]) for p, rule, needles in searches],
            [max(_min_width(p), min(map(len, needles))) for p, _, needles in searches],
        ),
        needles=_automaton(held),
        search_always=any("" in texts for _, _, texts in searches),
    )


def _automaton(needles: Iterable[str]) -> Any:
    """An Aho-Corasick automaton finding any of ``needles`` (None when there are none)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for needle in sorted(needles):
        automaton.add_word(needle, needle)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


#: Lines longer than this are tried against every ``contains`` and ``search`` rule.
_LENGTHS = 64


def _by_length(entries: Sequence[_T], lengths: Sequence[int]) -> tuple[tuple[_T, ...], ...]:
    """For each length of line up to _LENGTHS, the entries (in order) no longer than it."""
    return tuple(
        tuple(e for e, n in zip(entries, lengths, strict=True) if min(n, _LENGTHS) <= length)
        for length in range(_LENGTHS + 1)
    )


def _first_chars(patterns: Iterable[re.Pattern[str]]) -> frozenset[str] | None:
    """The characters a match of any of ``patterns`` can start with; None when one
    may start with any (see :func:`_first_chars_of`)."""
    chars: set[str] = set()
    for pattern in patterns:
        first = _first_chars_of(pattern)
        if first is None:
            return None
        chars |= first
    return frozenset(chars)


def _by_first_char(
    regexes: Sequence[tuple[re.Pattern[str], str]], guarded: set[int]
) -> tuple[dict[str, re.Pattern[str] | None], re.Pattern[str] | None]:
    """The regexes (less the guarded ones) combined by the first character of the line
    (see Rules.combined); a regex left out of a combination keeps its index as group
    name, so the first one in order that matches still wins."""
    starts = [
        frozenset() if i in guarded else _first_chars_of(p) for i, (p, _) in enumerate(regexes)
    ]
    chars = sorted({c for start in starts if start is not None for c in start})
    keep = [
        (p, rule) if start is None else (_NEVER, rule)
        for (p, rule), start in zip(regexes, starts, strict=True)
    ]
    by_char = {
        char: _combine(
            [
                (p, rule) if start is None or char in start else (_NEVER, rule)
                for (p, rule), start in zip(regexes, starts, strict=True)
            ]
        )
        for char in chars
    }
    return by_char, _combine(keep)


def _guarded(
    regexes: Sequence[tuple[re.Pattern[str], str]],
) -> tuple[tuple[int, re.Pattern[str], Needles], ...]:
    """See Rules.guarded."""
    guarded = []
    for i, (p, _) in enumerate(regexes):
        if _first_chars_of(p) is None and not _alone(p):
            needles = _needles_of(p)
            if needles:
                guarded.append((i, p, needles))
    return tuple(guarded)


def _sre_parser() -> Any:
    """The standard library's regex parser (``re._parser``; ``sre_parse`` before 3.11),
    or None: what a pattern's matches must look like is read from its parse tree."""
    for name in ("re._parser", "sre_parse"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


_PARSER = _sre_parser()


def _parse(pattern: re.Pattern[str]) -> list[tuple[Any, Any]] | None:
    """The parse tree of ``pattern`` (None when it cannot be read or ignores case:
    then nothing is known about its matches)."""
    if _PARSER is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        return list(_PARSER.parse(pattern.pattern, pattern.flags))
    except Exception:  # an unexpected parser: nothing is known
        return None


#: Parse-tree nodes that match without consuming a character (anchors, lookarounds).
_ZERO_WIDTH = frozenset({"AT", "ASSERT", "ASSERT_NOT"})
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
#: A character class with more characters than this counts as "any character".
_MAX_CLASS = 64


def _min_width(pattern: re.Pattern[str]) -> int:
    """The length of the shortest text ``pattern`` matches (0 when unknown)."""
    if _PARSER is None:
        return 0
    try:
        return int(_PARSER.parse(pattern.pattern, pattern.flags).getwidth()[0])
    except Exception:  # an unexpected parser: nothing is known
        return 0


def _first_chars_of(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of ``pattern`` (at the start of a line) can start with;
    None when it may start with any (or may be empty)."""
    tree = _parse(pattern)
    if tree is None:
        return None
    chars, empty = _firsts(tree)
    return None if chars is None or empty else frozenset(chars)


def _op(node: tuple[Any, Any]) -> str:
    return str(getattr(node[0], "name", ""))


def _firsts(items: Iterable[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """(first characters or None for any, can the sequence match the empty string?)"""
    out: set[str] = set()
    for node in items:
        op, arg = _op(node), node[1]
        if op in _ZERO_WIDTH:
            continue
        sub: set[str] | None
        if op == "LITERAL":
            sub, empty = {chr(arg)}, False
        elif op == "IN":
            sub, empty = _class_chars(arg), False
        elif op == "SUBPATTERN":
            sub, empty = _firsts(arg[3]) if not arg[1] & re.IGNORECASE else (None, False)
        elif op == "ATOMIC_GROUP":
            sub, empty = _firsts(arg)
        elif op == "BRANCH":
            sub, empty = set(), False
            for alternative in arg[1]:
                chars, can_be_empty = _firsts(alternative)
                if chars is None:
                    return None, False
                sub |= chars
                empty = empty or can_be_empty
        elif op in _REPEATS:
            sub, empty = _firsts(arg[2])
            empty = empty or arg[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        out |= sub
        if not empty:
            return out, False
    return out, True


def _class_chars(items: Iterable[tuple[Any, Any]]) -> set[str] | None:
    """The characters of ``[...]`` when it lists them (no negation, no ``\\w``...)."""
    chars: set[str] = set()
    for node in items:
        op, arg = _op(node), node[1]
        if op == "LITERAL":
            chars.add(chr(arg))
        elif op == "RANGE" and arg[1] - arg[0] < _MAX_CLASS:
            chars.update(map(chr, range(arg[0], arg[1] + 1)))
        else:
            return None
        if len(chars) > _MAX_CLASS:
            return None
    return chars


def _needles_of(pattern: re.Pattern[str]) -> Needles:
    """Texts one of which every match of ``pattern`` holds ("javascript" in
    "(?:enable|turn on) (?:your )?javascript\\b"; "commission", "compensation" or "kick"
    in "... (?:commission|compensation|kick ?back)"), the cheapest such set to test
    found in its parse tree; () when none is worth testing. Only speed depends on the
    choice: a line without any of them cannot match."""
    tree = _parse(pattern)
    if tree is None:
        return ()
    best = min(_candidates(tree), key=_test_cost, default=())
    return best if _test_cost(best) < _REGEX_COST else ()


#: What running a regex on a line costs, in tests of ``in``.
_REGEX_COST = 10.0


def _test_cost(needles: Needles) -> float:
    """A rough cost of a set of needles per line: one ``in`` for each, and the regex
    on the lines that hold one (short texts of letters, digits and spaces are common;
    "©" or "|" are not)."""
    if not needles:
        return float("inf")
    return len(needles) + _REGEX_COST * min(1.0, sum(map(_held, needles)))


def _held(needle: str) -> float:
    """A guess at the share of lines holding ``needle``."""
    if not needle:
        return 1.0
    rare = not any(c.isalnum() or c == " " for c in needle)
    return 0.25 ** (len(needle) - 1 + 2 * rare)


def _candidates(items: Iterable[tuple[Any, Any]]) -> list[Needles]:
    """Needle sets every match of the sequence ``items`` holds one of."""
    found: list[Needles] = []
    run: list[str] = []
    for node in items:
        op, arg = _op(node), node[1]
        if op == "LITERAL":
            run.append(chr(arg))
            continue
        if run:
            found.append(("".join(run),))
            run = []
        if op == "SUBPATTERN" and not arg[1] & re.IGNORECASE:
            found += _candidates(arg[3])
        elif op == "ATOMIC_GROUP":
            found += _candidates(arg)
        elif op in _REPEATS and arg[0] >= 1:
            found += _candidates(arg[2])
        elif op == "IN":
            chars = _class_chars(arg)
            if chars is not None and len(chars) <= 4:
                found.append(_fewest(chars))
        elif op == "BRANCH":
            # one alternative or another: the union of the best set of each
            best = [min(_candidates(alt), key=_test_cost, default=()) for alt in arg[1]]
            if all(best):
                found.append(_fewest(n for needles in best for n in needles))
    if run:
        found.append(("".join(run),))
    return found


def _fewest(texts: Iterable[str]) -> Needles:
    """The texts less those holding another (a line with "//" has "/")."""
    out: list[str] = []
    for text in sorted(set(texts), key=lambda t: (len(t), t)):
        if not any(o in text for o in out):
            out.append(text)
    return tuple(out)


#: Stands in for a regex left out of a combination (keeps the others' indices).
_NEVER = re.compile("(?!)")


@lru_cache(maxsize=1 << 10)
def _alone(pattern: re.Pattern[str]) -> bool:
    """Is the regex tried on its own, not inside an alternation? So are those with groups
    of their own (the alternation names its groups) and those that cannot be part of a
    larger regex (global flags, "(?i)...")."""
    if pattern.groups:
        return True
    try:
        re.compile(f"(?:{pattern.pattern})|x")
    except re.error:
        return True
    return False


def _combine(regexes: Sequence[tuple[re.Pattern[str], str]]) -> re.Pattern[str] | None:
    parts = [
        f"(?P<r{i}>{p.pattern})"
        for i, (p, _) in enumerate(regexes)
        if p is not _NEVER and not _alone(p)
    ]
    return re.compile("|".join(parts)) if parts else None


@lru_cache(maxsize=16)
def load_rules(extra: tuple[str, ...] = ()) -> Rules:
    """The shipped rules plus the user's files (their rules come first, so they win)."""
    triples: list[tuple[str, str, str]] = []
    for path in extra:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise RulesError(f"{path}: cannot read rules: {exc.strerror}") from None
        triples += parse_rules(text, path)
    shipped = resources.files("newsclean").joinpath("data/strip/rules.txt")
    triples += parse_rules(shipped.read_text(encoding="utf-8"), "rules.txt")
    return compile_rules(triples)


# Built-in rules: small pure functions on the normalised line, registered by name.
_TABLE_CHARS = frozenset("|-–—=+: ")


# "Home / Technique / Improve Your Photography / Beginner's guide": short crumbs (one
# or two words first, at most three between), the page's title last.
_SLASH_CRUMBS = re.compile(
    r"\w[^\s/]*(?: \w[^\s/]*)? / (?:\w[^\s/]*(?: [^\s/]+){0,2} / ){1,5}[^/]{1,150}$"
)


def _breadcrumb(k: str) -> bool:
    if len(k) > 200:
        return False
    if k.count(" / ") >= 2 and _SLASH_CRUMBS.match(k) is not None:
        return True
    if not (">" in k or "»" in k or "›" in k):
        return False
    return k.count(" > ") >= 2 or k.count(" » ") >= 2 or k.count(" › ") >= 2


_CTA_VERBS = ("sign up", "sign-up", "subscribe", "join", "get our", "get the", "enter your")


def _newsletter(k: str) -> bool:
    """A call to sign up for a newsletter."""
    return (
        len(k) <= 140
        and ("newsletter" in k or "mailing list" in k or "inbox" in k)
        and any(verb in k for verb in _CTA_VERBS)
    )


_BUILTINS: tuple[tuple[str, Any], ...] = (
    ("breadcrumb", _breadcrumb),
    ("newsletter", _newsletter),
)


def _is_table_rule(line: str) -> bool:
    """A table separator row: '---|', '—————– |', '|:---|---:|'."""
    return len(line) >= 2 and set(line) <= _TABLE_CHARS and any(c in "-–—=" for c in line)


_ALNUM = re.compile(r"[^\W_]")


def _no_letters(line: str) -> bool:
    return _ALNUM.search(line) is None


# -------------------------------------------------------------------- line features

_FULL_STOP = (".", "!", "?", '."', ".”", '?"', "?”", '!"', "!”")
_SENTENCE_END = (".", "!", "?", "…", '"', "”", "’", "'", ")", ":", ";")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Lines split will take out (bylines, dates, timestamps, sources): strip leaves them.
# Anchored at the start of the line; one alternation, no nested quantifiers.
_PROTECTED = re.compile(
    r"(?:by|written by|words by|reporting by|reported by|story by|posted by)\s+\S"
    r"|\d{1,3}\s+(?:sec|second|min|minute|hour|hr|day|week|month|year)s?\s+ago\b"
    r"|(?:updated|published|posted|last updated|last modified|modified|first published"
    r"|date|dateline)\b"
    r"|(?:sources?|via|credits?|photo|photos|image|images|photograph)\s*:"
    r"|\d{4}-\d{2}-\d{2}\b"
    r"|\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*$"
    r"|" + _MONTH + r"\.?\s+\d{1,2}\b"
    r"|\d{1,2}\s+" + _MONTH + r"\b"
    r"|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+\d",
    re.IGNORECASE,
)
# A date anywhere in a short line ("3 min | May 10, 2024").
_DATE_INSIDE = re.compile(
    r"\b(?:" + _MONTH + r"\.?\s+\d{1,2}\b|\d{1,2}\s+" + _MONTH + r"\b|\d{4}-\d{2}-\d{2}\b)",
    re.IGNORECASE,
)
_DIGITS = frozenset("0123456789")
#: First words (or their first three letters) a protected line can start with.
_PROTECT_TEXT = (
    "by written words reporting reported story posted updated published last modified "
    "first date dateline sources source via credit credits photo photos image images "
    "photograph jan feb mar apr may jun jul aug sep oct nov dec mon tue wed thu fri sat sun"
)
_PROTECT_STARTS = frozenset(_PROTECT_TEXT.split())


def _could_be_protected(text: str) -> bool:
    """A cheap test before _PROTECTED: digits first, or a known first word."""
    if text[0].isdigit():
        return True
    first = text[:16].split(None, 1)[0].lower().rstrip(":,.")
    return first in _PROTECT_STARTS or first[:3] in _PROTECT_STARTS


_FUNCTION_TEXT = (
    "a an the of to in on at by for from with and or but nor as that which who whom whose "
    "is was are were be been being has have had his her its their our your my this these "
    "those than into onto over under about after before between during against through "
    "per via said says told if when while where not no"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())


#: Lines up to this long have their features memoised (longer ones are prose: cheap).
_MEMO_CHARS = 400


class Unit:
    """One line (or re-flowed paragraph) and what strip knows about it."""

    __slots__ = (
        "chromey",
        "gap",
        "key",
        "linky",
        "out",
        "prose",
        "protected",
        "recurring",
        "rule",
        "text",
        "words",
    )

    def __init__(self, text: str, rules: Rules) -> None:
        self.text = text
        self.recurring = False
        self.gap = True
        # What a line is depends on its text alone, and the same lines come back: the
        # rounds of settle re-read the body, and menus and footers recur across a drop.
        features = rules._units.get(text)
        if features is None:
            features = _features(text, rules)
            if len(text) <= _MEMO_CHARS:
                rules._units.put(text, features)
        (
            self.out,
            self.words,
            self.key,
            self.rule,
            self.protected,
            self.prose,
            self.linky,
            self.chromey,
        ) = features


def _features(text: str, rules: Rules) -> _Features:
    """What strip reads from one line, before the layout verdicts."""
    rule: str | None = None
    if text.endswith("|") and not _is_table_rule(text):
        # A broken table's cell ('Military Training |') keeps its text, not the bar;
        # everything below looks at the cell text, so strip(body) sees the same line.
        text = text.rstrip("| \t")
    short = len(text) <= 400
    ascii = text.isascii()
    if ascii:
        # key() without a second split (and its cache: a line met again is in _units)
        parts = text.lower().split()
        words = len(parts)
        full = " ".join(parts).strip(_TRIM)
        k = full if short else ""
    else:
        words = len(text.split())
        k = key(text) if short else ""
    if short:
        if not text:
            rule = "symbols"
        elif text[0] in _TABLE_CHARS and _is_table_rule(text):
            rule = "table-rule"
        elif _ALNUM.search(text) is None:
            rule = "symbols"
        else:
            rule = rules.match(k)
            # A line that could head a section ("More from Melissa", "Read more of
            # our articles..."): not a sentence, which ends in one full stop.
            if (
                rule is None
                and rules.section_regexes
                and text.count(" ") < 20
                and not (text.endswith(".") and not text.endswith(".."))
            ):
                # A varying section heading ("More from Melissa") is chrome anywhere.
                rule = rules.section_of(k)
    elif rules.searches:
        # "search" rules name phrases that give away a paragraph of any length.
        rule = rules.search(full if ascii else key.__wrapped__(text))
    if rule in _BUTTON_RULES and text.endswith(".") and words <= _BUTTON_WORDS:
        rule = None
    ends = text.endswith(_SENTENCE_END)
    protected = False
    if rule is None and words <= 14:
        if ascii and text and not text[0].isdigit():
            # _could_be_protected's first word, from the words already split
            first = parts[0][:16].rstrip(":,.")
            could = first in _PROTECT_STARTS or first[:3] in _PROTECT_STARTS
        else:
            could = bool(text) and _could_be_protected(text)
        protected = (could and _PROTECTED.match(text) is not None) or (
            words <= 8 and not _DIGITS.isdisjoint(text) and _DATE_INSIDE.search(text) is not None
        )
    prose = ends and words >= 6
    linky = not ends and not protected and words <= 6 and len(text) <= 60
    return (text, words, k, rule, protected, prose, linky, linky or rule is not None)


# ------------------------------------------------------------------ units and reflow


def _first_letter(line: str) -> str:
    for c in line[:8]:
        if c.isalnum():
            return c
    return line[:1]


def _continues(prev: str, nxt: str, width: int = 0, raw: str = "") -> bool:
    """Does ``nxt`` carry on the sentence ``prev`` broke off (hard wrap)? ``width``:
    the wrap width, if known; a ``raw`` line that fills it was broken by the wrapper."""
    if prev.endswith((".", "!", "?", ":", ";", "”", '"', "…")):
        return False
    first = _first_letter(nxt)
    if first.islower():
        return True
    if prev.endswith((",", "-", "–", "—", "(")):
        return True
    last = prev[prev.rfind(" ") + 1 :].lower()
    if last in _FUNCTION_WORDS:
        return True
    if width and len(raw) >= 0.85 * width and not _title_case(nxt):
        return True
    return first.isdigit() and not nxt[1:3].startswith((".", ")"))


def _title_case(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 4 and all(
        w[:1].isupper() or w.lower() in _FUNCTION_WORDS for w in words
    )


def hard_wrapped(lines: Sequence[str]) -> bool:
    """Most line breaks fall inside sentences: the text was wrapped at a fixed width."""
    pairs = [(prev, nxt) for prev, nxt in itertools.pairwise(lines) if prev and nxt]
    need = max(3, 0.3 * len(pairs))
    # Out as soon as the answer is known: most texts break lines at paragraph ends.
    wraps = 0
    left = len(pairs)
    for prev, nxt in pairs:
        left -= 1
        wraps += _continues(prev, nxt)
        if wraps >= need:
            return True
        if wraps + left < need:
            return False
    return False


def reflow(lines: Sequence[str]) -> list[str]:
    """Join wrapped lines into paragraphs; join a wrapped title-case heading
    ("Confronting" / "ISIS") that stands between a sentence end and a paragraph."""
    lengths = sorted(len(ln) for ln in lines if ln)
    width = lengths[int(len(lengths) * 0.9)] if len(lengths) >= 10 else 0
    out: list[str] = []
    for i, line in enumerate(lines):
        # The first line is the title: never the start of a wrapped paragraph.
        if (
            line
            and out
            and out[-1]
            and _continues(out[-1], line, width, lines[i - 1] if i > 1 else "")
        ):
            out[-1] += line if out[-1].endswith("-") else " " + line
        else:
            out.append(line)
    merged: list[str] = []
    i = 0
    while i < len(out):
        j = i
        while (
            j < len(out) and out[j] and _title_case(out[j]) and not out[j].endswith(_SENTENCE_END)
        ):
            j += 1
        before_ok = not merged or not merged[-1] or merged[-1].endswith(_SENTENCE_END)
        after_ok = j < len(out) and any(w[:1].islower() for w in out[j].split())
        if j - i >= 2 and j - i <= 3 and before_ok and after_ok:
            merged.append(" ".join(out[i:j]))
            i = j
        else:
            merged.append(out[i])
            i += 1
    return merged


#: Stripped from both ends of a line: every Unicode space, and invisible characters.
_BLANK = (
    "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\u200b\u200c\u200d\u2060\ufeff"
)


def text_lines(text: str) -> list[str]:
    """Stripped lines (re-flowed if the text is hard-wrapped), blank ones as ''; a line
    of spaces or NBSPs is blank."""
    lines = [ln.strip(_BLANK) for ln in text.splitlines()]
    if hard_wrapped(lines):
        lines = reflow(lines)
    return lines


# ----------------------------------------------------------------------- the model


@dataclass(frozen=True)
class StripModel:
    """Batch evidence: hashes of short lines that recur across the drop."""

    articles: int
    recurring: frozenset[int]


_RECUR_CHARS = 200


def line_hashes(lines: Iterable[str]) -> list[int]:
    """A hash of each line, stable across processes (``hash`` of a str is salted).
    Many lines at a time: a call per line of every page costs more than the hash."""
    crc32, adler32 = zlib.crc32, zlib.adler32
    return [(crc32(b) << 32) | adler32(b) for b in map(str.encode, lines)]


# ------------------------------------------------------------------- classification

_RULE_SCORE = -20
_LINK_SCORE = -5


#: Rules naming widgets that stand inside an article (a shop button under each product
#: of a round-up, a photo credit): the line goes, but it is no evidence the article
#: has ended, so it does not cut the run of prose.
_INLINE_RULES = frozenset({"shop", "credit", "call"})
#: Rules naming buttons, whose text is no short sentence with a full stop: "Read our
#: full review." and "Get a free credit report." are the article's sentences, "Read our
#: full review" and "Get a Free Quote!" buttons; a longer pitch ending in a full stop
#: ("Request a free online quote from Slate in under a minute.") is no advice.
_BUTTON_RULES = frozenset({"shop", "call", "promo"})
_BUTTON_WORDS = 8


def _score(u: Unit) -> float:
    if u.rule in _INLINE_RULES:
        return 0
    if u.rule is not None or u.recurring:
        return _RULE_SCORE
    if u.protected:
        return 0
    if u.linky:
        return _LINK_SCORE
    w = min(u.words, 40)
    if u.prose:
        return w - 3
    return w / 2 - 4


def _best_span(scores: Sequence[float]) -> tuple[int, int] | None:
    """[start, end) of the maximum-sum segment (Kadane), None when nothing scores above 0."""
    best = 0.0
    span = None
    run = 0.0
    start = 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, start = s, i
        else:
            run += s
        if run > best:
            best, span = run, (start, i + 1)
    return span


_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


_ROUNDS = 4


def classify(
    text: str, rules: Rules, model: StripModel | None = None, extracted: bool = False
) -> list[Unit]:
    """Every unit of ``text`` with its verdict (``rule`` None means kept).

    The verdicts on the article's layout (where it starts and ends, menus, repeated
    headlines) are taken again on what is left until nothing more goes, so that strip
    run on its own body changes nothing (the units of a body are its paragraphs).

    ``extracted``: the text is a page's main content as an extractor isolated it
    (see :func:`is_extracted`), not a dump of the whole page; the layout verdicts are
    gentler there (see :func:`_layout`).
    """
    units = []
    gap = True
    for line in text_lines(text):
        if line:
            unit = Unit(line, rules)
            unit.gap = gap
            units.append(unit)
        gap = not line
    if model is not None and model.recurring:
        recurring = model.recurring
        short = [u for u in units if len(u.text) <= _RECUR_CHARS and not u.protected]
        for u, h in zip(short, line_hashes([u.text.lower() for u in short]), strict=True):
            if h in recurring:
                u.recurring = u.chromey = True
    live = units
    for _ in range(_ROUNDS):
        if not live:
            break
        _layout(live, rules, extracted)
        kept = [u for u in live if u.rule is None]
        if len(kept) == len(live):
            break
        live = kept
        for u in live:
            u.gap = True  # as in the body, where every paragraph follows a blank line
    return units


_MORE_PROSE = 60


_CARD_STRIDE = 4

#: An excerpt cut off by the site ("... the biggest...", "... keeps forecasts ...").
_ELLIPSES = ("...", "…", "[...]", "[…]")
_EXCERPT_WORDS = 8


def _excerpts(units: list[Unit], end: int) -> None:
    """Teaser cards after the article: two or more headlines, each over an excerpt the
    site cut off with an ellipsis, close together, with little prose after them and more
    prose before (a page that is nothing but such cards is a listing: it stays)."""
    pairs = [
        i
        for i in range(end - 1)
        if units[i].rule is None
        and units[i + 1].rule is None
        and not units[i].text.endswith(".")  # a headline, perhaps a question
        and not units[i].protected
        and 2 <= units[i].words <= 20
        and units[i + 1].words >= _EXCERPT_WORDS
        and units[i + 1].text.endswith(_ELLIPSES)
    ]
    if len(pairs) < 2:
        return
    first = len(pairs) - 1
    while first > 0 and pairs[first] - pairs[first - 1] <= _CARD_STRIDE:
        first -= 1
    if first == len(pairs) - 1:
        return
    lo, hi = pairs[first], pairs[-1] + 2
    after = sum(u.words for u in units[hi:end] if u.prose and u.rule is None)
    before = sum(u.words for u in units[:lo] if u.prose and u.rule is None)
    inside = sum(u.words for u in units[lo:hi] if u.prose)
    if after > _BOX_AFTER or before <= inside:
        return
    for u in units[lo:hi]:
        if u.rule is None and not u.protected:
            u.rule = "cards"


def _cards(units: list[Unit]) -> None:
    """A grid of story cards: each headline printed twice in a row (the image's text,
    then the link), a blurb or date between. Two or more such cards close together are
    a teaser grid: headlines, blurbs and all go. A line printed three times or more
    (an image credit) is no headline."""
    pairs = [
        i
        for i in range(len(units) - 1)
        if units[i].key
        and units[i].key == units[i + 1].key
        and not units[i].prose
        and not units[i].protected
        and 2 <= units[i].words <= 20
        and (i + 2 >= len(units) or units[i + 2].key != units[i].key)
        and (i == 0 or units[i - 1].key != units[i].key)
    ]
    j = 0
    while j < len(pairs):
        k = j
        while k + 1 < len(pairs) and pairs[k + 1] - pairs[k] <= _CARD_STRIDE:
            k += 1
        if k > j:
            stride = pairs[k] - pairs[k - 1]
            for u in units[pairs[j] : min(len(units), pairs[k] + stride)]:
                if u.rule is None:
                    u.rule = "cards"
        j = k + 1


def _layout(units: list[Unit], rules: Rules, extracted: bool = False) -> None:
    """One round of the layout verdicts on ``units``.

    On ``extracted`` text, what lies between two dense stretches of prose and what
    follows the last one is mostly the article's own lists, tables, code and short
    paragraphs (the extractor has already left the page's chrome out): only a run of
    chrome lines at the very end goes as footer, and nothing goes as "between".
    On WCXB dev pages (even ids) this keeps 2 points more of the gold body."""
    if not extracted:
        _cards(units)
    end = _cut_sections(units, rules)
    scores = [_score(u) for u in units[:end]]
    span = _best_span(scores)
    if span is None:
        start, stop = 0, end
    else:
        start, stop = span
        # More of the article above a widget or a table that broke the run of prose:
        # another dense stretch of prose above is kept too; what lies between goes.
        while True:
            above = _best_span(scores[:start])
            if above is None or sum(scores[above[0] : above[1]]) < _MORE_PROSE:
                break
            if not extracted:
                for u in units[above[1] : start]:
                    if u.rule is None and not u.protected:
                        u.rule = "between"
            start = above[0]
        _head(units, start, None if extracted else _HEAD_KEEP)
        if extracted:
            _trailing_chrome(units, stop, end)
        else:
            _tail(units, stop, end)
    for i in range(start, stop):
        u = units[i]
        if u.rule is None and u.recurring and u.words >= 4:
            u.rule = "recurring"
    _teasers(units, rules, start, stop)
    _bios(units, start, end)  # the sentences kept below the article too
    _end_boxes(units, start, end)
    _excerpts(units, end)
    _title_page(units)


# "Jane Doe is a freelance writer and ..." / "Hi, I'm Jane, and I ..." after the article.
_BIO = re.compile(
    r"(?:(?:[Hh]i|[Hh]ello),? )?(?:I['’]m |[Aa]bout )?(?:[A-Z][\w.'’-]*,? ){1,4}"
    r"(?:is|was|has been) (?:a|an|the|our) ",
)
# "Hi, I'm Jane Doe, and I oversee ...": a greeting and a name is a bio whatever follows.
_BIO_GREETING = re.compile(r"(?:[Hh]i|[Hh]ello|[Hh]ey),? (?:I['’]m|I am|my name is) [A-Z]")
_BIO_ROLES = re.compile(
    r"\b(?:writer|editor|journalist|author|reporter|contributor|columnist|co-?founder|founder"
    r"|blogger|specialist|expert|freelancer?|correspondent|strategist|researcher|consultant"
    r"|ceo|marketer)s?\b"
)
# The bio goes on in sentences about the same person ("He's a Google Ads expert ...").
_BIO_GOES_ON = ("He ", "She ", "His ", "Her ", "He’s ", "She’s ", "He's ", "She's ")
_BIO_MORE = 3
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*$")


def _name_line(u: Unit) -> str | None:
    """The first word of a short line that starts with a name ("Angela Kaye Carpenter",
    "Tim Green UK-based Systems Theorist"), or None."""
    if u.rule is not None or u.prose or u.protected or not 2 <= u.words <= 12:
        return None
    words = u.text.split(None, 2)
    if any(w.lower() in _FUNCTION_WORDS or not _NAME_WORD.match(w) for w in words[:2]):
        return None
    return words[0]


def _bio_start(units: Sequence[Unit], i: int) -> bool:
    u = units[i]
    if u.words > 90:
        return False
    text = u.text
    # (the regexes only where they can match: a greeting opens on "H", a bio's verb
    # stands between spaces)
    if text[:1] in "Hh" and _BIO_GREETING.match(text) is not None:
        return True
    if (" is " in text or " was " in text or " been " in text) and _BIO.match(text) is not None:
        return _BIO_ROLES.search(text[:160].lower()) is not None
    # A name line, then a paragraph about that person: "Angela Kaye Carpenter" /
    # "Angela first became a professional writer ..." (the role may be on either line).
    name = _name_line(units[i - 1]) if i and u.prose else None
    if name is None or not u.text.startswith(name + " "):
        return False
    return _BIO_ROLES.search(f"{units[i - 1].text} {u.text[:160]}".lower()) is not None


def _bios(units: list[Unit], start: int, stop: int) -> None:
    """An author's bio in the last part of the article (after 60% of its prose): the
    name line above it and the sentences about the same person after it go too."""
    total = sum(u.words for u in units[start:stop] if u.prose)
    seen = 0
    i = start
    while i < stop:
        u = units[i]
        if u.prose:
            seen += u.words
        if u.rule is not None or seen < 0.6 * total or not _bio_start(units, i):
            i += 1
            continue
        u.rule = "author-bio"
        name = u.text.split(None, 1)[0]
        above = units[i - 1] if i > start else None
        if (
            above is not None
            and _name_line(above) is not None
            and (
                above.text.split(None, 1)[0] == name
                or name in above.text.split()
                or u.text.startswith(above.text)
            )
        ):
            above.rule = "author-bio"
        i += 1
        more = 0
        while i < stop and more < _BIO_MORE and units[i].rule is None and units[i].prose:
            nxt = units[i]
            if not nxt.text.startswith(_BIO_GOES_ON):
                break
            seen += nxt.words
            nxt.rule = "author-bio"
            more += 1
            i += 1


# ------------------------------------------------- boxes after the end of the article

# "By Jane Doe", "Written by: Jane Doe": the author's name, to know their bio again.
_BYLINE_NAME = re.compile(
    r"(?:[Bb]y|BY|[Ww]ritten [Bb]y|[Pp]osted [Bb]y|[Ww]ords [Bb]y):? "
    r"((?:[A-Z][\w'’.-]+ ){1,2}[A-Z][\w'’-]+)"
)
# "About Jane Doe", "Meet the author": the heading of a box about a person or the site.
_BOX_HEAD = re.compile(
    r"(?:About|ABOUT|Meet|MEET) (?:the |The )?([A-Z][\w'’.&-]*(?: [\w'’.&-]+){0,3})$"
)
# A person's name: two or three capitalised words.
_NAME_LINE = re.compile(r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,2}$")
# A box is at most _BOX_UNITS paragraphs of at most _BOX_PROSE words, with at most
# _BOX_AFTER words of prose after it: more is article, not a box.
_BOX_PROSE = 250
_BOX_AFTER = 40
_BOX_UNITS = 4


def _end_boxes(units: list[Unit], start: int, end: int) -> None:
    """A box about the author or the publisher after the article's last paragraph: a
    name line ("Rebecca Norris", maybe a role line "Contributing Writer" under it) or an
    "About X" heading, then a paragraph that starts with or names that person or site.
    It goes when little prose follows it before the end of the article (the box is the
    article's end), so a profile in the middle of an article stays."""
    authors = _byline_authors(units[:end])
    for i in range(max(start + 1, 1), end):
        u = units[i]
        if u.rule is not None or not u.prose:
            continue
        above = units[i - 1]
        if not authors and (above.rule is not None or above.prose):
            continue  # (what _box_head says of a paragraph under a paragraph)
        head = _box_head(units, i, authors)
        if head is None:
            continue
        first = u.text.split(None, 1)[0]
        j = i + 1
        words = u.words
        while j < end and j - i < _BOX_UNITS and units[j].prose:
            nxt = units[j]
            if nxt.rule is None and not (
                nxt.text.startswith(_BIO_GOES_ON) or first in nxt.text[:80].split()
            ):
                break
            words += nxt.words
            j += 1
        after = sum(v.words for v in units[j:end] if v.prose and v.rule is None)
        if words > _BOX_PROSE or after > _BOX_AFTER:
            continue
        for v in units[head:j]:
            if v.rule is None:
                v.rule = "author-bio"
        return


def _byline_authors(units: Sequence[Unit]) -> frozenset[str]:
    """The names in the page's byline lines ("By Jane Doe"): a paragraph opening with
    one of them below the article is that author's bio."""
    names = set()
    for u in units:
        if u.protected:
            found = _BYLINE_NAME.match(u.text)
            if found is not None:
                names.add(found.group(1))
    return frozenset(names)


def _box_head(units: Sequence[Unit], i: int, authors: frozenset[str]) -> int | None:
    """Index of the line that heads a box whose first paragraph is units[i], or None."""
    text = units[i].text
    # The author of the byline, named at the start of a paragraph: "Jane Doe is ...".
    for name in authors:
        if text.startswith(name) and text[len(name) : len(name) + 2] in (
            " (",
            " i",
            " w",
            " h",
            ", ",
        ):
            return i
    for k in (i - 1, i - 2):
        if k < 0:
            break
        above = units[k]
        if above.rule is not None or above.prose:
            break
        if k == i - 2 and not (
            units[i - 1].rule is None and not units[i - 1].prose and units[i - 1].words <= 5
        ):
            break
        found = _BOX_HEAD.match(above.text)
        if found is not None:
            name = found.group(1)
            if name.split()[0] in text[:200]:
                return k
            continue
        # "Brian Stormont, CFP®" over "Brian Stormont is ...": the name less credentials.
        name = above.text.split(",", 1)[0]
        if (
            (_name_line(above) is not None or _NAME_LINE.match(name) is not None)
            and 2 <= len(name.split()) <= 3
            and text.startswith(name)
            and not text[len(name) : len(name) + 1].isalnum()
        ):
            return k
        if (
            k == i - 1
            and above.words <= 3
            and text.startswith(("I'm ", "I’m ", "I am "))
            and above.text in text[:80]
        ):
            return k
    return None


_TEASER_BOX = 12


# "Jane says:" over "August 1, 2020 at 3:45 am": the head of a reader's comment.
_SAYS = re.compile(r"\S+(?: \S+){0,4} (?:says|said|wrote|writes):?$")
#: The ends a line _SAYS matches has: tested first, as most short lines have none.
_SAYS_ENDS = tuple(
    verb + colon for verb in ("says", "said", "wrote", "writes") for colon in ("", ":")
)
_STAMP_TIME = re.compile(r".*\bat \d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?$", re.IGNORECASE)


def _comment_head(units: Sequence[Unit], i: int) -> bool:
    if i + 1 >= len(units) or units[i].words > 6 or _SAYS.match(units[i].text) is None:
        return False
    stamp = units[i + 1]
    return stamp.words <= 8 and _STAMP_TIME.match(stamp.text) is not None


def _cut_sections(units: list[Unit], rules: Rules) -> int:
    """Index where the article ends because a comments or teaser section begins.

    A teaser box ("Related Articles", a few headlines) can also sit inside an article:
    when a good stretch of prose follows its headlines, only the box goes.
    """
    prose = [u.words if u.prose else 0 for u in units]
    total = sum(prose)
    before = 0
    n = len(units)
    for i, u in enumerate(units):
        rule = rules.section_of(u.key) if u.key and u.rule is not None else None
        # (words first: a call per line of prose costs more than the test)
        if (
            rule is None
            and u.rule is None
            and u.words <= 6
            and u.text.endswith(_SAYS_ENDS)
            and _comment_head(units, i)
        ):
            rule = "comments"
        # A teaser heading needs most of the prose above it (its blurbs are prose too);
        # a comments heading does not: readers may write more than the article holds.
        if (
            rule is None
            or before < 80
            or (rule != "comments" and total - before - prose[i] > before)
        ):
            before += prose[i]
            continue
        if rule == "teaser":
            resume = next((j for j in range(i + 1, min(n, i + _TEASER_BOX)) if prose[j]), None)
            if resume is not None and _prose_run(units, resume) >= max(60, before // 4):
                for v in units[i:resume]:
                    if v.rule is None:
                        v.rule = f"teaser-{rule}"
                before += prose[i]
                continue
        for v in units[i:]:
            # A new section inside the swept part ("The Latest" after the comments).
            rule = (rules.section_of(v.key) or rule) if v.key else rule
            v.rule = f"section-{rule}"
        return i
    return n


def _prose_run(units: Sequence[Unit], start: int) -> int:
    """Words of prose from ``start`` up to the next run of three chrome lines."""
    words = chrome = 0
    for u in units[start:]:
        chrome = chrome + 1 if u.chromey else 0
        if chrome >= 3:
            break
        if u.prose:
            words += u.words
    return words


def _menu_runs(units: Sequence[Unit], stop: int) -> list[bool]:
    """Which of units[:stop] belong to a run of three or more chrome lines (a blank
    line ends a run: a headline under a menu is set apart by one)."""
    flags = [False] * stop
    i = 0
    while i < stop:
        if not units[i].chromey:
            i += 1
            continue
        j = i + 1
        while j < stop and units[j].chromey and not (units[j].gap and units[j].words >= 4):
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                flags[k] = True
        i = j
    return flags


_HEAD_KEEP = 5


def _head(units: list[Unit], start: int, keep: int | None = _HEAD_KEEP) -> None:
    """Above the article: keep the few lines right above it (for split), drop menus and
    everything above the first menu met going up. ``keep=None``: no limit on the lines
    kept, only a menu cuts (extracted text: the extractor already left the page's head
    out, and what precedes the densest prose is the article's own opening)."""
    menu = _menu_runs(units, start)
    kept = 0
    cut = -1
    for i in range(start - 1, -1, -1):
        u = units[i]
        if menu[i]:
            cut = i
            break
        if u.rule is None:
            kept += 1
            if keep is not None and kept > keep:
                cut = i
                break
    for i in range(cut + 1):
        u = units[i]
        if u.rule is None:
            u.rule = "menu" if menu[i] else "head"


def _tail(units: list[Unit], stop: int, end: int) -> None:
    """Below the article: dates, bylines and source lines (for split) and sentences stay
    up to the first other line; from there on it is footer."""
    keeping = True
    for i in range(stop, end):
        u = units[i]
        if u.rule is not None:
            continue
        if keeping and (u.protected or (u.words >= 2 and u.text.endswith(_FULL_STOP))):
            continue
        keeping = False
        u.rule = "footer"


def _trailing_chrome(units: list[Unit], stop: int, end: int) -> None:
    """Below the article, in extracted text: the run of chrome lines (rule-named or
    short link-like lines, not dates or bylines) that ends the text is footer. A list
    item ("- ...", as extract writes them) ends the run: the extractor kept the list
    as part of the article."""
    i = end
    while i > stop:
        u = units[i - 1]
        if not u.chromey or u.protected or u.text.startswith("- "):
            break
        i -= 1
    for u in units[i:end]:
        if u.rule is None:
            u.rule = "footer"


_TEASER_LINES = 8


def _teasers(units: list[Unit], rules: Rules, start: int, stop: int) -> None:
    """'Read more' inside the article: it and the headline-like lines after it go."""
    i = start
    while i < stop:
        u = units[i]
        rule = rules.teasers.get(u.key) if u.key else None
        if rule is None:
            i += 1
            continue
        i += 1
        end = min(stop, i + _TEASER_LINES)
        while i < end and not units[i].prose and not units[i].protected:
            if units[i].rule is None:
                units[i].rule = f"teaser-{rule}"
            i += 1


_TOP_WINDOW = 12


def _title_page(units: list[Unit]) -> None:
    """A headline printed twice above the first sentence (the page title "Headline |
    Site", then the h1): the earlier copy goes, with a rule split can read the title from."""
    first = units[0]
    if first.rule in ("head", "menu"):
        first.rule = "title-page"
    _site_name(units, first)
    top: list[Unit] = []
    for u in units:
        if u.prose or len(top) == _TOP_WINDOW:
            break
        if u.rule is None and u.key:
            top.append(u)
    for n, u in enumerate(top):
        heads = {u.key}
        if u is first:
            for sep in _TITLE_SEPARATORS:
                if sep in u.text:
                    heads.add(key(u.text.rsplit(sep, 1)[0]))
                    heads.add(key(u.text.split(sep, 1)[0]))
        if any(v.key in heads for v in top[n + 1 :]):
            u.rule = "title-page" if u is first else "title-repeat"
            if u is first:
                _above_headline(units, heads)


def _above_headline(units: list[Unit], heads: set[str]) -> None:
    """Between the page title and the headline printed again (the h1) lie the site's
    menus, breadcrumbs and banners: they go; dates and bylines stay for split."""
    h1 = next((i for i in range(1, len(units)) if units[i].key in heads), None)
    if h1 is None or any(u.prose for u in units[1:h1]):
        return
    for u in units[1:h1]:
        if u.rule is None and not u.protected:
            u.rule = "head"


_SITE_WORDS = 5


def _site_name(units: list[Unit], first: Unit) -> None:
    """The page title "Headline | Site" names the site when the headline is printed
    again below it: a line that is just the site's name (a logo's text) is chrome."""
    for sep in _TITLE_SEPARATORS:
        if sep not in first.text:
            continue
        before, after = first.text.rsplit(sep, 1)
        lead, rest = first.text.split(sep, 1)
        for head, site in ((key(before), key(after)), (key(rest), key(lead))):
            if not site or head == site or site.count(" ") >= _SITE_WORDS:
                continue
            if not any(u.key == head for u in units[1:]):
                continue
            for u in units[1:]:
                if u.key == site and u.rule is None and not u.protected:
                    u.rule = "site-name"
            return


# ------------------------------------------------------------------------ the stage


def is_extracted(record: Record) -> bool:
    """Is the record's text the main content an extractor isolated from a page (so
    strip's layout verdicts are gentler)? ``extract`` says so in ``provenance``, which
    the settle rounds carry over to the fresh records they clean again."""
    provenance = record.get("provenance")
    return isinstance(provenance, dict) and provenance.get("text") == EXTRACTED_BY


@dataclass(frozen=True)
class StripConfig:
    """Options of ``strip``.

    rules: extra rule files (same format as ``data/strip/rules.txt``), tried first.
    min_batch: fewest articles for batch evidence (recurring lines) to be used.
    recur_min: a line is recurring chrome when it is in at least this many articles...
    recur_share: ...and in at least this share of the batch.
    """

    rules: tuple[str, ...] = ()
    min_batch: int = 20
    recur_min: int = 5
    recur_share: float = 0.02


class Strip(BatchStage):
    """Boilerplate out of ``text`` into ``body``; every removed line into ``removed``."""

    name = "strip"

    def __init__(self, config: StripConfig | None = None) -> None:
        self.config = config or StripConfig()

    @property
    def rules(self) -> Rules:
        return load_rules(self.config.rules)

    def prepare(self) -> None:
        # the rules compiled once, before a pool forks, not once per worker
        load_rules(self.config.rules)

    def map(self, record: Record) -> list[int]:
        text = record.get("text")
        if not isinstance(text, str):
            return []
        # Raw lines, lower-cased: cheaper than key() and re-flow, and chrome repeats verbatim.
        lines = (ln.strip(_BLANK) for ln in text.splitlines())
        return sorted(set(line_hashes([ln.lower() for ln in lines if 0 < len(ln) <= _RECUR_CHARS])))

    def reduce(self, parts: Iterable[list[int]]) -> StripModel | None:
        counts: Counter[int] = Counter()
        n = 0
        for part in parts:
            n += 1
            counts.update(part)
        if n < self.config.min_batch:
            return None
        least = max(self.config.recur_min, self.config.recur_share * n)
        return StripModel(n, frozenset(h for h, c in counts.items() if c >= least))

    def apply(self, record: Record, model: Any = None) -> Record:
        text = record.get("text")
        if not isinstance(text, str):
            if isinstance(record.get("html"), str):
                return warn(record, "strip: no text, only html (run extract first); left as is")
            return warn(record, "strip: no text; left as is")
        units = classify(text, self.rules, model, is_extracted(record))
        out = dict(record)
        out["body"] = "\n\n".join(u.out for u in units if u.rule is None)
        out["removed"] = [
            *(record.get("removed") or []),
            *({"text": u.text, "rule": u.rule} for u in units if u.rule is not None),
        ]
        if not out["body"] and units:
            out = warn(out, "strip: every line was boilerplate; body is empty")
        return out


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def explain(record: Record, stage: Strip, model: StripModel | None = None) -> str:
    """Each line of one article with its verdict and rule, for a person to read."""
    text = record.get("text")
    head = f"# strip --explain {record.get('id')}"
    if not isinstance(text, str):
        return f"{head}\n(no text: nothing to strip)\n"
    units = classify(text, stage.rules, model, is_extracted(record))
    rows = [head, "# verdict  rule                 line"]
    for u in units:
        if u.rule is None:
            note = f"   [was: {_cut(u.text, 60)}]" if u.out != u.text else ""
            rows.append(f"  keep     {'':20} {_cut(u.out, 150)}{note}")
        else:
            rows.append(f"  DROP     {u.rule:20} {_cut(u.text, 150)}")
    kept = sum(u.rule is None for u in units)
    rows.append(f"# {kept} kept, {len(units) - kept} removed")
    return "\n".join(rows) + "\n"
