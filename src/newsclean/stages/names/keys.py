"""Transliteration-insensitive keys for one part of a name.

``fold`` maps the spellings a romanisation scheme lets vary onto one string
(Thabit/Thabet -> ``tabit``, Hussein/Husayn -> ``husain``, Rouhani/Rowhani ->
``ruhani``); ``skeleton`` keeps only the consonant classes, a blocking key that
does not depend on vowels at all. Two parts are the same name when their folded
keys are equal, when the transliteration table (``data/names/translit.tsv``)
puts them in one group, or when their skeletons are equal *and* their folded keys
are close (rapidfuzz ratio at least :data:`RATIO`): the skeleton guard is what
keeps Omar/Amir or Karimi/Karami apart while Mohammed/Muhammad stay together.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

from newsclean.stages.names.lexicon import lexicon

#: Minimum rapidfuzz ``ratio`` (0-100) of two folded keys with one skeleton.
RATIO = 84.0

_SPECIAL = str.maketrans(
    {"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
)
_DROP = re.compile(r"[\s'’‘`ʿʾ\-.]+")
_ABD = re.compile(r"^abd(?:ul|el|al|ol|ur|us|ar|as|ad|an|u|e|o)?(?=[a-z]{3})")


def _one_letter(match: re.Match[str]) -> str:
    """A doubled letter as one: a function rather than the template ``\\1``, which
    ``re.sub`` expands in Python code at several times the cost (fold runs on every
    name part)."""
    return match.group(1)


#: (pattern, replacement, needles): a rule can only match a text that contains one of
#: its needles, and a substring test is far cheaper than ``re.sub`` (fold runs the
#: whole chain on every new name part). The empty needle is in every text.
_RULES: tuple[
    tuple[re.Pattern[str], str | Callable[[re.Match[str]], str], tuple[str, ...]], ...
] = tuple(
    (re.compile(pattern), repl, needles)
    for pattern, repl, needles in (
        (r"sch", "sh", ("sch",)),
        (r"tch", "ch", ("tch",)),
        (r"dzh|dj|zh", "j", ("dj", "zh")),
        (r"kh", "h", ("kh",)),
        # Pashto and Persian -zada/-zadeh: the d is often not written (Akhundzada)
        (r"dz", "z", ("dz",)),
        # Persian writes one letter gh or q (Ghasem/Qasem, Bagher/Baqer)
        (r"gh", "k", ("gh",)),
        (r"ck|q|c(?![eiyh])", "k", ("c", "q")),
        (r"ph", "f", ("ph",)),
        (r"th", "t", ("th",)),
        # dh is written for Arabic dhal, which is also romanised d (Ramadan/Ramadhan) and
        # z (Kadhimi/Kazimi): it keeps a letter of its own that matches either
        (r"dh", "ð", ("dh",)),
        # Persian final -eh is Arabic final -a (Haniyeh/Haniya, Fatemeh/Fatima)
        (r"eh$", "a", ("eh",)),
        (r"x", "ks", ("x",)),
        (r"^ye", "e", ("ye",)),
        (r"^yu", "iu", ("yu",)),
        (r"^ya", "ia", ("ya",)),
        (r"ow(?![aeiouy])", "o", ("ow",)),
        (r"ou|oo", "u", ("ou", "oo")),
        (r"ee", "i", ("ee",)),
        (r"w", "v", ("w",)),
        (r"y", "i", ("y",)),
        (r"ii+", "i", ("ii",)),
        (r"[ae]i", "ai", ("ai", "ei")),
        (r"e", "i", ("e",)),
        (r"o", "u", ("o",)),
        (r"(.)\1+", _one_letter, ("",)),
        (r"(?<=[aiu])h$", "", ("h",)),
    )
)
#: The rules whose pattern is a plain run of letters, replaced by ``str.replace``.
_LITERAL = frozenset(
    p
    for p, repl, _ in _RULES
    if p.pattern.isascii() and p.pattern.isalpha() and isinstance(repl, str)
)
_SKELETON = str.maketrans({"c": "k", "g": "k", "q": "k", "d": "t", "z": "s", "p": "b", "v": "f"})
_VOWELS = re.compile(r"[aeiouh]+")
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The folded key of one name part ("Al-Abbasi" is folded without its article
    by the caller; here "Thabet" -> "tabit")."""
    text = word.lower()
    if text.isascii():
        # no special letter, no accent; ASCII letters alone hold nothing to drop
        if not text.isalpha():
            text = _DROP.sub("", text)
    else:
        text = text.translate(_SPECIAL)
        if not text.isascii():
            text = unicodedata.normalize("NFKD", text)
            text = "".join(c for c in text if not unicodedata.combining(c))
        text = _DROP.sub("", text)
    if text.startswith("abd"):
        text = _ABD.sub("abd", text)
    for pattern, repl, needles in _RULES:
        for needle in needles:
            if needle in text:
                if pattern in _LITERAL:
                    # a plain string: str.replace finds the same non-overlapping
                    # occurrences, left to right, as re.sub, for less
                    text = text.replace(pattern.pattern, repl)  # type: ignore[arg-type]
                else:
                    text = pattern.sub(repl, text)
                break
    return text


