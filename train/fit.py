"""``make train``: the shipped line model from the labelled pages, same bytes every time.

python -m train.fit [LINES.jsonl.gz] [-o src/newsclean/data/lines/model.crfsuite]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsclean.stages.lines.train import corpus_evidence, fit_pages

HERE = Path(__file__).resolve().parent
LINES = HERE / "build" / "lines.jsonl.gz"
MODEL = HERE.parent / "src" / "newsclean" / "data" / "lines" / "model.bin"


def read_pages(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def load(path: Path = LINES) -> list[dict[str, Any]]:
    """The labelled pages, in a fixed order (corpus, then id)."""
    return sorted(read_pages(path), key=lambda p: (p["corpus"], p["id"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("lines", nargs="?", type=Path, default=LINES)
    ap.add_argument("-o", "--output", type=Path, default=MODEL)
    args = ap.parse_args()
    pages = load(args.lines)
    model = fit_pages(pages, corpus_evidence(pages))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(model)
    digest = hashlib.sha256(model).hexdigest()[:16]
    print(f"wrote {args.output} ({len(model):,} bytes, sha256 {digest}) from {len(pages)} pages")


if __name__ == "__main__":
    main()
