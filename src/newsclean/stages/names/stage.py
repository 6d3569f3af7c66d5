"""The names stage: one spelling per person across a batch.

``map`` counts each record's written full names (weak ones apart), ``reduce``
clusters the batch's distinct names (:mod:`.cluster`) and keeps a weak name only
in a cluster the batch writes as a person elsewhere, and ``apply`` resolves the
short forms of each article (:mod:`.shortforms`), rewrites ``body`` (or ``text``
before strip and split have run), ``title``, ``standfirst`` and
``captions[].text``, each mention whole, to the canonical form of its shape
(full name -> canonical full name, "Mr" + surname -> "Mr" + canonical surname),
and lists every mention in ``names`` with the text the input wrote.
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
from newsclean.stages.names.cluster import Model, Person, cluster, keep_people
from newsclean.stages.names.detect import Mention, find_mentions
from newsclean.stages.names.lexicon import lexicon
from newsclean.stages.names.shortforms import article_people, resolve, royal_title

#: prefix of a weak form in the summaries of ``map``
WEAK = "?"


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
    #: write the batch's people to the registry (``names table`` only reads it)
    keep: bool = True


def split_summaries(parts: Iterable[dict[str, int]]) -> tuple[Counter[str], Counter[str]]:
    """The counts of the maps' summaries: written full names, and weak ones apart."""
    counts: Counter[str] = Counter()
    weak: Counter[str] = Counter()
    for part in parts:
        for form, n in part.items():
            if form.startswith(WEAK):
                weak[form[len(WEAK) :]] += n
            else:
                counts[form] += n
    return counts, weak


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
        """Each written full name and its count; a weak one (no evidence of its own)
        under ``?`` + name, an organisation's name under ``!`` + name."""
        counts: Counter[str] = Counter()
        for _, _, text in _fields(record):
            for mention in find_mentions(text, full_only=True):
                if mention.name.full:
                    counts[(WEAK if mention.weak else "") + normal(mention.text)] += 1
        return dict(counts)

    def reduce(self, parts: Iterable[dict[str, int]]) -> Model:
        counts, weak = split_summaries(parts)
        aliases = load_aliases(self.config.aliases)
        known = registry_db.load(self.config.registry) if self.config.registry else []
        # a weak form counts only in a cluster that the batch writes as a person elsewhere
        model = keep_people(cluster(dict(counts + weak), aliases, known), set(weak) - set(counts))
        if self.config.registry and self.config.keep:
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
        fields = _fields(record)
        full = bool(model.forms)
        found = [(f, i, text, find_mentions(text, full) if full else []) for f, i, text in fields]
        people = article_people([m for *_, ms in found for m in ms], model)
        if people or any(royal_title(text) for _, _, text in fields):
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
                (m, p) for m in mentions if (p := resolve(m, model, people, by_surname)) is not None
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
    """The whole mention as the canonical form of its shape: a full name as the
    canonical full name, "Mr" + surname as "Mr" + the canonical surname, a title and
    a given name as the title and the canonical given name; a title written in front
    stays. Every spelling it produces is one the input wrote."""
    name = mention.name
    if name.full and name.given is not None:
        return mention.text[: name.given.start] + person.canonical
    if name.surname is None:
        return mention.text
    title = name.honorific.key if name.honorific is not None else None
    new = person.surname
    if title in lexicon().given_titles and person.given:
        new = person.given
    return mention.text[: name.surname.start] + new


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
