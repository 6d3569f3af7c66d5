"""Print one short block per record of a newsclean JSONL file (used by `make demo`)."""

from __future__ import annotations

import json
import sys
import textwrap


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            body = r.get("body") or ""
            print(f"== {r['id']}  [{r.get('lang')}]")
            for field in ("section", "title", "standfirst", "byline", "dateline", "updated"):
                if r.get(field):
                    print(f"   {field:<10} {r[field]}")
            for caption in r.get("captions") or []:
                print(f"   caption    {caption['text'][:70]}... ({caption['credit']})")
            people = sorted({m["canonical"] for m in r.get("names") or []})
            print(f"   people     {', '.join(people)}")
            paragraphs = body.count("\n\n") + 1 if body else 0
            removed = len(r.get("removed") or [])
            print(f"   body       {paragraphs} paragraphs, {removed} lines removed")
            print(textwrap.indent(textwrap.fill(body[:240] + "...", 90), "   | "))


if __name__ == "__main__":
    main(sys.argv[1])
