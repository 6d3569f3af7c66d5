"""Build ``src/newsclean/data/names/lexicon.txt.gz`` from the names-dataset package.

names-dataset (Philippe Remy; PyPI ``names-dataset``, licence file Apache-2.0, package
metadata MIT) holds 730k first names and 980k last names with their rank in each of
105 countries, counted from a 2021 dump of public Facebook profiles. newsclean does not
depend on it at run time: this script keeps only the names ranked within the first
``--rank`` of at least one country, lower-cased without accents (as
:func:`newsclean.names.lexicon.plain` looks them up), and writes one compact file::

    pip install names-dataset==3.3.1
    apt-get install wamerican                       # /usr/share/dict/words
    python scripts/build_name_lexicon.py            # rewrites the shipped file

The Facebook names hold every word people typed as a name ("Use", "Need", "Apple",
"Product"), so a name that the English word list (Debian's ``wamerican``, SCOWL,
public domain and permissive licences) writes in lower case is left out: a word of
English prose is no evidence of a person.

Each line is ``<name>\\t<kinds>``: ``g`` given name, ``s`` surname, and for a given name
``m`` or ``f`` when at least 90% of its bearers in the data are men or women ("Mr X" and
"Ms X" tell two relatives apart). Lines are sorted, so the same package version always
gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import pickle
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/newsclean/data/names/lexicon.txt.gz"


def plain(word: str) -> str:
    text = unicodedata.normalize("NFKD", word.lower().replace("ı", "i"))
    return "".join(c for c in text if not unicodedata.combining(c))


def ranked(path: Path, rank: int) -> dict[str, str]:
    """Name -> its gender ("m", "f" or "") of every name ranked within ``rank``."""
    with gzip.open(path, "rb") as f:
        table = pickle.load(f)  # the package's own data file
    out: dict[str, str] = {}
    for name, info in table.items():
        ranks = info.get("rank") or {}
        if not ranks or min(ranks.values()) > rank:
            continue
        key = plain(name.strip())
        # one alphabetic word (hyphen allowed): "A A Ron" and "J." are not lexicon entries
        if len(key) >= 2 and key.replace("-", "").isalpha() and key.isascii():
            gender = info.get("gender") or {}
            sex = next((g.lower() for g, share in gender.items() if share >= 0.9), "")
            # the plain spelling itself decides; an accented one only when it is alone
            if name.strip().lower() == key or key not in out:
                out[key] = sex
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rank", type=int, default=2000, help="keep names ranked this high")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/words"))
    args = parser.parse_args()
    spec = importlib.util.find_spec("names_dataset")
    if spec is None or spec.origin is None:
        raise SystemExit("pip install names-dataset==3.3.1 first")
    data = Path(spec.origin).parent / "v3"
    words = {w for w in args.words.read_text(encoding="utf-8").split() if w.islower()}
    given = ranked(data / "first_names.pkl.gz", args.rank)
    surnames = ranked(data / "last_names.pkl.gz", args.rank)
    for table in (given, surnames):
        for word in words & set(table):
            del table[word]
    lines = []
    for name in sorted(set(given) | set(surnames)):
        kinds = ("g" + given[name] if name in given else "") + ("s" if name in surnames else "")
        lines.append(f"{name}\t{kinds}\n")
    # mtime 0: the same input gives the same bytes
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write("".join(lines).encode("utf-8"))
    print(f"{args.out}: {len(given)} given names, {len(surnames)} surnames, {len(lines)} lines")


if __name__ == "__main__":
    main()
