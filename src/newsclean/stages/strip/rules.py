"""strip's rules: boilerplate named explicitly, as data (``data/strip/rules.txt`` and a
user's ``--rules`` files), compiled for fast matching.

The line model reads the shipped rules' verdicts as features; a user's rule overrides
the model. ``key`` is a line as the rules see it; ``Rules.match`` the rule naming it.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from newsclean.errors import NewscleanError
from newsclean.memo import Table

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


def read_rules(paths: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """The rules of a user's files, in order; a file that cannot be read is a
    :class:`RulesError` naming it."""
    triples: list[tuple[str, str, str]] = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise RulesError(f"{path}: cannot read rules: {exc.strerror}") from None
        triples += parse_rules(text, path)
    return triples


@lru_cache(maxsize=16)
def load_rules(extra: tuple[str, ...] = ()) -> Rules:
    """The shipped rules plus the user's files (their rules come first, so they win)."""
    triples = read_rules(extra)
    shipped = resources.files("newsclean").joinpath("data/strip/rules.txt")
    triples += parse_rules(shipped.read_text(encoding="utf-8"), "rules.txt")
    return compile_rules(triples)


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


_ALNUM = re.compile(r"[^\W_]")
