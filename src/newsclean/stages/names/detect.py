"""Person mentions in text, with regexes and the word lists (no model download).

A candidate is a run of capitalised words, with name particles (al-, bin, de),
initials and suffixes, across single spaces or one line break after a long line
(hard-wrapped text). The run is cut at words that are never names
(``nonperson.txt``), at all-capital acronyms, at product shapes ("EVs",
"RedCat") and at offices (``roles.txt``), which also count as evidence that a
person follows. A segment next to an organisation or building head
(``org_heads.txt``: "Avenue X", "X Grand Mosque", "X Group") is dropped.

A kept mention is either *full* (a given name and a surname) or *short* (a
surname alone, maybe after a title: "Mr Austin", "al-Droubi", "Sheikh
Mohamed"). A full candidate with an office, title or Arabic particle is a
person. One without them needs a known name (the Faker list or the large
lexicon) and either a cue of the prose (:mod:`.cues`: "said X", "X, who",
"his wife, X"), a surname the text announces alone ("Mr X"), or a well-known
given name none of whose words the text uses in lower case; a pair that only
looks like a name is *weak*: a person only if the batch writes it (or a
spelling of it) as a person elsewhere. A name the text uses once as a company
or product ("X offers", "a X plan") and never as a person is no person in that
text. A short mention is only a candidate: the stage keeps it when it resolves
to one full name of the article. A lone place word followed by ", <place>"
("Austin, Texas") is never a mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from newsclean.stages.names.cues import org_cue, org_heads, person_cue, role_before, surname_cued
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
_THE = re.compile(r"(?<![\w'’])[Tt]he\s+$")
_LOCATIVE = re.compile(
    r"\b(?:in|at|from|near|across|outside|throughout|into|around|via|between)\s+$"
)
# compiled once: ``re.split`` with a pattern string looks it up in re's cache each call
_HEAD_END = re.compile(r"[ \-]")
#: a run that starts with one of these is a place ("San Diego", "Los Alamos")
_PLACE_PREFIX = frozenset({"san", "santa", "santo", "são", "los", "las", "saint", "sainte"})
#: product and brand shapes, never a name: a plural acronym ("EVs") or a capital inside a
#: word after a lower-case letter ("RedCat"), unless it follows a name prefix (McConnell,
#: LeCun, DiMaggio, MacArthur, DeSantis, FitzGerald)
_PRODUCT = re.compile(
    r"^[A-Z]{2,}s$|^(?!Mc|Mac|De|Di|Da|Du|Le|La|Van|Von|Fitz|Del|Des|Dos|Ab)[A-Z][a-z]+[A-Z]"
)
#: two capitals with no vowel, after an office: initials as a given name ("JD")
_INITIALS = re.compile(r"^[B-DF-HJ-NP-TV-Z]{2}$")
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
    #: a full name with no evidence of its own: a person only if the batch writes
    #: it (or a spelling of it) as a person elsewhere
    weak: bool = False


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
    introduced it. A segment right next to an organisation or building head
    ("Avenue X", "X Grand Mosque", "X Group") is part of that name and dropped."""
    out: list[tuple[list[tuple[str, int, int]], bool]] = []
    current: list[tuple[str, int, int]] = []
    evidence = False
    after_head = False  # the word before the current segment was a head

    def close(head: bool = False) -> None:
        nonlocal current, after_head
        if current and not head and not after_head:
            out.append((current, evidence))
        current = []
        after_head = head

    kinds = _kinds()
    position = 0
    previous: str | None = None  # kind of the word before, within the run
    for word in run.split():
        start = run.index(word, position)
        position = start + len(word)
        end = offset + position
        start += offset
        bare = word.strip("'’.,;:")
        low = bare.lower()
        kind = kinds.get(low)
        if current and current[-1][0].lower() in lex.particles:
            kind = None  # "bin Sultan", "Abu Bakr": a name after a particle
        before, previous = previous, kind
        if kind == "honorific" and not current and before not in ("stop", "head"):
            current.append((word, start, end))
            evidence = True
            continue
        suffix = current and low in _SUFFIXES
        if (kind == "role" or (kind == "honorific" and not current)) and not suffix:
            # "Crown Prince X": a title after an office word is part of the office
            close()
            evidence = True
            continue
        if kind == "head" or (before is None and low in _PLACE_PREFIX):
            close(head=True)
            evidence = False
            continue
        initials = (
            evidence and not current and len(bare) == 2 and not kind and _INITIALS.match(bare)
        )
        stop = (
            kind == "stop"
            or ((bare.isupper() or "-" in bare) and not initials and _is_stop(word, lex))
            or _PRODUCT.match(bare) is not None
        )
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
    kinds.update(dict.fromkeys(org_heads(), "head"))
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


#: runs of lower-case letters: a capital or any other character ends one, so "Will" in
#: "Will Smith" is not found, "will" in "it will" is
_WORDS = re.compile(r"[a-zß-öø-ÿıłğşç]+")


@lru_cache(maxsize=16)
def _lower_words(text: str) -> frozenset[str]:
    """The words the text writes in lower case (cached: the stage looks at one text
    several times in a row)."""
    return frozenset(_WORDS.findall(text))


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
    #: its first word is a given name, its last a surname, of the large lexicon
    lexicon_given: bool
    lexicon_surname: bool
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
        # "Partido Popular de Alberto Núñez Feijóo": cut after an organisation word,
        # a lower-case "de" before a whole name belongs to the organisation
        while len(tokens) > 2 and tokens[0][0].islower() and tokens[0][0] in lex.particles:
            tokens = tokens[1:]
        if not tokens:
            continue
        start, end = tokens[0][1], tokens[-1][2]
        written = group[start:end].rstrip("'’")
        end = start + len(written)
        name = parse_name(written)
        if name.surname is None:
            continue
        particled = known_given = lexicon_given = lexicon_surname = False
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
            lexicon_given = plain(first) in lex.given_lexicon
            lexicon_surname = plain(last.split("-")[-1]) in lex.surname_lexicon
        segment = _Segment(
            start,
            end,
            written,
            name,
            evidence,
            particled,
            known_given,
            lexicon_given,
            lexicon_surname,
            first,
            last,
        )
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


