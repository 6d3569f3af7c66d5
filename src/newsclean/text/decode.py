"""Bytes to text, never a crash: BOMs, UTF-16, declared HTML charsets, other
charsets by detection (charset-normalizer), CRLF/CR."""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from typing import Any

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.I
)
_REPLACEMENT_UTF8 = "\ufffd".encode()


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    #: invalid byte sequences replaced by U+FFFD
    replaced: int
    #: the text was not UTF-8 and ``encoding`` was found by detection
    detected: bool = False

    def warning(self) -> str | None:
        """What a user should hear about how the bytes were read, if anything."""
        if self.detected:
            return f"not UTF-8: decoded as {self.encoding} (detected)"
        if self.replaced:
            return f"{self.replaced} invalid bytes replaced (decoded as {self.encoding})"
        return None


def guess_utf16(raw: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _declared_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(raw: bytes, html: bool = False) -> Decoded:
    """Decode ``raw``: BOM first, then UTF-16 by shape, UTF-8 (the fast path), a
    declared HTML charset, the charset charset-normalizer detects for text that
    holds no UTF-8 at all (cp1252, Latin-1, cp1251...), and UTF-8 with invalid
    bytes replaced (and counted) as the last resort: UTF-8 with a few bad bytes
    stays UTF-8."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            encoding = name
            raw = raw[len(bom) :]
            break
    else:
        encoding = guess_utf16(raw) or "utf-8"
    try:
        return Decoded(normalize_newlines(raw.decode(encoding)), encoding, 0)
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(raw) if html else None
    if declared and declared not in ("utf-8", encoding):
        try:
            return Decoded(normalize_newlines(raw.decode(declared)), declared, 0)
        except UnicodeDecodeError:
            pass
    text = raw.decode(encoding, errors="replace")
    if encoding == "utf-8" and not _holds_utf8(text):
        found = _detect(raw)
        if found is not None:
            return Decoded(normalize_newlines(found[1]), found[0], 0, detected=True)
    replaced = text.count("\ufffd") - raw.count(_REPLACEMENT_UTF8)
    return Decoded(normalize_newlines(text), encoding, max(replaced, 0))


_WELL_ENCODED = re.compile("[^\x00-\x7f\ufffd]")


def _holds_utf8(text: str) -> bool:
    """Does text decoded as UTF-8 (bad bytes replaced) hold any character past
    ASCII that was well encoded? Then it is UTF-8 with a few bad bytes."""
    return _WELL_ENCODED.search(text) is not None


#: Legacy charsets tie on short texts (charset-normalizer cannot tell cp1250 from
#: cp1252 on "Café"): the most common one for Western news text wins a tie.
_PREFERRED = ("cp1252",)


def _detect(raw: bytes) -> tuple[str, str] | None:
    """(charset, text) by charset-normalizer's detection, or None."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(raw))
    if not results:
        return None
    best = min(
        results,
        key=lambda r: (round(r.chaos, 3), -round(r.coherence, 3), r.encoding not in _PREFERRED),
    )
    try:
        return best.encoding, raw.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(value: Any) -> tuple[Any, int]:
    """``value`` (any JSON value) with every lone surrogate in its strings replaced
    by U+FFFD, and how many were replaced.

    JSON may spell one (``"\\ud800"``) and a file name with undecodable bytes
    holds them, but UTF-8 cannot encode them: left in, they would crash the
    writer at the end of a run."""
    if isinstance(value, str):
        if not _LONE_SURROGATE.search(value):
            return value, 0
        return _LONE_SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        pairs = [scrub(v) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        total = 0
        for key, item in value.items():
            clean_key, n_key = scrub(key)
            out[clean_key], n = scrub(item)
            total += n + n_key
        return out, total
    return value, 0


def printable_path(path: str) -> str:
    """A file name as valid text: undecodable bytes (kept by Python as lone
    surrogates) become U+FFFD, so the name can go into a record."""
    try:
        return os.fsencode(path).decode("utf-8", errors="replace")
    except UnicodeEncodeError:  # a surrogate that no file system produced
        return str(scrub(path)[0])


#: control characters other than \t \n \v \f
_CONTROLS = re.compile("[\x00-\x08\x0d-\x1f]")


def looks_binary(text: str) -> bool:
    """Text full of control characters is a binary file with a text name."""
    sample = text[:8192]
    if not sample:
        return False
    # counted in C: the reader runs this on every article, in the client process
    controls = len(_CONTROLS.findall(sample))
    return controls > 0.05 * len(sample) or "\x00" in sample[:1024]
