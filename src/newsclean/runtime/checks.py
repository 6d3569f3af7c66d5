"""What makes an input unusable, checked before a stage meets it: a read past
the size limit, a broken gzip stream, an HTML tag no parser gets through in
bounded time, a record that does not fit the schema."""

from __future__ import annotations

import functools
import gzip
import re
import zlib
from typing import IO, Any

from newsclean.errors import InputError
from newsclean.record import Record

GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def read_limited(stream: IO[bytes], path: str, limit: int) -> bytes:
    try:
        data = stream.read(limit + 1)
    except GZIP_ERRORS as exc:
        raise InputError(path, f"corrupt or truncated gzip ({exc})") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise InputError(path, f"larger than the {limit}-byte limit (--max-bytes)")
    return data


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
