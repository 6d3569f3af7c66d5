"""Person mentions in text, with regexes and the word lists (no model download).

A candidate is a run of capitalised words, with name particles (al-, bin, de),
initials and suffixes, across single spaces or one line break (hard-wrapped
text). The run is cut at words that are never names (``nonperson.txt``:
"Department", "Coalition", "Dialogue", months...), at all-capital acronyms and
at offices (``roles.txt``), which also count as evidence that a person follows.

A kept mention is either *full* (a given name and a surname) or *short* (a
surname alone, maybe after an honorific: "Mr Austin", "al-Droubi"). A full
candidate with no evidence (no office or honorific before it, no particle) is
kept only if none of its words is used in lower case in the same text: this
is what rejects headings such as "Strategic Planning" or "Future Prospects".
A short mention is only a candidate: the stage keeps it when it resolves to one
full name of the article. A lone place word followed by ", <place>" ("Austin,
Texas") is never a mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from newsclean.stages.names.lexicon import Lexicon, lexicon, plain
from newsclean.stages.names.parse import _INITIAL, _SUFFIXES, Name, parse_name


def _upper_class() -> str:
    chars = [chr(c) for c in range(0x41, 0x250) if chr(c).isupper()]
    chars += [chr(c) for c in range(0x1E00, 0x1F00) if chr(c).isupper()]
    return "".join(chars)


_UP = _upper_class()
_ARTICLES = "al|el|as|ash|ad|ar|at|az|an|ul|bin|ibn|bint"
_BOUNDARY = r"(?<![\w'’-])"
_WORD_TAIL = r"[\w]*(?:['’](?!s\b)\w+)*(?:-\w+)*(?:\.(?=[ \t]))?"
_WORD = rf"[{_UP}]{_WORD_TAIL}"
_PREFIXED = rf"(?:{_ARTICLES})-[{_UP}]\w*(?:['’](?!s\b)\w+)*"
_LOWER = r"(?:al|el|bin|ibn|bint|ben|bani|abu|de|del|della|van|von|der|den|da|di|du|dos|le|la)"
_APOS_END = r"(?:['’](?=[ \t]+(?:[" + _UP + r"]|al-|el-)))?"
_SEP = r"(?:[ \t]+|[ \t]*\n[ \t]*(?=\S))"
_TOKEN = rf"(?:{_WORD}|{_PREFIXED}){_APOS_END}"
_MORE = rf"(?:{_SEP}(?:{_TOKEN}|{_LOWER}(?=[ \t]+[{_UP}])))*"
_RUN = re.compile(rf"{_BOUNDARY}{_TOKEN}{_MORE}")
# The same runs when none starts with a lower-case particle ("al-Droubi"): with
# the boundary checked after the first capital, the pattern starts with a
# character class and the regex engine skips ahead to the next capital instead
# of trying every position (about 2.5 times faster on news pages).
_CAPITAL_RUN = re.compile(rf"[{_UP}](?<![\w'’-].){_WORD_TAIL}{_APOS_END}{_MORE}")
# Where a run can start with a particle: a hyphen before a capital (a literal,
# found fast), then the particle at most 4 characters ("bint") before it.
_HYPHEN_CAPITAL = re.compile(rf"-[{_UP}]")
_PARTICLE_START = re.compile(rf"{_BOUNDARY}(?:{_ARTICLES})-[{_UP}]")
_LOCATIVE = re.compile(
    r"\b(?:in|at|from|near|across|outside|throughout|into|around|via|between)\s+$"
)
# compiled once: ``re.split`` with a pattern string looks it up in re's cache each call
_HEAD_END = re.compile(r"[ \-]")
_ABBREV = frozenset({"mr", "mrs", "ms", "dr", "jr", "sr", "st", "gen", "lt", "col", "prof", "capt"})


class Mention(NamedTuple):
    """A candidate mention: ``text[start:end]`` of the source, parsed as ``name``.

    A named tuple rather than a frozen dataclass: one is built for nearly every
    capitalised word of a page, and a tuple is several times cheaper to build."""

    start: int
    end: int
    text: str
    name: Name
    evidence: bool


def _is_stop(word: str, lex: Lexicon) -> bool:
    """A token that can never be part of a name."""
    bare = word.strip("'’.,;:")
    low = bare.lower()
    if low in lex.nonperson:
        return True
    if len(bare) >= 2 and bare.isupper() and low not in _SUFFIXES:
        return True  # acronyms: ISIS, US, HMC
    if "-" in bare:
        pieces = [p for p in low.split("-") if p]
        if pieces and pieces[0] in lex.particles:
            return False
        return any(p in lex.nonperson or p in lex.places for p in pieces) or any(
            q.isupper() and len(q) >= 2 for q in bare.split("-")
        )
    return False


def _segments(run: str, offset: int, lex: Lexicon) -> list[tuple[list[tuple[str, int, int]], bool]]:
    """Cut one run into name segments; each with whether an office or honorific
    introduced it."""
    out: list[tuple[list[tuple[str, int, int]], bool]] = []
    current: list[tuple[str, int, int]] = []
    evidence = False

    def close() -> None:
        nonlocal current
        if current:
            out.append((current, evidence))
        current = []

    kinds = _kinds()
    position = 0
    for word in run.split():
        start = run.index(word, position)
        position = start + len(word)
        end = offset + position
        start += offset
        bare = word.strip("'’.,;:")
        low = bare.lower()
        kind = kinds.get(low)
        if kind == "honorific" and not current:
            current.append((word, start, end))
            evidence = True
            continue
        suffix = current and low in _SUFFIXES
        if kind == "role" and not suffix:
            close()
            evidence = True
            continue
        stop = kind == "stop" or ((bare.isupper() or "-" in bare) and _is_stop(word, lex))
        if stop and not suffix:
            close()
            evidence = False
            continue
        ends_sentence = word.endswith(".") and not (
            _INITIAL.match(word) or low in _ABBREV or low in _SUFFIXES
        )
        if ends_sentence:
            current.append((word[:-1], start, end - 1))
            close()
            evidence = False
            continue
        current.append((word, start, end))
    close()
    return out


@cache
def _kinds() -> dict[str, str]:
    lex = lexicon()
    kinds = dict.fromkeys(lex.nonperson, "stop")
    kinds.update(dict.fromkeys(lex.roles, "role"))
    kinds.update(dict.fromkeys(lex.honorifics, "honorific"))
    return kinds


@cache
def _role_of() -> re.Pattern[str]:
    """An office, "of" and its domain just before a name: "Secretary of Defense Lloyd
    Austin", "Minister of Foreign Affairs X"."""
    roles = "|".join(sorted((re.escape(r.title()) for r in lexicon().roles), key=len)[::-1])
    return re.compile(
        rf"\b(?:{roles})\s+of\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+(?:and\s+|of\s+)?){{1,5}}$"
    )


