"""What the prose around a candidate says about it: a person, an organisation or a place.

News prose announces people: a speech verb after or before the name ("X said",
"said X", "according to X", "estime X"), an apposition or relative clause
("X, a businessman", "X, who lost", "X, 54,"), a lower-case office before it
("former president X", "le général X"). Such a *person cue* lets a capitalised
pair count as a name without a known given name.

Organisations, products, buildings and places that look like names are given
away by their head words: a name right next to an organisation or building head
in the same capitalised run ("Avenue X", "X Grand Mosque", "X Group"), a family
or network noun after it ("the X network", "the X family"), a company form
("X Inc", "X & Co") or a product mark ("X®"). Such an *organisation cue* vetoes
the candidate in its article; :mod:`.stage` also vetoes it across the batch.
The head words are in ``data/names/org_heads.txt``, generic heads, never names.
"""

from __future__ import annotations

import re
from functools import cache

from newsclean.stages.names.lexicon import _lines, lexicon

_SPEECH = (
    r"said|says|told|tells|added|adds|explained|wrote|writes|argued|noted|warned|stated|"
    r"asked|insisted|replied|announced|recalled|urged|testified|confirmed|denied|declared|"
    r"acknowledged|conceded|claimed|estime|explique|affirme|ajoute|déclare|souligne|"
    r"dijo|afirmó|declaró|señaló|explicó|aseguró|añadió"
)
#: after a name: a speech verb, an apposition, a relative clause or an age
_AFTER = re.compile(
    rf"(?:\s+(?:{_SPEECH})\b"
    r"|\s+(?:has|had|have)\s+(?:said|told|written|argued)\b"
    r"|\s*,\s*(?:who|whose|whom|qui|que|quien|a|an|the|his|her|one|aged|un|une|le|la|el)\s+[a-zà-ÿ]"
    r"|\s*,\s*\d{1,3}\s*,"
    r"|\s*\(\d{1,3}\))"
)
_RELATIVE = (
    r"father|mother|son|daughter|wife|husband|widow|brother|sister|cousin|uncle|aunt|"
    r"nephew|niece|grandson|granddaughter|predecessor|successor|rival|deputy|ally|"
    r"spokesman|spokeswoman|spokesperson|lawyer|aide|adviser|advisor"
)
#: verbs whose object in news prose is mostly a person
_PERSON_OBJECT = (
    r"succeeded|replaced|defeated|ousted|appointed|named|sacked|dismissed|pardoned|"
    r"toppled|endorsed|interviewed|arrested|detained|married|succède|remplace|sucedió"
)
#: the cues that alone say a word is a person: a speech verb or a relative clause after it
_AFTER_STRONG = re.compile(
    rf"(?:\s+(?:{_SPEECH})\b|\s*,\s*(?:who|whose|qui|que|quien)\s+[a-zà-ÿ]|\s*,\s*\d{{1,3}}\s*,)"
)
#: before a name: a speech verb, "according to", a relation ("whose father X"), an
#: apposition ("his predecessor, X"), a verb whose object is a person
_BEFORE = re.compile(
    # ("That said, X offers" is no speech: no comma between the verb and the name)
    rf"(?:\b(?:{_SPEECH}|according\s+to|selon|según)\s+"
    rf"|\b(?:{_RELATIVE})\s*,?\s*"
    rf"|\b(?:his|her|their)\s+(?:[a-z]+\s+)?[a-z]+,\s*"
    rf"|\b(?:{_PERSON_OBJECT})\s+)$"
)
#: a surname alone announced as a person: "Mr X", "X said", "X, who"
_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|M|Mme|Sr|Sra)\.?\s+$")


def surname_cued(text: str, word: str) -> bool:
    """Whether ``word`` also stands alone in the text as a person: after "Mr"/"Ms", or
    with a speech verb or relative clause after it ("Puigdemont, quien", "Lai said")."""
    if len(word) < 3:
        return False
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before == "-" or after.isalnum() or after == "-") and (
            _HONORIFIC_BEFORE.search(text, max(0, at - 6), at) or _AFTER_STRONG.match(text, end)
        ):
            return True
        at = text.find(word, end)
    return False


@cache
def _role_before() -> re.Pattern[str]:
    """A lower-case office or rank just before the name: "former president X"."""
    roles = sorted((re.escape(r) for r in lexicon().roles), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(roles)})\s+$")


def role_before(text: str, start: int) -> bool:
    """Whether a lower-case office ends just before ``start`` ("le général X")."""
    before = text[max(0, start - 40) : start]
    return before.rstrip()[-1:].islower() and bool(_role_before().search(before))


def person_cue(text: str, start: int, end: int) -> bool:
    """Whether the prose around ``text[start:end]`` announces a person."""
    if _AFTER.match(text, end):
        return True
    return bool(_BEFORE.search(text[max(0, start - 40) : start]))


@cache
def org_heads() -> frozenset[str]:
    """Organisation, building and place head words (lower case)."""
    return frozenset(w.lower() for w in _lines("org_heads.txt"))


_FAMILY = re.compile(
    r"\s+(?:network|family|clan|tribe|dynasty|group|foundation|brothers|company|"
    r"empire|estate|brand|award|prize|trophy|memorial|museum|library|school|university|"
    r"street|avenue|road)\b"
)
_COMPANY = re.compile(
    r"\s*(?:[®™©]|&\s*[A-Z]|,?\s+(?:Inc|Corp|Ltd|LLC|plc|GmbH|AG|SA|Co)\b)"
    # a model number ("X 51", "X 9"), but not an age (", 54")
    r"|[ \t]+\d"
    # what products and companies do
    # (a person who offers or sells something is also said, told or "Mr X" somewhere in
    # the article, which keeps the person: see detect.find_mentions)
    r"|\s+(?:and|&)\s+its\b|\s+(?:offers|provides|sells|costs|features|includes|"
    r"lets\s+you|ships\s+with|runs\s+on)\b"
    # "X lowered their prices": people are he or she, companies it or they
    r"|\s+[a-z]+\s+(?:its|their)\s+(?:prices?|products?|plans?|customers|users|services?)\b"
    # "X is a trusted consulting firm", "X is an open-source framework"
    r"|\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?(?:company|firm|agency|provider|"
    r"platform|tool|framework|service|library|brand|startup|retailer|manufacturer|maker|"
    r"engine|product|chain|business|consultancy|marketplace|website)\b"
    # "X's plans", "a X plan": what a company sells
    r"|(?:['’]s)?\s+(?:plans?|polic(?:y|ies)|apps?|courses?|subscriptions?|products?|"
    r"accounts?|stores?|platform|software|brand|customers|subscribers|services?|"
    r"framework|engine|library|tools?|clusters?|deployments?)\b"
)


def org_cue(text: str, start: int, end: int) -> bool:
    """Whether the prose right after ``text[start:end]`` makes it an organisation,
    family, building or product ("the X network", "X Inc", "X®")."""
    return bool(_FAMILY.match(text, end) or _COMPANY.match(text, end))
