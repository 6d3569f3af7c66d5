"""The record that flows between stages, and its JSONL form.

A record is a plain ``dict``. Known fields are written in the fixed order of
:data:`FIELDS`; fields newsclean does not know follow in the order they came in,
so users can carry their own metadata through every stage.
"""

from __future__ import annotations

import json
from typing import Any

Record = dict[str, Any]

#: Field order of every record newsclean writes (DESIGN.md, "The record").
FIELDS: tuple[str, ...] = (
    "id",
    "source",
    "url",
    "site",
    "html",
    "text",
    "title",
    "section",
    "standfirst",
    "dateline",
    "byline",
    "published",
    "updated",
    "timestamps",
    "captions",
    "headings",
    "sources",
    "body",
    "removed",
    "names",
    "lang",
    "lang_prob",
    "provenance",
    "warnings",
    "stages",
)
_RANK = {name: i for i, name in enumerate(FIELDS)}

#: ``provenance["text"]`` of a record whose text ``extract`` took from its HTML
#: (strip's layout verdicts are gentler on it)
EXTRACTED_BY = "trafilatura"


def ordered(record: Record) -> Record:
    """Return ``record`` with known fields first, in :data:`FIELDS` order."""
    known = sorted((k for k in record if k in _RANK), key=_RANK.__getitem__)
    extra = [k for k in record if k not in _RANK]
    return {k: record[k] for k in (*known, *extra)}


def dumps(record: Record) -> str:
    """One JSONL line (without the newline): UTF-8, fixed key order, no spaces."""
    return json.dumps(ordered(record), ensure_ascii=False, separators=(",", ":"))


def body_or_text(record: Record) -> str:
    """The best text a stage can work on: ``body`` once strip has run, else ``text``."""
    body = record.get("body")
    if isinstance(body, str):
        return body
    text = record.get("text")
    return text if isinstance(text, str) else ""


def warn(record: Record, message: str) -> Record:
    """Return a copy of ``record`` with ``message`` appended to its ``warnings``."""
    out = dict(record)
    out["warnings"] = [*(record.get("warnings") or []), message]
    return out


def select(record: Record, fields: tuple[str, ...] = (), drop: tuple[str, ...] = ()) -> Record:
    """``record`` with only ``fields`` (all when empty), less ``drop`` (``--fields``/``--drop``)."""
    if fields:
        record = {k: v for k, v in record.items() if k in fields}
    if drop:
        record = {k: v for k, v in record.items() if k not in drop}
    return record
