"""Short forms within one article: "Mr Al Abbasi", "al-Droubi", "Sheikh Mohamed".

A short form stands only for a person the article writes in full: a surname
alone (maybe after "Mr", "Dr", "Col") for the one person of the article with
that surname, a royal or religious title with one name ("Sheikh Mohamed",
"Sir Keir", "King Salman": ``given`` in ``honorifics.txt``) for the one person
with that given name. Several candidates, or none: unresolved, never a guess;
a surname alone never joins two people. The one exception is a royal title with
a name that no full name of the article explains ("King Salman"): it is a person
of its own, the same for every article that writes that title and name.
"""

from __future__ import annotations

import hashlib
import re

from newsclean.stages.names.aliases import normal
from newsclean.stages.names.cluster import Model, Person
from newsclean.stages.names.detect import Mention
from newsclean.stages.names.keys import in_table, nisba, same_part, skeletons
from newsclean.stages.names.lexicon import lexicon, plain
from newsclean.stages.names.parse import Name

#: (surname key, given key, person) of the full names an article writes
People = list[tuple[str, str, Person]]
#: titles that name a person of their own with one name
_ROYAL = frozenset({"king", "queen", "prince", "princess", "sheikh", "shaikh"})
_ROYAL_TITLE = re.compile(r"\b(?:King|Queen|Prince|Princess|Sheikh|Shaikh)\s+[A-Z]")


def royal_title(text: str) -> bool:
    """Whether the text may name someone by a royal title alone (a quick test)."""
    return _ROYAL_TITLE.search(text) is not None


_PINYIN = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|"
    r"ia|ie|iu|ua|uo|ue|ui|a|e|i|o|u)"
)
_WADE_GILES = re.compile(r"[A-Z][a-z']{1,5}(?:-[a-z']{1,5})+")


def surname_first(name: Name) -> bool:
    """A Chinese name written family name first: one syllable, then a given name in
    pinyin syllables ("Wang Yi", "Xi Jinping") or hyphenated ("Lai Ching-te")."""
    if name.given is None or name.surname is None or name.middles:
        return False
    family, given = name.given.text, name.surname.text
    if _WADE_GILES.fullmatch(given):
        return family.isascii() and family.isalpha() and len(family) <= 6
    if not (family.isascii() and _PINYIN.fullmatch(family.lower())):
        return False
    low = given.lower()
    return given.isalpha() and low.isascii() and _syllables(low) in (1, 2)


def _syllables(word: str) -> int:
    """How many pinyin syllables ``word`` splits into (0: it does not), longest first."""
    count, at = 0, 0
    while at < len(word):
        found = _PINYIN.match(word, at)
        if found is None or found.end() == at:
            return 0
        # prefer a split that leaves a syllable start: "jinping" -> jin + ping
        end = found.end()
        while end > at + 1 and end < len(word) and _PINYIN.match(word, end) is None:
            end -= 1
        count, at = count + 1, end
    return count


def article_people(mentions: list[Mention], model: Model) -> People:
    """Every person the article writes in full, in a fixed order; a Chinese name
    written family name first also under its first part ("Mr Wang" for Wang Yi)."""
    out: dict[tuple[str, str, str], Person] = {}
    for m in mentions:
        name = m.name
        entity = model.forms.get(normal(m.text)) if name.full else None
        if entity is not None and name.surname is not None and name.given is not None:
            out[(name.surname.key, name.given.key, entity)] = model.people[entity]
            if surname_first(name):
                out[(name.given.key, name.surname.key, entity)] = model.people[entity]
    return [(s, g, person) for (s, g, _), person in sorted(out.items())]


def resolve(
    mention: Mention, model: Model, people: People, memo: dict[str, Person | None]
) -> Person | None:
    """The person a mention names: a full name by its form, a short form by the one
    person of the article it fits (``memo`` keeps the answers of this article)."""
    name = mention.name
    if name.full:
        entity = model.forms.get(normal(mention.text))
        return model.people[entity] if entity else None
    surname = name.surname
    if surname is None:
        return None
    title = name.honorific.key if name.honorific is not None else None
    if title is not None and title in lexicon().given_titles:
        key = "g:" + surname.key
        if key not in memo:
            found = _one(surname.key, [(g, p) for _, g, p in people], given=True)
            memo[key] = found if found or title not in _ROYAL else _titled(mention)
        return memo[key]
    if not people:
        return None  # most pages write no full name a short form could stand for
    if title is None:
        low = surname.text.lower()
        lex = lexicon()
        if low in lex.places or low in lex.nonperson:
            return None  # "Washington" alone is the city, even next to Denzel Washington
    memo_key = f"{title or ''}:{surname.key}"
    if memo_key not in memo:
        candidates = [(s, p) for s, _, p in people]
        memo[memo_key] = _one(surname.key, candidates, given=False, sex=_SEX.get(title or ""))
    return memo[memo_key]


_SEX = {"mr": "m", "m": "m", "sr": "m", "ms": "f", "mrs": "f", "miss": "f", "mme": "f"}


def _one(
    key: str, people: list[tuple[str, Person]], given: bool, sex: str | None = None
) -> Person | None:
    """The one person whose surname (or given name) key matches ``key``; with ``sex``
    (from "Mr" or "Ms"), the one of that sex when relatives share the surname."""
    # First a cheap necessary condition of same_part or nisba: every way they
    # match keeps the consonant skeleton (the nisba -i is a vowel, so it does
    # not change it) unless both keys, or both without a final -i, are in the
    # transliteration table. Most capitalised words of a page fail it, which
    # spares the pairwise checks.
    shapes = set(skeletons(key))
    tabled = in_table(key) or in_table(key[:-1])
    matches = {
        p.entity: p
        for k, p in people
        if (not shapes.isdisjoint(skeletons(k)) or (tabled and (in_table(k) or in_table(k[:-1]))))
        and (_same_spelling(k, key) or (not given and nisba(k, key)))
    }
    if len(matches) > 1 and sex is not None:
        gender = lexicon().gender
        matches = {
            e: p
            for e, p in matches.items()
            if (gender.get(plain(p.given.split()[0])) or gender.get(plain(p.surname))) == sex
        }
    # none, or several people with that name: unresolved
    return next(iter(matches.values())) if len(matches) == 1 else None


def _same_spelling(a: str, b: str) -> bool:
    """One name by key or by the transliteration table; a short form is not matched by
    spelling likeness alone ("Musée" is not Mosse, "Doug" not Doig)."""
    how = same_part(a, b)
    return how is not None and not how.startswith("similar")


def _titled(mention: Mention) -> Person:
    """A royal title and one name that no full name of the article explains."""
    name = mention.name
    assert name.honorific is not None and name.surname is not None
    key = f"{name.honorific.key} {name.surname.key}"
    entity = "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:11]
    written = name.surname.text
    return Person(entity, mention.text, written, written, ((mention.text, 0),), ("royal title",))
