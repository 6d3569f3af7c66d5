"""langdetect's language profiles in a compact form shipped with the package.

langdetect's ``DetectorFactory.load_json_profile`` parses 55 JSON files (1.9 MB)
and builds a list of 55 floats for each of its ~88,000 n-grams, almost all of
them 0: about 0.4 s and 40 MB per process, the largest part of the start-up of a
``clean`` run. The same numbers are kept here as the non-zero counts only
(``data/lang/profiles.bin``, built from langdetect's own files by
:func:`build`), and a row of the table is made the first time detection looks
it up: an article uses a few hundred n-grams, a run a few thousand.

A row is made with langdetect's arithmetic (``1.0 * freq / n_words[len - 1]``,
the profiles sorted by file name, as :mod:`lang_detector` loads them), so it is
equal, bit for bit, to the row langdetect builds; ``tests/test_lang.py`` checks
every row against langdetect's JSON files. After an upgrade of langdetect that
changes its profiles, rebuild the file: ``python -m newsclean.stages.lang.profiles``.

Format: zlib-compressed; a JSON header line (languages, ``n_words`` per
language, section sizes), then the n-grams joined by NUL (UTF-8), then per
n-gram the number of its non-zero languages (one byte each), then the language
index of each non-zero entry (one byte each), then its count (uint32, little
endian).
"""

from __future__ import annotations

import json
import sys
import zlib
from array import array
from collections.abc import Iterator
from importlib import resources
from itertools import accumulate
from pathlib import Path

#: the file inside the package
FILE = ("data", "lang", "profiles.bin")


def _array(code: str, data: bytes) -> array[int]:
    out = array(code)
    out.frombytes(data)
    if sys.byteorder != "little":  # pragma: no cover - the file is little endian
        out.byteswap()
    return out


class Profiles(dict[str, list[float]]):
    """langdetect's ``word_lang_prob_map`` (n-gram -> probability per language),
    each row made on first use. ``in`` answers for every n-gram of the profiles,
    made yet or not; ``known`` is the same membership as a plain dict (fast in C)."""

    def __init__(self, blob: bytes) -> None:
        super().__init__()
        data = zlib.decompress(blob)
        end = data.index(b"\n")
        header = json.loads(data[:end])
        self.langlist: list[str] = header["langs"]
        self._n_words: list[list[int]] = header["n_words"]
        at = end + 1
        grams = data[at : at + header["grams_bytes"]].decode("utf-8").split("\0")
        at += header["grams_bytes"]
        counts = data[at : at + len(grams)]
        at += len(grams)
        self._langs = data[at : at + header["entries"]]
        at += header["entries"]
        self._freqs = _array("I", data[at : at + 4 * header["entries"]])
        #: n-gram -> its position; the offsets of its entries
        self.known: dict[str, int] = dict(zip(grams, range(len(grams)), strict=True))
        self._starts: list[int] = [0, *accumulate(counts)]

    def __contains__(self, gram: object) -> bool:
        return gram in self.known

    def __missing__(self, gram: str) -> list[float]:
        at = self.known[gram]  # KeyError for an n-gram of no profile, like a dict
        row = [0.0] * len(self.langlist)
        size = len(gram)
        for j in range(self._starts[at], self._starts[at + 1]):
            lang = self._langs[j]
            # langdetect's add_profile, to the bit
            row[lang] = 1.0 * self._freqs[j] / self._n_words[lang][size - 1]
        self[gram] = row
        return row

    def grams(self) -> Iterator[str]:
        """Every n-gram of the profiles, in the order of the file."""
        return iter(self.known)


def load() -> Profiles:
    """The profiles shipped in the package."""
    path = resources.files("newsclean")
    for part in FILE:
        path = path.joinpath(part)
    return Profiles(path.read_bytes())


def build(folder: Path) -> bytes:
    """The compact form of langdetect's JSON profiles in ``folder`` (sorted by
    file name, as :func:`lang_detector.factory` loads them)."""
    profiles = [json.loads(p.read_text("utf-8")) for p in sorted(folder.iterdir())]
    # the n-grams in langdetect's order: first seen, profile by profile
    entries: dict[str, list[tuple[int, int]]] = {}
    for index, profile in enumerate(profiles):
        for gram, freq in profile["freq"].items():
            row = entries.setdefault(gram, [])
            if 1 <= len(gram) <= 3:  # langdetect gives longer ones no probability
                row.append((index, freq))
    assert not any("\0" in gram for gram in entries)
    grams = "\0".join(entries).encode("utf-8")
    counts = bytes(len(row) for row in entries.values())
    langs = bytes(lang for row in entries.values() for lang, _ in row)
    # (array("I") raises OverflowError on a count of 2**32 or more)
    freqs = array("I", (freq for row in entries.values() for _, freq in row))
    if sys.byteorder != "little":  # pragma: no cover
        freqs.byteswap()
    header = {
        "langs": [p["name"] for p in profiles],
        "n_words": [p["n_words"] for p in profiles],
        "grams_bytes": len(grams),
        "entries": len(langs),
    }
    data = json.dumps(header).encode() + b"\n" + grams + counts + langs + freqs.tobytes()
    return zlib.compress(data, 9)


def main() -> None:
    """Rebuild ``data/lang/profiles.bin`` from the installed langdetect."""
    from langdetect.detector_factory import PROFILES_DIRECTORY

    target = Path(__file__).parents[2].joinpath(*FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build(Path(PROFILES_DIRECTORY)))
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
