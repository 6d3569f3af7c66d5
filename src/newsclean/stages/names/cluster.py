"""The batch's distinct full names into people (the reduce of the names stage).

Only full names (a given name and a surname) are clustered; short forms are
resolved later, within their article. Names are compared only inside a block
(same surname skeleton, or same transliteration group), so the work grows with
the number of distinct names, not of articles. Merging is *complete linkage*:
two clusters join only if every pair across them is one person by
:func:`match.compare`, which keeps a chain of look-alikes (A~B, B~C, A≁C) from
gluing different people together. Alias-file and registry members are trusted:
they join what they declare and never veto; a ``never`` pair always vetoes.
A person's canonical spelling is its most written full form (title left out;
ties in code-point order), so it is always a spelling of the input and never
depends on the order of the input files.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsclean.stages.names.aliases import Aliases
from newsclean.stages.names.keys import groups_of, looks_wade_giles, sinitic, skeleton, skeletons
from newsclean.stages.names.match import compare, joined_key
from newsclean.stages.names.parse import Name, Part, parse_name
from newsclean.stages.names.registry import Known


@dataclass(frozen=True)
class Person:
    """One cluster: its canonical spelling, the written forms and why they joined."""

    entity: str
    canonical: str
    given: str
    surname: str
    forms: tuple[tuple[str, int], ...]
    why: tuple[str, ...]


@dataclass(frozen=True)
class Model:
    """What ``apply`` needs: each written full form's person."""

    forms: dict[str, str]
    people: dict[str, Person]


@dataclass
class _Cluster:
    members: list[str]
    entity: str | None = None
    fixed: tuple[str, str, str] | None = None  # canonical, given, surname
    why: list[str] = field(default_factory=list)


def _part_blocks(part: Part, wade_giles: bool, surname: bool) -> set[str]:
    key = part.key.removesuffix("i") if surname else part.key  # Abbas/Abbasi share a block
    out = {"s:" + shape for shape in skeletons(part.key)}
    out.update(f"g:{g}" for g in groups_of(part.key) | groups_of(key))
    wg = sinitic(part.text, wade_giles)
    if wg is not None:
        out.add("w:" + wg)
    return out


def _blocks(name: Name) -> list[str]:
    """Candidate pairs share a surname block and a given-name block: spelling
    skeleton, transliteration group or Wade–Giles/pinyin key of each."""
    assert name.surname is not None and name.given is not None
    wg = looks_wade_giles([p.text for p in (name.given, *name.middles, name.surname)])
    surnames = _part_blocks(name.surname, wg, surname=True)
    surnames.add("j:" + joined_key(name))  # Kim Jong Un / Kim Jong-un
    # Mohammed bin Zayed / Mohamed bin Zayed Al Nahyan: the first patronym
    patronym = next((p.key for p in (*name.middles, name.surname) if p.key.startswith("bin")), None)
    if patronym is not None:
        surnames.add("n:" + skeleton(patronym))
    givens = _part_blocks(name.given, wg, surname=False)
    return sorted(f"{s}|{g}" for s in surnames for g in givens)


def _pick(counts: Counter[str]) -> str:
    """Most frequent written form; ties go to the first in code-point order."""
    return min(counts, key=lambda text: (-counts[text], text))


def entity_id(given: str, surname: str) -> str:
    """A short hash of the canonical name's keys: the same whichever spelling of the
    parts (Thabit/Thabet, al-Abbasi/Al Abbasi) the batch makes canonical."""
    name = parse_name(f"{given} {surname}")
    parts = [p.key for p in (name.given, name.surname) if p is not None]
    key = " ".join(parts) if len(parts) == 2 else f"{given} {surname}".lower()
    return "p" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:11]