@lru_cache(maxsize=65536)
def skeletons(key: str) -> tuple[str, ...]:
    """The skeletons of a key: two when it has the dh of :func:`fold` (read as d or z)."""
    if "ð" not in key:
        return (skeleton(key),)
    return (skeleton(key.replace("ð", "d")), skeleton(key.replace("ð", "z")))


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """Consonant classes of a folded key, doubled letters merged (cached: the
    same keys are compared again and again by the stage and the clustering)."""
    out = _VOWELS.sub("", key).translate(_SKELETON)
    return _DOUBLED.sub(_one_letter, out)


@cache
def _groups() -> dict[str, frozenset[int]]:
    table: dict[str, set[int]] = {}
    for index, group in enumerate(lexicon().translit):
        for spelling in group:
            table.setdefault(fold(spelling), set()).add(index)
    return {key: frozenset(ids) for key, ids in table.items()}


def preload() -> None:
    """Build the table of transliteration groups now (see :func:`.detect.preload`)."""
    _groups()


def groups_of(key: str) -> frozenset[int]:
    """Every transliteration group of a key (Michael is an English and a Russian name)."""
    return _groups().get(key, frozenset())


def in_table(key: str) -> bool:
    """Whether a folded key is a spelling of the transliteration table."""
    return key in _groups()


def _first_class(key: str) -> str:
    return key[:1].translate(_SKELETON)


@lru_cache(maxsize=262144)
def same_part(a: str, b: str) -> str | None:
    """Why two folded parts are one name, or None when they are not."""
    if a == b:
        return "same key"
    if "ð" in a or "ð" in b:
        # dh against d or z: "Ramadhan" is "Ramadan", "Kadhimi" is "Kazimi"
        for letter in "dz":
            how = same_part(a.replace("ð", letter), b.replace("ð", letter))
            if how is not None:
                return how
        return None
    ga, gb = _groups().get(a), _groups().get(b)
    if ga and gb and ga & gb:
        return "transliteration table"
    if ga and gb:
        # two different names of the table: never fuzzy-matched into one
        return None
    if len(a) < 3 or len(b) < 3 or skeleton(a) != skeleton(b):
        return None
    if _first_class(a) != _first_class(b):
        return None
    if a.endswith("i") != b.endswith("i"):
        return None  # Abbas/Abbasi: the nisba rule decides, not spelling likeness
    from rapidfuzz.fuzz import ratio

    score = ratio(a, b)
    return f"similar spelling ({score:.0f})" if score >= RATIO else None


@lru_cache(maxsize=262144)
def nisba(a: str, b: str) -> bool:
    """Whether two surname keys differ only by the Arabic -i nisba ending
    (Abbas/Abbasi); the caller decides whether that is allowed. Cached like
    :func:`same_part`: the stage asks it for every short form and person of a page."""
    if a.endswith("i") and not b.endswith("i"):
        a, b = b, a
    return b.endswith("i") and len(a) >= 3 and same_part(a, b[:-1]) is not None


_WG_SYLLABLE = re.compile(r"^[a-zü']{1,7}$")
_WG_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"ng", "N"),
        (r"^ch'?(?=[iü])", "J"),
        (r"^ch'?", "Z2"),
        (r"^hs", "X"),
        (r"^(?:ts|tz)'?u", "Zi"),
        (r"^(?:ts|tz)'?", "Z"),
        (r"^j", "R"),
        (r"ih$", "i"),
        (r"uN$", "oN"),
        (r"ieh$", "ie"),
        (r"ien$", "ian"),
    )
)
_PINYIN_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"ng", "N"),
        (r"zh|ch", "Z2"),
        (r"[jq]", "J"),
        (r"x", "X"),
        (r"[zc]", "Z"),
        (r"r", "R"),
    )
)
_ASPIRATION = str.maketrans({"p": "b", "t": "d", "k": "g", "'": None})


def looks_wade_giles(parts: list[str]) -> bool:
    """A name with a part in hyphenated short syllables ("Tse-tung", "Chia-pao")."""
    return any(
        "-" in p and all(_WG_SYLLABLE.match(s) for s in p.lower().replace("’", "'").split("-"))
        for p in parts
    )


def sinitic(written: str, wade_giles: bool) -> str | None:
    """A key that Wade–Giles ("Tse-tung", "Hsiao-p'ing") and pinyin ("Zedong",
    "Xiaoping") spellings of a Chinese name share; aspiration marks are ignored
    because news copy drops them. None for a word that cannot be either."""
    low = written.lower().replace("’", "'")
    if wade_giles:
        syllables = low.split("-")
        if not all(_WG_SYLLABLE.match(s) for s in syllables):
            return None
        out = []
        for syllable in syllables:
            for pattern, repl in _WG_RULES:
                syllable = pattern.sub(repl, syllable)
            out.append(syllable.translate(_ASPIRATION))
        return "".join(out)
    if not low.isalpha() or not low.isascii():
        return None
    for pattern, repl in _PINYIN_RULES:
        low = pattern.sub(repl, low)
    return low.translate(_ASPIRATION)
