"""Whether two written names are one person, and why.

A false merge is worse than a missed variant, so every rule is a guard:

* both names need a given name: a surname alone ("Austin", "Mr Al Abbasi")
  never makes two names one person (short forms are resolved within one article);
* surnames are the same name (:func:`keys.same_part`), or differ only by the
  -i nisba ending (Abbas/Abbasi), which counts only when the given names have
  the same key or are in one transliteration group;
* given names are the same name: Muammar and Saif al-Islam Gaddafi, Masoud and
  Nechirvan Barzani stay apart;
* middle names are optional, but when both names have them, the shorter list
  must agree with the start of the longer one (an initial agrees with a name of
  that letter): George H. W. Bush is not George W. Bush;
* different suffixes (Jr, III) are different people, and so are a name with Jr
  or Sr and the plain name, which may be the father (Donald Trump Jr.).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsclean.stages.names.aliases import Aliases, normal
from newsclean.stages.names.keys import fold, looks_wade_giles, nisba, same_part, sinitic
from newsclean.stages.names.parse import Name, Part, parse_name
from newsclean.stages.names.registry import Known

_STRONG = ("same key", "transliteration table")


@dataclass(frozen=True)
class Verdict:
    same: bool
    reason: str


def _same(a: Part, b: Part, wade_giles: tuple[bool, bool] = (False, False)) -> str | None:
    """Why two parts are one name: their keys, or Wade–Giles against pinyin when one
    of the names is written in hyphenated syllables (Mao Tse-tung / Mao Zedong)."""
    how = same_part(a.key, b.key)
    if how is None and any(wade_giles) and " " not in a.text + b.text:
        wa, wb = sinitic(a.text, wade_giles[0]), sinitic(b.text, wade_giles[1])
        if wa is not None and wa == wb:
            return "Wade–Giles / pinyin"
    return how


def _wade_giles(name: Name) -> bool:
    parts = [name.given, *name.middles, name.surname]
    return looks_wade_giles([p.text for p in parts if p is not None])


def _part_agrees(a: Part, b: Part) -> str | None:
    if a.initial or b.initial:
        return "initial" if a.text[:1].lower() == b.text[:1].lower() else None
    return _same(a, b)


def _middles(a: Sequence[Part], b: Sequence[Part]) -> str | None:
    """None when compatible, else the first disagreement."""
    for x, y in zip(a, b, strict=False):  # the longer list may go on
        if _part_agrees(x, y) is None:
            return f"middle names differ: {x.text!r} / {y.text!r}"
    return None


def joined_key(name: Name) -> str:
    """Key of everything after the given name written as one word."""
    rest = [*name.middles, name.surname]
    return fold("".join(p.text for p in rest if p is not None and not p.initial))


def _nasab_prefix(short: Name, long: Name) -> bool:
    """Whether ``short`` ends in a patronym ("bin Zayed") and its parts, one by one,
    are the first parts of ``long`` (which goes on with a family name)."""
    if short.surname is None or not short.surname.key.startswith("bin"):
        return False
    parts_short = [p for p in (short.given, *short.middles, short.surname) if p is not None]
    parts_long = [p for p in (long.given, *long.middles, long.surname) if p is not None]
    if len(parts_long) <= len(parts_short):
        return False
    return all(_same(x, y) is not None for x, y in zip(parts_short, parts_long, strict=False))


def compare(a: Name, b: Name) -> Verdict:
    for name in (a, b):
        if not name.full:
            return Verdict(
                False, f"{name.text!r} has no given name: a surname alone never joins two names"
            )
    assert a.given and b.given and a.surname and b.surname
    why: list[str] = []
    wg = (_wade_giles(a), _wade_giles(b))
    surname = _same(a.surname, b.surname, wg)
    by_nisba = False
    if surname is None:
        if joined_key(a) == joined_key(b):
            # Kim Jong Un / Kim Jong-un, bin Abdul Aziz / bin Abdulaziz
            surname = "written apart or joined"
        elif _nasab_prefix(a, b) or _nasab_prefix(b, a):
            # Mohammed bin Zayed / Mohamed bin Zayed Al Nahyan: the family name left out
            surname = "the same chain of names, the family name left out"
        elif not nisba(a.surname.key, b.surname.key):
            return Verdict(False, f"surnames differ: {a.surname.text!r} / {b.surname.text!r}")
        else:
            by_nisba = True
            surname = "nisba ending -i"
    why.append(f"surname {a.surname.text!r} ~ {b.surname.text!r} ({surname})")
    given = _same(a.given, b.given, wg)
    if given is None:
        return Verdict(False, f"given names differ: {a.given.text!r} / {b.given.text!r}")
    if by_nisba and given not in _STRONG:
        return Verdict(
            False,
            f"surnames differ by the nisba ending and the given names only look alike: "
            f"{a.given.text!r} / {b.given.text!r}",
        )
    why.append(f"given {a.given.text!r} ~ {b.given.text!r} ({given})")
    conflict = None if surname == "written apart or joined" else _middles(a.middles, b.middles)
    if conflict:
        return Verdict(False, conflict)
    sa, sb = ((n.suffix or "").strip(".").lower() for n in (a, b))
    if sa and sb and sa != sb:
        return Verdict(False, f"suffixes differ: {a.suffix!r} / {b.suffix!r}")
    if sa != sb and {sa, sb} & {"jr", "sr"}:
        # "Jr" says a father of the same name exists: the plain name may be either
        return Verdict(False, f"only one is Jr/Sr: {a.text!r} / {b.text!r}")
    if a.middles or b.middles:
        why.append("middle names agree or are left out")
    return Verdict(True, "; ".join(why))


def match_names(
    a: str, b: str, aliases: Aliases | None = None, known: Sequence[Known] = ()
) -> Verdict:
    """``names match``: the alias file and the registry first, then :func:`compare`."""
    if aliases is not None:
        if aliases.forbids(a, b):
            return Verdict(False, "the alias file says never merge these two")
        group = aliases.group_of(a)
        if group is not None and group == aliases.group_of(b):
            return Verdict(True, f"the alias file lists both under {aliases.people[group][0]!r}")
    if known:
        owner = {form: person.entity for person in known for form, _ in person.forms}
        ea, eb = owner.get(normal(a)), owner.get(normal(b))
        if ea is not None and ea == eb:
            return Verdict(True, f"the registry has both as entity {ea}")
    return compare(parse_name(normal(a)), parse_name(normal(b)))
