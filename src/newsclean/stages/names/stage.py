"""The names stage: one spelling per person across a batch.

``map`` counts each record's written full names, ``reduce`` clusters the
batch's distinct names (:mod:`.cluster`) and ``apply`` resolves the short forms
of each article ("Mr Al Abbasi", "Austin", "al-Droubi") to the one person of
that article with that surname, rewrites ``body`` (or ``text`` before strip and
split have run), ``title``, ``standfirst`` and ``captions[].text`` to canonical
spellings and lists every mention in ``names``.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from newsclean.record import Record
from newsclean.stages.base import BatchStage
from newsclean.stages.names import detect, keys
from newsclean.stages.names import registry as registry_db
from newsclean.stages.names.aliases import load_aliases, normal
from newsclean.stages.names.cluster import Model, Person, cluster
from newsclean.stages.names.detect import Mention, find_mentions
from newsclean.stages.names.keys import fold, in_table, nisba, same_part, skeleton
from newsclean.stages.names.lexicon import lexicon


@dataclass(frozen=True)
class NamesConfig:
    """Options of the names stage.

    rewrite: rewrite mentions to canonical spellings (False: only fill ``names``).
    aliases: path of a JSON alias file (see :mod:`newsclean.stages.names.aliases`).
    registry: path of an SQLite registry that persists clusters across drops.
    """

    rewrite: bool = True
    aliases: str | None = None
    registry: str | None = None


def _fields(record: Record) -> list[tuple[str, int | None, str]]:
    """(field, caption index, text) of every text the stage reads; the main text first."""
    main = "body" if isinstance(record.get("body"), str) else "text"
    out: list[tuple[str, int | None, str]] = []
    if isinstance(record.get(main), str):
        out.append((main, None, record[main]))
    for key in ("title", "standfirst"):
        if isinstance(record.get(key), str):
            out.append((key, None, record[key]))
    for i, caption in enumerate(record.get("captions") or []):
        if isinstance(caption, dict) and isinstance(caption.get("text"), str):
            out.append(("captions", i, caption["text"]))
    return out


class NamesStage(BatchStage):
    name = "names"

    def __init__(self, config: NamesConfig | None = None):
        self.config = config or NamesConfig()
        #: None: reduce writes the registry itself; () or (model, counts): the
        #: run writes it on commit (``--state``)
        self._held: tuple[Any, ...] | None = None

    def with_state(self, path: str) -> NamesStage:
        """``clean --state FILE``: the registry lives in the state file (its
        ``names_`` tables) unless ``--registry`` names another one. Either way
        ``reduce`` only reads it: the run writes it when it commits its outputs
        (:meth:`commit_state`), so a run killed before that leaves it as it
        was and the resumed run fits the same model."""
        stage = NamesStage(replace(self.config, registry=self.config.registry or path))
        stage._held = ()
        return stage

    def __getstate__(self) -> dict[str, Any]:
        # workers never write the registry: what it holds stays with the client
        return {**vars(self), "_held": None}

    def commit_state(self, conn: sqlite3.Connection, path: str) -> None:
        """Write what this run's ``reduce`` held back: through ``conn``, inside the
        caller's transaction, when the registry is the state file ``path``."""
        held, self._held = getattr(self, "_held", None), ()
        if not held or not self.config.registry:
            return
        model, counts = held
        same = os.path.realpath(self.config.registry) == path
        _save(conn if same else self.config.registry, model, counts, inside=same)

    @property
    def keeps_evidence(self) -> bool:
        """With a registry the stage carries its evidence across drops itself, so
        ``--state`` must not feed it the summaries of earlier drops again."""
        return bool(self.config.registry)

    def prepare(self) -> None:
        # the word lists and the patterns made of them, once, before a pool forks
        lexicon()
        detect.preload()
        keys.preload()

    def map(self, record: Record) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for _, _, text in _fields(record):
            for mention in find_mentions(text, full_only=True):
                if mention.name.full:
                    counts[normal(mention.text)] += 1
        return dict(counts)

    def reduce(self, parts: Iterable[dict[str, int]]) -> Model:
        counts: Counter[str] = Counter()
        for part in parts:
            counts.update(part)
        aliases = load_aliases(self.config.aliases)
        known = registry_db.load(self.config.registry) if self.config.registry else []
        model = cluster(dict(counts), aliases, known)
        if self.config.registry:
            if getattr(self, "_held", None) is not None:
                self._held = (model, counts)  # written by commit_state
            else:
                _save(self.config.registry, model, counts)
        return model

    def apply(self, record: Record, model: Any) -> Record:
        assert isinstance(model, Model)
        # A short form ("Austin", "Mr Al Abbasi") stands only for a person written in
        # full, so the full names come first: a batch with none (most one-page runs)
        # needs no search at all, an article with none of its people (most pages) no
        # search for short forms.
        fields = _fields(record) if model.forms else []
        found = [(f, i, text, find_mentions(text, full_only=True)) for f, i, text in fields]
        people = _article_people(found, model)
        if people:
            found = [(f, i, text, find_mentions(text)) for f, i, text in fields]
        # short forms repeat a surname many times in one article: match it once
        by_surname: dict[str, Person | None] = {}
        out = dict(record)
        names: list[dict[str, Any]] = []
        captions = (
            [dict(c) for c in record.get("captions") or []] if record.get("captions") else None
        )
        for position, (field_name, index, text, mentions) in enumerate(found):
            resolved = [
                (m, p)
                for m in mentions
                if (p := _resolve(m, model, people, by_surname)) is not None
            ]
            new_text, spans = _rewrite(text, resolved, self.config.rewrite)
            if position == 0:
                # a record names has already run on keeps what the original input wrote
                before = {
                    (n.get("start"), n.get("end"), n.get("entity")): n.get("text")
                    for n in record.get("names") or []
                    if isinstance(n, dict) and isinstance(n.get("text"), str)
                }
                names = [
                    {
                        "text": before.get((m.start, m.end, p.entity), m.text),
                        "canonical": p.canonical,
                        "entity": p.entity,
                        "start": start,
                        "end": end,
                    }
                    for (m, p), (start, end) in zip(resolved, spans, strict=True)
                ]
            if not self.config.rewrite:
                continue
            if field_name == "captions" and captions is not None and index is not None:
                captions[index]["text"] = new_text
            else:
                out[field_name] = new_text
        if captions is not None and self.config.rewrite:
            out["captions"] = captions
        out["names"] = names
        return out


