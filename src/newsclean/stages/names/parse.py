"""A written person name into its parts: given name, middles, surname, suffix.

"Lloyd J. Austin III" -> given Lloyd, middle J. (initial), surname Austin,
suffix III. "Thabet Muhammad al-Abbasi" -> given Thabet, middle Muhammad,
surname al-Abbasi (key ``abasi``: the article al- is not part of the key).
Particles come from ``data/names/particles.txt``: an article (al-, el-) is left
out of the key, a patronym (bin, ibn) and a nobiliary particle (de, van) stay
in it, a compound (Abu, Abd, Abdul) is joined to the next word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsclean.stages.names.keys import fold
from newsclean.stages.names.lexicon import Lexicon, lexicon

_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "2nd", "3rd", "4th"})
_INITIAL = re.compile(r"^(?:[^\W\d_]\.)+$|^[^\W\d_]$")
_APOS = "'’‘`ʿʾ"


@dataclass(frozen=True)
class Part:
    """One part as written (``text``, offsets in the name string) and its key."""

    text: str
    key: str
    start: int
    end: int
    initial: bool = False


@dataclass(frozen=True)
class Name:
    """A parsed name. ``given`` is None for a short form (a surname alone)."""

    text: str
    honorific: Part | None
    given: Part | None
    middles: tuple[Part, ...]
    surname: Part | None
    suffix: str | None

    @property
    def full(self) -> bool:
        return self.given is not None and not self.given.initial and self.surname is not None


def _bare(word: str) -> str:
    return word.strip(_APOS + ".,;:")


def _key_of(particle: str, kind: str, word: str) -> str:
    if kind == "article":
        return fold(word)
    if kind == "patronym":
        return "bin" + fold(word)
    return fold(particle + word)


def _compound_given(parts: list[Part], text: str, lex: Lexicon) -> list[Part]:
    """Join a Persian compound given name (Mohammad Reza, Mohammad-Javad) into one part,
    with one key however it is written."""
    if not parts or parts[0].initial:
        return parts
    first = parts[0]
    head, _, second = first.text.partition("-")
    # (a one-part name is a surname: "Amir-Abdollahian" alone keeps its plain key)
    if second and len(parts) >= 2 and second.lower() in lex.compound_given.get(head.lower(), ()):
        key = _HEAD_KEY.get(head.lower(), fold(head)) + fold(second)
        return [Part(first.text, key, first.start, first.end), *parts[1:]]
    if len(parts) >= 3 and not parts[1].initial:
        seconds = lex.compound_given.get(first.text.lower(), frozenset())
        if parts[1].text.lower() in seconds:
            key = _HEAD_KEY.get(first.text.lower(), first.key) + parts[1].key
            joined = Part(text[first.start : parts[1].end], key, first.start, parts[1].end)
            return [joined, *parts[2:]]
    return parts


_HEAD_KEY = {"mohammad": "muhamad", "mohammed": "muhamad", "muhammad": "muhamad"}
_HEAD_KEY["mohamad"] = "muhamad"
_HEAD_KEY.update({"seyed": "saiid", "seyyed": "saiid", "sayyid": "saiid"})


@lru_cache(maxsize=65536)
def parse_name(text: str) -> Name:
    """Parse one written name (titles allowed in front: "Defence Minister Thabit Al-Abbas")."""
    lex = lexicon()
    # the runs of non-space characters (``\S+``) and where they stand
    tokens = []
    at = 0
    for raw in text.split():
        at = text.index(raw, at)
        tokens.append((raw, at, at + len(raw)))
        at += len(raw)
    honorific: Part | None = None
    i = 0
    # offices and courtesy titles in front are not part of the name
    while i < len(tokens) - 1:
        word = _bare(tokens[i][0]).lower()
        if word in lex.honorifics:
            honorific = Part(tokens[i][0], word, tokens[i][1], tokens[i][2])
        elif not (word in lex.roles or word == "of" or word in lex.nonperson):
            break
        i += 1
    parts: list[Part] = []
    suffix: str | None = None
    while i < len(tokens):
        raw, start, end = tokens[i]
        word = _bare(raw)
        low = word.lower()
        if parts and low in _SUFFIXES:
            suffix = raw.rstrip(",;:")
            i += 1
            continue
        cut = raw.rstrip(",;:")
        # (an initial is one letter, or letters each with a full stop: "J.", "J.R.")
        if (
            (len(cut) == 1 or (cut[-1:] == "." and len(cut) % 2 == 0))
            and _INITIAL.match(cut)
            and low not in lex.particles
        ):
            parts.append(Part(cut, low[:1], start, end, initial=True))
            i += 1
            continue
        head, sep, rest = word.partition("-")
        kind = lex.particles.get(head.lower()) if sep and rest else None
        if kind in ("article", "patronym", "compound") and rest:
            # al-Abbasi, bin-Laden, Abdul-Mahdi written as one token
            parts.append(Part(word, _key_of(head, kind or "", rest), start, start + len(word)))
            i += 1
            continue
        kind = lex.particles.get(low)
        # a lone particle joins the next word; "Al" first in a name with no
        # honorific is the given name Al (Al Gore), not the article
        leading_al = kind == "article" and not parts and honorific is None and word[0].isupper()
        if kind and i + 1 < len(tokens) and not leading_al:
            nraw, _, nend = tokens[i + 1]
            nword = _bare(nraw)
            nhead, nsep, nrest = nword.partition("-")
            if kind == "compound" and nsep and lex.particles.get(nhead.lower()) == "article":
                nword = nrest  # Abd al-Rahman
            key = _key_of(low, kind, nword)
            written = text[start:nend].rstrip(_APOS + ".,;:")
            parts.append(Part(written, key, start, start + len(written)))
            i += 2
            continue
        offset = start + max(raw.find(word), 0)
        parts.append(Part(word, fold(word), offset, offset + len(word)))
        i += 1
    parts = _compound_given(parts, text, lex)
    given = parts[0] if len(parts) >= 2 else None
    surname = parts[-1] if parts and not parts[-1].initial else None
    middles = tuple(parts[1:-1]) if len(parts) >= 2 else ()
    return Name(text, honorific, given, middles, surname, suffix)
