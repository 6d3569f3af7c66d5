"""The registry (``--registry FILE``): clusters that persist across drops.

SQLite from the standard library. Tables are prefixed ``names_`` so the registry
can live in a file shared with other state (``clean --state``): pass a path or an
open :class:`sqlite3.Connection`.

* ``names_entities(entity, canonical, given, surname)``: one row per person; the
  canonical spelling is fixed once written, so later drops keep it.
* ``names_variants(form, entity, count)``: every written full form met so far.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsclean.errors import NewscleanError

SCHEMA = """
CREATE TABLE IF NOT EXISTS names_entities (
    entity TEXT PRIMARY KEY,
    canonical TEXT NOT NULL,
    given TEXT NOT NULL,
    surname TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS names_variants (
    form TEXT NOT NULL,
    entity TEXT NOT NULL REFERENCES names_entities(entity),
    count INTEGER NOT NULL,
    PRIMARY KEY (form, entity)
);
"""


@dataclass(frozen=True)
class Known:
    """A person the registry knows."""

    entity: str
    canonical: str
    given: str
    surname: str
    forms: tuple[tuple[str, int], ...]


Target = str | Path | sqlite3.Connection


@contextlib.contextmanager
def _connect(target: Target) -> Iterator[sqlite3.Connection]:
    if isinstance(target, sqlite3.Connection):
        target.executescript(SCHEMA)
        yield target
        return
    try:
        conn = sqlite3.connect(str(target))
    except sqlite3.Error as exc:
        raise NewscleanError(f"{target}: cannot open the names registry ({exc})") from exc
    try:
        try:
            conn.executescript(SCHEMA)
        except sqlite3.Error as exc:  # not SQLite, or another tool's database (#9)
            raise NewscleanError(f"{target}: not a names registry ({exc})") from exc
        yield conn
        conn.commit()
    finally:
        conn.close()


def load(target: Target) -> list[Known]:
    with _connect(target) as conn:
        forms: dict[str, list[tuple[str, int]]] = {}
        for form, entity, count in conn.execute(
            "SELECT form, entity, count FROM names_variants ORDER BY entity, form"
        ):
            forms.setdefault(entity, []).append((form, count))
        return [
            Known(entity, canonical, given, surname, tuple(forms.get(entity, ())))
            for entity, canonical, given, surname in conn.execute(
                "SELECT entity, canonical, given, surname FROM names_entities ORDER BY entity"
            )
        ]


def save(target: Target, people: list[Known], new_counts: dict[str, dict[str, int]]) -> None:
    """Write every person (new ones are added, known ones keep their canonical)
    and add this drop's counts of each written form."""
    with _connect(target) as conn:
        write(conn, people, new_counts)
        if isinstance(target, sqlite3.Connection):
            conn.commit()


def write(
    conn: sqlite3.Connection, people: list[Known], new_counts: dict[str, dict[str, int]]
) -> None:
    """:func:`save` inside the caller's open transaction (``clean --state``
    writes the registry in the transaction that commits the run's outputs): no
    script, no commit of its own."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.executemany(
        "INSERT OR IGNORE INTO names_entities(entity, canonical, given, surname) "
        "VALUES (?, ?, ?, ?)",
        [(p.entity, p.canonical, p.given, p.surname) for p in people],
    )
    rows = [
        (form, entity, count)
        for entity, counts in sorted(new_counts.items())
        for form, count in sorted(counts.items())
    ]
    conn.executemany(
        "INSERT INTO names_variants(form, entity, count) VALUES (?, ?, ?) "
        "ON CONFLICT(form, entity) DO UPDATE SET count = count + excluded.count",
        rows,
    )