def _article_people(
    found: list[tuple[str, int | None, str, list[Mention]]], model: Model
) -> list[tuple[str, Person]]:
    """(surname key, person) of every full name the article writes."""
    out: dict[tuple[str, str], Person] = {}
    for _, _, _, mentions in found:
        for m in mentions:
            entity = model.forms.get(normal(m.text)) if m.name.full else None
            if entity is not None and m.name.surname is not None:
                out[(m.name.surname.key, entity)] = model.people[entity]
    return [(key, person) for (key, _), person in sorted(out.items())]


def _resolve(
    mention: Mention,
    model: Model,
    people: list[tuple[str, Person]],
    by_surname: dict[str, Person | None],
) -> Person | None:
    """The person a mention names: a full name by its form, a short form by the one
    person of the article with that surname (``by_surname`` memoises the latter)."""
    if mention.name.full:
        entity = model.forms.get(normal(mention.text))
        return model.people[entity] if entity else None
    surname = mention.name.surname
    if surname is None or not people:
        return None  # most pages write no full name a short form could stand for
    if mention.name.honorific is None:
        low = surname.text.lower()
        lex = lexicon()
        if low in lex.places or low in lex.nonperson:
            return None  # "Washington" alone is the city, even next to Denzel Washington
    if surname.key not in by_surname:
        by_surname[surname.key] = _one_person(surname.key, people)
    return by_surname[surname.key]


def _one_person(surname: str, people: list[tuple[str, Person]]) -> Person | None:
    """The one person of the article with this surname key."""
    # First a cheap necessary condition of same_part or nisba: every way they
    # match keeps the consonant skeleton (the nisba -i is a vowel, so it does
    # not change it) unless both keys, or both without a final -i, are in the
    # transliteration table. Most capitalised words of a page fail it, which
    # spares the pairwise checks; the surname's side is worked out once (a page
    # with many people asks hundreds of times).
    shape = skeleton(surname)
    tabled = in_table(surname) or in_table(surname[:-1])
    matches = {
        p.entity: p
        for key, p in people
        if (skeleton(key) == shape or (tabled and (in_table(key) or in_table(key[:-1]))))
        and (same_part(key, surname) is not None or nisba(key, surname))
    }
    # none, or several people with that surname: unresolved
    return next(iter(matches.values())) if len(matches) == 1 else None


def _rewrite(
    text: str, resolved: list[tuple[Mention, Person]], rewrite: bool
) -> tuple[str, list[tuple[int, int]]]:
    """The text with each mention in canonical spelling, and the mentions' new spans."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    cursor = 0
    length = 0
    for mention, person in resolved:
        pieces.append(text[cursor : mention.start])
        length += mention.start - cursor
        new = _respell(mention, person) if rewrite else mention.text
        spans.append((length, length + len(new)))
        pieces.append(new)
        length += len(new)
        cursor = mention.end
    pieces.append(text[cursor:])
    return "".join(pieces), spans


def _respell(mention: Mention, person: Person) -> str:
    """The mention in its own shape with the canonical given name and surname."""
    name = mention.name
    edits = []
    if name.given is not None and name.full:
        edits.append((name.given.start, name.given.end, person.given))
    if name.surname is not None:
        edits.append((name.surname.start, name.surname.end, person.surname))
    if person.middle and name.full and len(name.middles) == 1 and " " not in person.middle:
        middle = name.middles[0]
        if not middle.initial and same_part(middle.key, fold(person.middle)):
            end = middle.end
            while end < len(mention.text) and mention.text[end] in "'’":
                end += 1  # Shia’ -> Shia: the mark goes with the spelling
            edits.append((middle.start, end, person.middle))
    text = mention.text
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _save(
    target: registry_db.Target, model: Model, counts: Counter[str], inside: bool = False
) -> None:
    people = [
        registry_db.Known(p.entity, p.canonical, p.given, p.surname, ())
        for p in model.people.values()
    ]
    new_counts: dict[str, dict[str, int]] = {}
    for form, entity in model.forms.items():
        if counts.get(form):
            new_counts.setdefault(entity, {})[form] = counts[form]
    if inside:
        assert isinstance(target, sqlite3.Connection)
        registry_db.write(target, people, new_counts)
    else:
        registry_db.save(target, people, new_counts)
