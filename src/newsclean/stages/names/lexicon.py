"""The word lists of the names stage, read once from ``newsclean/data/names``."""

from __future__ import annotations

import gzip
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    path = resources.files("newsclean").joinpath("data").joinpath("names").joinpath(name)
    text = path.read_text("utf-8")
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@dataclass(frozen=True)
class Lexicon:
    honorifics: frozenset[str]
    roles: frozenset[str]
    particles: dict[str, str]
    nonperson: frozenset[str]
    places: frozenset[str]
    translit: tuple[tuple[str, ...], ...]
    compound_given: dict[str, frozenset[str]]
    #: lower-case words that alone are never a short form of a name
    skip: frozenset[str] = frozenset()
    #: titles followed by a given name when written with one name ("Sheikh Mohamed")
    given_titles: frozenset[str] = frozenset()
    #: given names, lower case without accents (``given_names.txt``)
    given_names: frozenset[str] = frozenset()
    #: the large lexicon (``lexicon.txt.gz``, from names-dataset): given names and surnames
    given_lexicon: frozenset[str] = frozenset()
    surname_lexicon: frozenset[str] = frozenset()
    #: "m" or "f" for given names nine in ten bearers of which are men or women
    gender: dict[str, str] = field(default_factory=dict)


def plain(word: str) -> str:
    """Lower case without accents: how word lists are looked up."""
    if word.isascii():
        return word.lower()  # no accent to take off
    text = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _name_lexicon() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """Given names, surnames and the gender of given names ("m"/"f") of
    ``lexicon.txt.gz`` (see scripts/build_name_lexicon.py)."""
    path = resources.files("newsclean").joinpath("data").joinpath("names")
    raw = gzip.decompress(path.joinpath("lexicon.txt.gz").read_bytes()).decode("utf-8")
    given: list[str] = []
    surnames: list[str] = []
    gender: dict[str, str] = {}
    for line in raw.splitlines():
        name, _, kinds = line.partition("\t")
        if "g" in kinds:
            given.append(name)
            if "m" in kinds or "f" in kinds:
                gender[name] = "m" if "m" in kinds else "f"
        if "s" in kinds:
            surnames.append(name)
    return frozenset(given), frozenset(surnames), gender


@cache
def lexicon() -> Lexicon:
    particles = {}
    for line in _lines("particles.txt"):
        word, kind = line.split()
        particles[word.lower()] = kind
    groups = tuple(tuple(line.split()) for line in _lines("translit.tsv"))
    compound: dict[str, frozenset[str]] = {}
    for line in _lines("compound_given.tsv"):
        heads, seconds = line.split("\t")
        for head in heads.split():
            compound[head] = compound.get(head, frozenset()) | frozenset(seconds.split())
    titles = [line.split() for line in _lines("honorifics.txt")]
    honorifics = frozenset(t[0].lower() for t in titles)
    given_titles = frozenset(t[0].lower() for t in titles if t[1:] == ["given"])
    roles = frozenset(w.lower() for w in _lines("roles.txt"))
    nonperson = frozenset(w.lower() for w in _lines("nonperson.txt"))
    places = frozenset(w.lower() for w in _lines("places.txt"))
    given_lexicon, surname_lexicon, gender = _name_lexicon()
    given_names = frozenset(_lines("given_names.txt"))
    return Lexicon(
        honorifics=honorifics,
        given_titles=given_titles,
        roles=roles,
        particles=particles,
        nonperson=nonperson,
        places=places,
        skip=honorifics | roles | nonperson | places,
        given_names=given_names,
        given_lexicon=given_lexicon | given_names,
        surname_lexicon=surname_lexicon,
        gender=gender,
        translit=groups,
        compound_given=compound,
    )
