"""Build the line model's training data: ``python -m train.labels`` writes
``train/build/lines.jsonl.gz``, one JSON object per page with every line and its role, and
prints the label distribution, the body sanity figures and the pages per fold.

Corpora: ``wcxb`` (the 711 WCXB dev page texts), ``wcxb-html`` (the same pages' HTML through
``newsclean ingest | newsclean extract``) and ``newsdev`` (d01–d30). The output is the same
bytes on every run from the same inputs (ordered pages, gzip without a timestamp).

A page: ``id``, ``corpus``, ``site`` (the grouping key: WCXB registered domain, newsdev file
or syndicated pair), ``fold`` (sha1 of the site mod 5), ``page_title`` (the HTML <title>, or
null), ``dateline`` (newsdev: the gold dateline that starts the first body line), ``fields``
(the gold fields: WCXB title/author/date, newsdev all but body and persons), ``ceiling``
(WCXB: how much of the gold body the text holds at all) and ``lines``: ``text``, ``role``
(``newsclean.stages.lines.roles``), ``blank_before``, ``markup`` (WCXB: the element's tag,
its ancestors' tags and the cues their names give; null where the line was not found in the
HTML, and on newsdev).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from bench.scoring import score_body

from . import newsdev, wcxb
from .common import BUILD, FOLDS, NEWSDEV, WCXB, fold_of, registered_domain, require_shared
from .markup import PageMarkup

OUT = BUILD / "lines.jsonl.gz"
# Syndicated pairs carry one wire body: a fold must hold both or neither.
NEWSDEV_GROUPS = {
    "d13.txt": "d13+d14",
    "d14.txt": "d13+d14",
    "d21.txt": "d21+d22",
    "d22.txt": "d21+d22",
}


def _html(page_id: str) -> str:
    with gzip.open(WCXB / "html" / f"{page_id}.html.gz", "rb") as f:
        return f.read().decode("utf-8", errors="replace")


def _wcxb_page(job: tuple[dict[str, Any], str, str]) -> dict[str, Any]:
    row, corpus, text = job
    markup = PageMarkup(_html(row["id"]))
    gold = wcxb.gold_of(row)
    records, _ = wcxb.label_page(text, gold, markup)
    site = registered_domain(row["url"])
    score = score_body(wcxb.body_of(records), gold.text)
    ceiling = score_body(text, gold.text).recall
    return {
        "id": row["id"],
        "corpus": corpus,
        "site": site,
        "fold": fold_of(site),
        "page_title": markup.title,
        "dateline": None,
        "fields": {k: row.get(k) for k in ("title", "author", "date")},
        # share of the gold body's shingles the text holds at all (low: the text lost the
        # article, e.g. the extractor missed it; such a page teaches little about body)
        "ceiling": round(ceiling, 4),
        "lines": records,
        "_score": (score.precision, score.recall),
        "_ceiling": ceiling,
        "_why": wcxb.why_low(text, gold, records)
        if min(score.precision or 0.0, score.recall) < 0.9
        else "",
    }


def extracted_texts(ids: list[str]) -> dict[str, str]:
    """``newsclean ingest <html files> | newsclean extract``: each page's extracted text."""
    cmd = [sys.executable, "-m", "newsclean"]
    files = [str(WCXB / "html" / f"{i}.html.gz") for i in ids]
    ingest = subprocess.Popen([*cmd, "ingest", *files], stdout=subprocess.PIPE)
    extract = subprocess.run(
        [*cmd, "extract"], stdin=ingest.stdout, capture_output=True, check=True
    )
    ingest.wait()
    texts: dict[str, str] = {}
    for line in extract.stdout.decode("utf-8").splitlines():
        rec = json.loads(line)
        texts[rec["id"]] = rec.get("text") or ""
    return texts


def wcxb_pages() -> Iterator[dict[str, Any]]:
    with open(WCXB / "gold.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    jobs = [(r, "wcxb", (WCXB / "text" / f"{r['id']}.txt").read_text("utf-8")) for r in rows]
    extracted = extracted_texts([r["id"] for r in rows])
    jobs += [(r, "wcxb-html", extracted[r["id"]]) for r in rows if r["id"] in extracted]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        yield from pool.map(_wcxb_page, jobs, chunksize=8)


def newsdev_pages() -> Iterator[dict[str, Any]]:
    for name, gold in sorted(newsdev.load().items()):
        records = newsdev.label_page((NEWSDEV / name).read_text("utf-8"), gold)
        site = NEWSDEV_GROUPS.get(name, name.removesuffix(".txt"))
        fields = {k: v for k, v in gold.items() if k not in ("persons", "not_persons", "body")}
        yield {
            "id": name.removesuffix(".txt"),
            "corpus": "newsdev",
            "site": site,
            "fold": fold_of(site),
            "page_title": None,
            "dateline": gold["dateline"],
            "fields": fields,
            "lines": records,
            "_check": newsdev.check(name, records, gold),
        }


def report(pages: list[dict[str, Any]]) -> None:
    """Pages, lines and roles per corpus; body sanity; newsdev field checks; folds."""
    by_corpus: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for page in pages:
        by_corpus[page["corpus"]].append(page)
    for corpus, group in by_corpus.items():
        roles = Counter(line["role"] for p in group for line in p["lines"])
        total = sum(roles.values())
        sites = len({p["site"] for p in group})
        print(f"\n{corpus}: {len(group)} pages, {total} lines, {sites} sites")
        print("  " + ", ".join(f"{r} {n} ({n / total:.1%})" for r, n in roles.most_common()))
        folds = Counter(p["fold"] for p in group)
        print("  pages per fold: " + ", ".join(f"{k}: {folds[k]}" for k in range(FOLDS)))
        if corpus.startswith("wcxb"):
            _sanity(group)
        else:
            failures = [f for p in group for f in p["_check"]]
            print(f"  gold fields recovered from the labels: {len(failures)} failures")
            for failure in failures:
                print(f"    {failure}")


def _sanity(group: list[dict[str, Any]]) -> None:
    precisions = [p["_score"][0] for p in group if p["_score"][0] is not None]
    recalls = [p["_score"][1] for p in group]
    ceilings = [p["_ceiling"] for p in group]
    print(
        "  labelled body vs gold body (shingles, means over pages): "
        f"precision {sum(precisions) / len(precisions):.3f}, "
        f"recall {sum(recalls) / len(recalls):.3f} "
        f"(the whole text's recall, the ceiling: {sum(ceilings) / len(ceilings):.3f})"
    )
    lost = sum(p["_ceiling"] < 0.5 for p in group)
    print(f"  pages whose text holds under half the gold body (field 'ceiling' < 0.5): {lost}")
    low = [p for p in group if p["_why"]]
    print(f"  pages below 0.9 in precision or recall: {len(low)}")
    for p in low:
        prec, rec = p["_score"]
        shown = "-" if prec is None else f"{prec:.2f}"
        print(f"    {p['id']} P {shown} R {rec:.2f}: {p['_why']}")


def write(pages: list[dict[str, Any]]) -> None:
    BUILD.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
        for page in pages:
            clean = {k: v for k, v in page.items() if not k.startswith("_")}
            f.write(json.dumps(clean, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    tmp.replace(OUT)


def main() -> None:
    require_shared()
    pages = [*wcxb_pages(), *newsdev_pages()]
    report(pages)
    write(pages)
    print(f"\nwrote {OUT.relative_to(BUILD.parent.parent)} ({len(pages)} pages)")


if __name__ == "__main__":
    main()
