"""What makes an input unusable, checked before a stage meets it: a read past
the size limit, a broken gzip stream, an HTML tag no parser gets through in
bounded time, a record that does not fit the schema."""

from __future__ import annotations

import functools
import gzip
import re
import zlib
from collections.abc import Iterable
from typing import IO, Any

from newsclean.errors import InputError
from newsclean.record import Record

GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


#: bytes read at a time
CHUNK = 1 << 20


def read_limited(stream: IO[bytes], path: str, limit: int) -> bytes:
    """The whole stream, refused past ``limit`` bytes. Read in chunks: a read of
    ``limit + 1`` bytes at once would allocate that much first (``--max-bytes
    100000000000`` asked for 100 GB before reading a byte)."""
    parts: list[bytes] = []
    size = 0
    try:
        while chunk := stream.read(min(CHUNK, limit + 1 - size)):
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputError(path, f"larger than the {limit}-byte limit (--max-bytes)")
    except GZIP_ERRORS as exc:
        raise InputError(path, f"corrupt or truncated gzip ({exc})") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    return parts[0] if len(parts) == 1 else b"".join(parts)


#: JSON nested deeper than this is refused: the runners pickle records between
#: processes and phases, and pickle recurses (it fails near 300 levels)
MAX_DEPTH = 100


def depth_problem(obj: Any, limit: int = MAX_DEPTH) -> str | None:
    """Why ``obj`` is nested too deeply to travel as a record, or None (counted
    without recursion, so any depth json.loads accepts is measured)."""
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return f"JSON nested deeper than {limit} levels"
        stack.extend((child, depth + 1) for child in children)
    return None


#: a start tag long enough to hold thousands of attributes (checked further)
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{20000,}>")
_ATTRIBUTE = re.compile(r"""[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")
MAX_ATTRIBUTES = 2000


def html_problem(html: str) -> str | None:
    """Why ``html`` cannot be parsed in bounded time, or None.

    libxml2 (under lxml, trafilatura) checks each attribute of a tag against all
    the earlier ones: a tag with 100,000 attributes (1 MB) takes over a minute, in
    C code the per-article time limit cannot interrupt. No real page comes near
    ``MAX_ATTRIBUTES`` attributes on one tag."""
    for tag in _LONG_TAG.finditer(html):
        count = len(_ATTRIBUTE.findall(tag.group(), 1)) - 1  # minus the tag name
        if count > MAX_ATTRIBUTES:
            return (
                f"HTML tag with {count} attributes (more than {MAX_ATTRIBUTES}; "
                "parsing it would take minutes)"
            )
    return None


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from newsclean.schema import SCHEMA

    return Draft202012Validator(SCHEMA)


def schema_problem(record: Record) -> str | None:
    """Why ``record`` does not fit the record schema, or None. A field of the
    wrong type (a ``url`` that is a number, a ``byline`` that is a string) would
    otherwise reach the output as an invalid record, or crash a later stage."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(record))
    if error is None:
        return None
    field = ".".join(str(p) for p in error.absolute_path) or "record"
    message = error.message if len(error.message) <= 200 else error.message[:200] + "..."
    return f"'{field}' does not fit the schema: {message}"
