"""JSON Schema of the newsclean record (``newsclean schema``)."""

from __future__ import annotations

from typing import Any

_STR_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
_STR_LIST: dict[str, Any] = {"type": "array", "items": {"type": "string"}}


def _objects(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "object", "properties": properties, "required": required},
    }


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://newsclean.invalid/record.schema.json",
    "title": "newsclean record",
    "description": "One article. Fields a stage has not filled yet are absent or null; "
    "unknown fields are carried through unchanged.",
    "type": "object",
    "required": ["id", "source"],
    "additionalProperties": True,
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "source": {
            "type": "object",
            "required": ["path", "format", "sha256"],
            "properties": {
                "path": {"type": "string"},
                "line": {"type": ["integer", "null"], "minimum": 1},
                "format": {"enum": ["text", "html", "jsonl"]},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            },
        },
        "url": _STR_OR_NULL,
        "site": _STR_OR_NULL,
        "html": {**_STR_OR_NULL, "description": "raw HTML, until extract has run"},
        "text": {
            **_STR_OR_NULL,
            "description": "article text as ingested or extracted, before strip and split",
        },
        "title": _STR_OR_NULL,
        "section": _STR_OR_NULL,
        "standfirst": _STR_OR_NULL,
        "dateline": _STR_OR_NULL,
        "byline": _STR_LIST,
        "published": _STR_OR_NULL,
        "updated": _STR_OR_NULL,
        "timestamps": _objects(
            {"raw": {"type": "string"}, "iso": _STR_OR_NULL, "kind": {"type": "string"}},
            ["raw", "iso", "kind"],
        ),
        "captions": _objects({"text": {"type": "string"}, "credit": _STR_OR_NULL}, ["text"]),
        "headings": _STR_LIST,
        "sources": _STR_LIST,
        "body": _STR_OR_NULL,
        "removed": _objects(
            {"text": {"type": "string"}, "rule": {"type": "string"}}, ["text", "rule"]
        ),
        "names": _objects(
            {
                "text": {"type": "string"},
                "canonical": {"type": "string"},
                "entity": {"type": "string"},
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0},
            },
            ["text", "canonical", "entity", "start", "end"],
        ),
        "lang": _STR_OR_NULL,
        "lang_prob": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "provenance": {
            "type": "object",
            "description": "which source each metadata field came from (json-ld, meta, ...)",
            "additionalProperties": {"type": "string"},
        },
        "warnings": {
            **_STR_LIST,
            "description": "what a stage noticed: replaced bytes, an empty body and why",
        },
        "stages": {
            **_STR_LIST,
            "description": "the stages the record has been through, in order; a stage "
            "listed here passes the record unchanged when it meets it again",
        },
    },
}
