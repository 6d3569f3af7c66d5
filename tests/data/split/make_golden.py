# ruff: noqa: E501  (hand-judged sample strings stay whole)
"""Write tests/data/split/<id>.json: split's input (strip's output on the sample,
frozen) and the fields judged by hand. The expected body is the input body with the
hand-listed pieces taken out (whole paragraphs, or the dateline prefix of the lede)."""

import json
import subprocess
import sys
from pathlib import Path

# the checkout this file is in: tests/data/split/ -> the project root
root = Path(__file__).resolve().parents[3]
out = subprocess.run(
    f"{sys.executable} -m newsclean ingest samples/ | {sys.executable} -m newsclean strip",
    shell=True,
    capture_output=True,
    text=True,
    cwd=root,
    check=True,
).stdout
records = {json.loads(line)["id"]: json.loads(line) for line in out.splitlines()}

EMPTY = dict(
    title=None,
    section=None,
    standfirst=None,
    dateline=None,
    byline=[],
    published=None,
    updated=None,
    timestamps=[],
    captions=[],
    headings=[],
    sources=[],
)
judged = {
    "000_f2758428cd47c469": dict(
        section="Middle east",
        title="Washington strengthens its security and military cooperation with Baghdad to curb Tehran’s influence",
        standfirst="Iraq and the United States emphasize the need to support the mature bilateral strategic partnership and build upon the foundation established by previous bilateral discussions, including strategic dialogue",
        _removed=[
            ("Middle east", "split:section"),
            (
                "Washington strengthens its security and military cooperation with Baghdad to curb Tehran’s influence",
                "split:title",
            ),
            (
                "Iraq and the United States emphasize the need to support the mature bilateral strategic partnership and build upon the foundation established by previous bilateral discussions, including strategic dialogue",
                "split:standfirst",
            ),
        ],
    ),
    "001_1aacb8dbb6810538": dict(
        dateline="Washington, D.C.",
        headings=[
            "Strengthening Bilateral Ties",
            "A New Phase of Collaboration",
            "Future Prospects",
            "The Takeaway",
        ],
        sources=["Sources: THX News & US Department of Defense."],
        _removed=[
            ("Washington, D.C. –", "split:dateline"),
            ("Sources: THX News & US Department of Defense.", "split:sources"),
        ],
    ),
    "002_86ffe86b06bc2f2f": dict(
        title="US-Iraq security coordination may have implications for fight against ISIS",
        headings=["Confronting ISIS", "Timing"],
        _removed=[
            (
                "US-Iraq security coordination may have implications for fight against ISIS",
                "split:title",
            )
        ],
    ),
    "003_c7a34f3ac6bed77e": dict(
        title="US, Iraq reach understanding on new phase of security ties",
        timestamps=[{"raw": "3 hours ago", "iso": None, "kind": "published"}],
        byline=["Rudaw"],
        dateline="ERBIL, Kurdistan Region",
        _removed=[
            ("US, Iraq reach understanding on new phase of security ties", "split:title"),
            ("3 hours ago", "split:date"),
            ("Rudaw", "split:byline"),
            ("ERBIL, Kurdistan Region -", "split:dateline"),
        ],
    ),
    "004_cc98e108fda8f715": dict(
        title="US and Iraq reaffirm military partnership",
        standfirst="Iraqi Minister of Defence Thabit Al Abbasi met his counterpart Lloyd Austin in Washington",
        captions=[
            {
                "text": "US Secretary of Defence Lloyd Austin, right, hosts Iraqi Minister of Defence Thabet Al Abbasi at the Pentagon in Arlington, Virginia.",
                "credit": "EPA",
            }
        ],
        updated="2023-08-08T22:37:00Z",
        timestamps=[
            {"raw": "August 08, 2023, 10:37 PM", "iso": "2023-08-08T22:37:00Z", "kind": "updated"}
        ],
        _removed=[
            ("US and Iraq reaffirm military partnership", "split:title"),
            (
                "Iraqi Minister of Defence Thabit Al Abbasi met his counterpart Lloyd Austin in Washington",
                "split:standfirst",
            ),
            (
                "US Secretary of Defence Lloyd Austin, right, hosts Iraqi Minister of Defence Thabet Al Abbasi at the Pentagon in Arlington, Virginia. EPA",
                "split:caption",
            ),
            ("Updated: August 08, 2023, 10:37 PM", "split:date"),
        ],
    ),
}
for rid, fields in judged.items():
    rec = records[rid]
    removed = fields.pop("_removed")
    paras = rec["body"].split("\n\n")
    for text, rule in removed:
        if rule == "split:dateline":
            i = next(i for i, p in enumerate(paras) if p.startswith(text))
            paras[i] = paras[i][len(text) :].lstrip()
        else:
            paras.remove(text)
    expected = {
        **EMPTY,
        **fields,
        "body": "\n\n".join(paras),
        "removed": rec["removed"] + [{"text": t, "rule": r} for t, r in removed],
    }
    golden = {
        "input": {k: rec[k] for k in ("id", "source", "url", "text", "body", "removed")},
        "expected": expected,
    }
    (root / "tests/data/split" / f"{rid}.json").write_text(
        json.dumps(golden, ensure_ascii=False, indent=1) + "\n"
    )
    print(rid, "ok")
