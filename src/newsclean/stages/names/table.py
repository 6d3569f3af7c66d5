"""``names table``: every person of a batch with every way the batch writes them.

The stage is fitted on the batch and applied to each record; each mention is
counted under its person as the input wrote it, full names and short forms
("Mr Al Abbasi", "Sheikh Mohamed", "Austin") alike, so the table shows what the
rewrite will join, not only what the clustering saw.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from newsclean.record import Record
from newsclean.stages.names.parse import parse_name
from newsclean.stages.names.stage import NamesStage


@dataclass(frozen=True)
class Row:
    """One person: canonical spelling, entity, written variants and why they joined."""

    entity: str
    canonical: str
    #: (text as written, count, short form?), most written first
    variants: tuple[tuple[str, int, bool], ...]
    why: tuple[str, ...]

    @property
    def mentions(self) -> int:
        return sum(n for _, n, _ in self.variants)


def people_table(records: Iterable[Record], stage: NamesStage) -> list[Row]:
    """The people of the batch in entity order (stable whatever the input order)."""
    batch = list(records)
    model = stage.fit(batch)
    written: dict[str, Counter[str]] = {}
    canonical: dict[str, str] = {}
    for record in batch:
        for n in stage.apply(record, model)["names"]:
            written.setdefault(n["entity"], Counter())[n["text"]] += 1
            canonical[n["entity"]] = n["canonical"]
    rows = []
    for entity in sorted(written):
        person = model.people.get(entity)
        counts = written[entity]
        variants = tuple(
            (text, counts[text], not parse_name(text).full)
            for text in sorted(counts, key=lambda t: (-counts[t], t))
        )
        why = person.why if person is not None else ()
        rows.append(Row(entity, canonical[entity], variants, tuple(why)))
    return rows