def _pieces(text: str, run: re.Match[str]) -> Iterator[tuple[int, str]]:
    """The run, cut at a line break after a short line: a run goes on across a line
    break only in hard-wrapped prose, not after a heading or a list item."""
    group, offset = run.group(), run.start()
    at = 0
    for line in re.finditer(r"[ \t]*\n[ \t]*", group):
        line_start = text.rfind("\n", 0, offset + line.start()) + 1
        if offset + line.start() - line_start < 40:
            yield offset + at, group[at : line.start()]
            at = line.end()
    yield offset + at, group[at:]


def find_mentions(text: str, full_only: bool = False) -> list[Mention]:
    """Every person-name candidate in ``text``, in order; only full names with
    ``full_only`` (what the batch fit needs), which is faster. A name the text
    once uses as an organisation or product ("X offers", "a X plan") and never
    announces as a person is no person anywhere in the text."""
    out: list[Mention] = []
    organisations: set[str] = set()
    place_after = _place_after().match
    for run in _runs(text):
        group = run.group()
        if "\n" in group:
            for offset, piece in _pieces(text, run):
                _add(text, offset, piece, full_only, out, organisations)
        elif " " not in group and "\t" not in group:
            # one word is a short form at most: the fast path of most runs
            if not full_only:
                lone = _lone_name(group)
                if lone is not None:
                    word, name = lone
                    start = run.start()
                    end = start + len(word)
                    if not (place_after(text, end) or org_cue(text, start, end)):
                        out.append(Mention(start, end, word, name, False))  # not "Austin, Texas"
        else:
            _run_mentions(text, run.start(), group, full_only, out, organisations)
    if organisations:
        people = {m.text for m in out if person_cue(text, m.start, m.end)}
        # a person the text also names alone ("Mr X", "X said") stays a person
        gone = {o for o in organisations - people if not surname_cued(text, o.split()[-1])}
        out = [m for m in out if m.text not in gone]
    return out


def _add(
    text: str,
    offset: int,
    group: str,
    full_only: bool,
    out: list[Mention],
    organisations: set[str],
) -> None:
    """The mentions of one piece of a run that crossed a line break, into ``out``."""
    if " " in group or "\t" in group or "\n" in group:
        _run_mentions(text, offset, group, full_only, out, organisations)
    elif not full_only and (lone := _lone_name(group)) is not None:
        word, name = lone
        end = offset + len(word)
        if not (_place_after().match(text, end) or org_cue(text, offset, end)):
            out.append(Mention(offset, end, word, name, False))


def _run_mentions(
    text: str,
    offset: int,
    group: str,
    full_only: bool,
    out: list[Mention],
    organisations: set[str],
) -> None:
    """The mentions of one multi-word run at ``offset``, into ``out``; the names used as
    an organisation go to ``organisations``."""
    for segment in _run_segments(group):
        name = segment.name
        if full_only and not name.full:
            continue
        start, end = offset + segment.start, offset + segment.end
        evidence = segment.evidence
        weak = False
        if name.full:
            if not (evidence or segment.particled or name.honorific):
                evidence = _office_before(text, start) or role_before(text, start)
            if not (evidence or segment.particled or name.honorific):
                verdict = _plain_full(text, start, end, segment)
                if verdict is None:
                    continue
                weak = verdict == "weak"
        elif name.honorific is None and _place_after().match(text, end):
            continue  # Austin, Texas
        if org_cue(text, start, end):
            organisations.add(segment.written)  # "the X network", "X Inc", "a X plan"
            continue
        honorific = name.honorific is not None
        out.append(Mention(start, end, segment.written, name, evidence or honorific, weak))


def _plain_full(text: str, start: int, end: int, segment: _Segment) -> str | None:
    """A full name with no office, honorific or particle: "strong" when the prose
    announces a person or its given name is a well-known one used only as a name in
    this text, "weak" when only its words look like a name (the batch decides),
    None when it is no name."""
    if not (segment.lexicon_given or segment.known_given or segment.lexicon_surname):
        return None  # no word of it is a known name: the common case, decided at once
    if _THE.search(text, max(0, start - 5), start):
        return None  # "the Emerald Aisle", "the Rosetta Stone app": a thing, not a person
    words = _lower_words(text)
    lower = segment.first.lower() in words or segment.last.lower() in words
    # a known given name, or a known surname after a word not used as a word here
    lexical = segment.lexicon_given or segment.known_given or not lower
    if lexical and person_cue(text, start, end):
        return "strong"
    if _LOCATIVE.search(text, max(0, start - 12), start):
        # "in Paris Baguette": a person only if the batch says so elsewhere
        return "weak" if segment.lexicon_given else None
    if segment.known_given and not lower:
        return "strong"
    if (
        lexical
        and not lower
        and (surname_cued(text, segment.last) or surname_cued(text, segment.first))
    ):
        return "strong"  # "Mr Lai", "Puigdemont, que": the article names this person
    if segment.lexicon_given and not lower:
        return "weak"
    return None