def _office_before(text: str, start: int) -> bool:
    """Whether an office and its domain end just before ``start``."""
    window = max(0, start - 80)
    # the pattern always has " of ": a plain search for it first skips most names
    return text.find("of", window, start) >= 0 and bool(_role_of().search(text, window, start))


@cache
def _place_after() -> re.Pattern[str]:
    places = "|".join(sorted((re.escape(p.title()) for p in lexicon().places), key=len)[::-1])
    return re.compile(rf"\s*,\s*(?:{places}|D\.C\.)\b")


def preload() -> None:
    """Build the word lists and the patterns made of them now (once, before a pool
    forks, so that each worker does not build its own)."""
    _kinds()
    _role_of()
    _place_after()


def _used_in_lower_case(text: str, word: str) -> bool:
    """Whether ``word`` (lower case) occurs as a whole word in ``text``."""
    if word.isalpha():
        # a set lookup: a scan of the text per name made a line naming n people
        # cost n scans of it (a byline of 20,000 names took 33 s, #19)
        return word in _alpha_words(text)
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalpha() or after.isalpha()):
            return True
        start = text.find(word, start + 1)
    return False


_ALPHA_RUN = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4)
def _alpha_words(text: str) -> frozenset[str]:
    """Every whole word of ``text`` (a maximal run of letters, as ``isalpha``
    has it), as written: one pass over the text for all the names in it."""
    words: set[str] = set()
    for run in _ALPHA_RUN.findall(text):
        if run.isalpha():
            words.add(run)
        else:  # a numeric letter (², Ⅻ) inside: cut there, as isalpha does
            words.update(_split_alpha(run))
    return frozenset(words)