def cluster(
    counts: dict[str, int], aliases: Aliases | None = None, known: Iterable[Known] = ()
) -> Model:
    aliases = aliases or Aliases()
    trusted: set[str] = set()
    clusters: dict[str, _Cluster] = {}
    owner: dict[str, str] = {}  # form -> cluster id

    def add(cluster_id: str, form: str) -> None:
        if form in owner:
            return
        owner[form] = cluster_id
        clusters[cluster_id].members.append(form)

    for person in known:
        cid = "r:" + person.entity
        clusters[cid] = _Cluster(
            [], person.entity, (person.canonical, person.given, person.surname)
        )
        clusters[cid].why.append("known from the registry")
        for form, _ in person.forms:
            add(cid, form)
            trusted.add(form)
    for index, (canonical, variants) in enumerate(aliases.people):
        name = parse_name(canonical)
        given = name.given.text if name.given else ""
        surname = name.surname.text if name.surname else canonical
        fixed = (canonical, given, surname)
        found = owner.get(canonical) or next((owner[v] for v in variants if v in owner), None)
        cid = found if found is not None else f"a:{index}"
        if cid not in clusters:
            clusters[cid] = _Cluster([])
        clusters[cid].fixed = fixed
        clusters[cid].why.append("alias file")
        for form in (canonical, *variants):
            add(cid, form)
            trusted.add(form)
    batch = sorted(counts, key=lambda form: (-counts[form], form))
    for form in batch:
        if form not in owner and parse_name(form).full:
            clusters[f"b:{form}"] = _Cluster([])
            add(f"b:{form}", form)

    # blocking: candidate pairs share a surname skeleton or transliteration group
    blocks: dict[str, list[str]] = {}
    for form in sorted(owner, key=lambda f: (-counts.get(f, 0), f)):
        name = parse_name(form)
        if name.full:
            for block in _blocks(name):
                blocks.setdefault(block, []).append(form)

    def can_merge(x: _Cluster, y: _Cluster) -> bool:
        if x.entity and y.entity and x.entity != y.entity:
            return False
        if x.fixed and y.fixed and x.fixed[0] != y.fixed[0]:
            return False
        for a in x.members:
            for b in y.members:
                if aliases.forbids(a, b):
                    return False
                if a in trusted or b in trusted:
                    continue
                if not compare(parse_name(a), parse_name(b)).same:
                    return False
        return True

    seen: set[tuple[str, str]] = set()
    for block in sorted(blocks):
        forms = blocks[block]
        for i, a in enumerate(forms):
            for b in forms[i + 1 :]:
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                ca, cb = owner[a], owner[b]
                if ca == cb:
                    continue
                verdict = compare(parse_name(a), parse_name(b))
                if not verdict.same or not can_merge(clusters[ca], clusters[cb]):
                    continue
                keep, gone = (ca, cb) if ca < cb else (cb, ca)
                k, g = clusters[keep], clusters.pop(gone)
                k.members.extend(g.members)
                k.entity = k.entity or g.entity
                k.fixed = k.fixed or g.fixed
                k.why.extend(g.why)
                k.why.append(f"{a!r} ~ {b!r}: {verdict.reason}")
                for form in g.members:
                    owner[form] = keep
    return _model(clusters, counts)


def _canonical(members: list[str], counts: dict[str, int]) -> tuple[str, str, str]:
    """The cluster's most frequent written full form, without a title in front (ties:
    code-point order, so the input order never matters), and its given name and
    surname as written there: the canonical is always a spelling of the input."""
    written: Counter[str] = Counter()
    for form in members:
        name = parse_name(form)
        if name.full and name.given is not None:
            written[form[name.given.start :]] += counts.get(form, 1)
    canonical = _pick(written) if written else members[0]
    name = parse_name(canonical)
    given = name.given.text if name.given else ""
    surname = name.surname.text if name.surname else canonical
    return canonical, given, surname


def _model(clusters: dict[str, _Cluster], counts: dict[str, int]) -> Model:
    people: dict[str, Person] = {}
    forms: dict[str, str] = {}
    for cid in sorted(clusters):
        c = clusters[cid]
        if c.fixed:
            canonical, given, surname = c.fixed
        else:
            canonical, given, surname = _canonical(c.members, counts)
        entity = c.entity or entity_id(given, surname)
        base, n = entity, 1
        while entity in people:  # two people kept apart with one key
            n += 1
            entity = f"{base}-{n}"
        members = sorted(c.members, key=lambda f: (-counts.get(f, 0), f))
        people[entity] = Person(
            entity,
            canonical,
            given,
            surname,
            tuple((f, counts.get(f, 0)) for f in members),
            tuple(c.why),
        )
        for form in c.members:
            forms[form] = entity
    return Model(forms, dict(sorted(people.items())))


def keep_people(model: Model, weak: set[str]) -> Model:
    """The model without the people all of whose forms are weak (written with no
    evidence of a person anywhere in the batch)."""
    people = {
        entity: person
        for entity, person in model.people.items()
        if any(form not in weak for form, _ in person.forms)
    }
    forms = {form: entity for form, entity in model.forms.items() if entity in people}
    return Model(forms, people)
