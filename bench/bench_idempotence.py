"""Idempotence on real pages (#9): clean, feed each body back as text, clean again.

A clean body should come out unchanged. Prints, for the first WCXB dev pages as
text and as HTML, how many bodies changed and the rules that changed them (the
property test ``test_cleaning_is_idempotent`` finds the same on generated text);
for HTML also with the body fed back as extracted text (``provenance.text``).
"""

from __future__ import annotations

import os
from collections import Counter

from newsclean.record import EXTRACTED_BY
from newsclean.runtime.pipeline import run_sequential
from newsclean.runtime.report import Report
from newsclean.stages.chain import CleanConfig, clean_chain

from . import data


def main() -> None:
    if not data.available():
        print("WCXB pages not found (set NEWSCLEAN_BENCH): skipped")
        return
    pages = data.gold()[: int(os.environ.get("NEWSCLEAN_IDEMPOTENCE_PAGES", "150"))]
    chain = clean_chain(CleanConfig())
    print(f"{'input':<9} {'pages':>6} {'changed':>8}  rules that changed a clean body")
    ids = [p["id"] for p in pages]
    # "html+prov": the body of an HTML page fed back with the provenance that says its
    # text was extracted from a page (strip is gentler on such text; as plain text,
    # the lists and short lines after the last paragraph read as a page's footer).
    for kind in ("text", "html", "html+prov"):
        records = data.text_records(ids) if kind == "text" else data.html_records(ids)
        first = list(run_sequential(records, chain, Report(quiet=True)))
        bodies = {r["id"]: r["body"] for r in first if (r.get("body") or "").strip()}
        fed_back = data.text_records(list(bodies), list(bodies.values()))
        if kind == "html+prov":
            fed_back = [{**r, "provenance": {"text": EXTRACTED_BY}} for r in fed_back]
        again = run_sequential(fed_back, chain, Report(quiet=True))
        changed = [r for r in again if r["body"] != bodies[r["id"]]]
        rules = Counter(x["rule"] for r in changed for x in r.get("removed") or [])
        top = ", ".join(f"{rule} {n}" for rule, n in rules.most_common(5))
        print(f"{kind:<9} {len(bodies):>6} {len(changed):>8}  {top}", flush=True)


if __name__ == "__main__":
    main()