def _split_alpha(run: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    for char in run:
        if char.isalpha():
            current.append(char)
        elif current:
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    return pieces


def _arabic_particle(part: str, lex: Lexicon) -> bool:
    """al-Droubi, Al Abbasi, bin Salman: a particle that only names have."""
    if " " not in part and "-" not in part:
        return False  # one word: no particle before it (most name parts)
    head = _HEAD_END.split(part, maxsplit=1)[0].lower()
    return head != part.lower() and lex.particles.get(head) in ("article", "patronym")


@lru_cache(maxsize=65536)
def _lone_name(group: str) -> tuple[str, Name] | None:
    """A one-word run as a possible short form, before looking at its context.
    Cached: the same capitalised words recur on every page."""
    lex = lexicon()
    word = group.rstrip(".").rstrip("'’")
    low = word.lower()
    if not word or low in lex.skip or low in lex.particles or word.isupper():
        return None
    if "-" in word and _is_stop(word, lex):
        return None
    name = parse_name(word)
    return None if name.surname is None else (word, name)


@dataclass(frozen=True)
class _Segment:
    """One name segment of a run, with what can be decided without the text around it.
    Offsets are relative to the run."""

    start: int
    end: int
    written: str
    name: Name
    #: an office or honorific introduced it
    evidence: bool
    #: it has a particle only names have (al-, bin)
    particled: bool
    #: its given name is in ``given_names.txt``
    known_given: bool
    #: first and last word, lower case, that must not be used as words in the text
    first: str
    last: str


@lru_cache(maxsize=65536)
def _run_segments(group: str) -> tuple[_Segment, ...]:
    """The name segments of one multi-word run, parsed. Cached: a run is a string
    with no context, and names and headings recur across pages."""
    lex = lexicon()
    words = group.split()
    if all(w.strip(".,’'").lower() in lex.skip or w.isupper() for w in words):
        return ()  # "The United States", "Joint Security Cooperation Dialogue"
    out: list[_Segment] = []
    for tokens, evidence in _segments(group, 0, lex):
        # "Lee Friedlander Lee Friedlander": a name written twice in a row is one
        firsts = [t[0].lower() for t in tokens]
        if len(tokens) >= 3 and firsts[0] in firsts[2:]:
            tokens = tokens[: firsts.index(firsts[0], 2)]
        # a lone particle or honorific at the end is not part of the name
        while tokens and tokens[-1][0].lower().strip(".") in lex.particles:
            tokens.pop()
        if not tokens:
            continue
        start, end = tokens[0][1], tokens[-1][2]
        written = group[start:end].rstrip("'’")
        end = start + len(written)
        name = parse_name(written)
        if name.surname is None:
            continue
        particled = known_given = False
        first = last = ""
        if name.full:
            assert name.given is not None
            particled = any(
                _arabic_particle(p.text, lex)
                for p in (name.given, *name.middles, name.surname)
                if p is not None
            )
            first = name.given.text.split()[0].split("-")[0]
            known_given = plain(first) in lex.given_names
            last = name.surname.text.split()[-1]
        segment = _Segment(start, end, written, name, evidence, particled, known_given, first, last)
        out.append(segment)
    return tuple(out)


#: lengths of the particles of _ARTICLES ("al" to "bint")
_PARTICLE_LENGTHS = sorted({len(a) for a in _ARTICLES.split("|")}, reverse=True)


def _particle_starts(text: str) -> list[int]:
    """Where a run starting with a particle may start (:data:`_PARTICLE_START`
    matches there), in order: a particle ends at each hyphen before a capital."""
    out: list[int] = []
    for hyphen in _HYPHEN_CAPITAL.finditer(text):
        end = hyphen.end()
        for length in _PARTICLE_LENGTHS:
            start = hyphen.start() - length
            if start < 0:
                continue
            found = _PARTICLE_START.match(text, start)
            if found is not None and found.end() == end:
                out.append(start)
                break
    return out


def _runs(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_RUN.finditer(text)``, found faster.

    A run that starts at a capital is the same match for :data:`_CAPITAL_RUN`
    (which the regex engine finds fast) as for :data:`_RUN` (which tries every
    position); only runs that start with a particle need :data:`_RUN`, and they
    can only start where :func:`_particle_starts` says. So: the next capital run
    or the next particle start, whichever comes first, from where the last run
    ended, as ``finditer`` goes on."""
    starts = _particle_starts(text)
    if not starts:
        yield from _CAPITAL_RUN.finditer(text)
        return
    at = 0
    nxt = 0
    while True:
        found = _CAPITAL_RUN.search(text, at)
        while nxt < len(starts) and starts[nxt] < at:
            nxt += 1
        if nxt < len(starts) and (found is None or starts[nxt] < found.start()):
            found = _RUN.match(text, starts[nxt])
            nxt += 1
        if found is None:
            return
        yield found
        at = found.end()


def find_mentions(text: str, full_only: bool = False) -> list[Mention]:
    """Every person-name candidate in ``text``, in order; only full names with
    ``full_only`` (what the batch fit needs), which is faster."""
    out: list[Mention] = []
    place_after = _place_after().match
    for run in _runs(text):
        group = run.group()
        if " " not in group and "\n" not in group and "\t" not in group:
            # one word is a short form at most: the fast path of most runs
            if not full_only:
                lone = _lone_name(group)
                if lone is not None:
                    word, name = lone
                    start = run.start()
                    end = start + len(word)
                    if not place_after(text, end):  # Austin, Texas
                        out.append(Mention(start, end, word, name, False))
            continue
        offset = run.start()
        for segment in _run_segments(group):
            name = segment.name
            start, end = offset + segment.start, offset + segment.end
            evidence = segment.evidence
            if name.full:
                particled = segment.particled
                if not (evidence or particled or name.honorific):
                    evidence = _office_before(text, start)
                if not (evidence or particled or name.honorific):
                    if not segment.known_given:
                        continue  # "San Diego", "Hard Copy": no known given name
                    words = (segment.first, segment.last)
                    if any(_used_in_lower_case(text, w.lower()) for w in words):
                        continue  # "Will", "Grace" used as words in this text
                    if _LOCATIVE.search(text, max(0, start - 12), start):
                        continue  # "in Paris Baguette"
            elif full_only:
                continue
            elif name.honorific is None and place_after(text, end):
                continue  # Austin, Texas
            out.append(
                Mention(start, end, segment.written, name, evidence or name.honorific is not None)
            )
    return out
