from __future__ import annotations

import gzip
import json
import time
from pathlib import Path
from typing import Any

import pytest

from newsclean.errors import Reject
from newsclean.stages.extract import body as htmlbody
from newsclean.stages.extract.stage import ExtractConfig, ExtractStage

from .conftest import parse_jsonl, validate

PAGES = Path(__file__).parent / "data" / "html"


def _html_record(html: str, record_id: str = "p") -> dict[str, Any]:
    return {
        "id": record_id,
        "source": {"path": f"{record_id}.html", "line": None, "format": "html", "sha256": "0" * 64},
        "url": None,
        "html": html,
    }


def _page(name: str) -> str:
    return gzip.decompress((PAGES / name).read_bytes()).decode("utf-8")


def _extract(html: str, **options: Any) -> dict[str, Any]:
    out = ExtractStage(ExtractConfig(**options)).apply(_html_record(html))
    validate(out)
    return out


# --- real pages (expected values checked by hand against each page) -------------------


@pytest.fixture(scope="module")
def dtphx() -> dict[str, Any]:
    return ExtractStage().apply(_html_record(_page("dtphx-0898.html.gz")))


def test_real_page_metadata(dtphx: dict[str, Any]) -> None:
    validate(dtphx)
    assert dtphx["title"] == "23 New Businesses Now Open in Downtown Phoenix"
    assert dtphx["byline"] == ["Haley Hoekstra"]
    assert dtphx["published"].startswith("2025-03-12")
    assert dtphx["site"] == "DTPHX.org"
    assert dtphx["url"] == "https://dtphx.org/post/23-new-businesses-now-open-in-downtown-phoenix"
    assert set(dtphx["provenance"]) >= {"title", "byline", "published", "url"}
    # strip reads this to treat the text as a page's main content, not a page dump
    assert dtphx["provenance"]["text"] == "trafilatura"


def test_real_page_captions_with_credits(dtphx: dict[str, Any]) -> None:
    # <figcaption>... Ricemill is reimagining ... (Photo Credit: Melissa Zink Photography)
    first = dtphx["captions"][0]
    assert first["text"].startswith("Combining chef-curated signature bowls")
    assert first["text"].endswith("for today’s diner.")
    assert first["credit"] == "Melissa Zink Photography"
    assert {"text": first["text"], "credit": "Haley Hoekstra"} not in dtphx["captions"]
    assert sum(c["credit"] == "Haley Hoekstra" for c in dtphx["captions"]) >= 2


def test_real_page_text_is_blocks_and_html_is_dropped(dtphx: dict[str, Any]) -> None:
    assert "html" not in dtphx
    blocks = dtphx["text"].split("\n\n")
    assert len(blocks) > 10
    assert all(block.strip() == block and block for block in blocks)
    assert any(b.startswith("A new wave of businesses is bringing fresh energy") for b in blocks)
    assert "<" not in dtphx["text"][:2000]


@pytest.mark.parametrize(
    ("name", "title", "byline", "date", "caption", "credit"),
    [
        (
            "businessweekly-0456.html.gz",
            "Human input crucial to maximise effectiveness of AI, says new research",
            ["Newsdesk"],
            "2025-12-19",
            "Yeun Joon Kim of Cambridge Judge Business School.",
            None,
        ),
        (
            "nsf-4515.html.gz",
            "Climate change problem solvers: Startups with solutions",
            ["Jason Bates"],
            "2021-06-03",
            "Biomason uses bacteria in its brick-making process to cut the amount of "
            "emissions created during production.",
            "Biomason",
        ),
        (
            "earthorg-4511.html.gz",
            "4 Emerging Technologies That Are Helping Us in the Fight Against Climate Change",
            ["Harsh Vaibhav"],
            "2025-05-02",
            "Photovoltaic power station covering valleys and hillsides in Andalucia, Spain.",
            "Andrew Watson / Climate Visuals Countdown",
        ),
    ],
)
def test_more_real_pages(
    name: str, title: str, byline: list[str], date: str, caption: str, credit: str | None
) -> None:
    out = _extract(_page(name))
    assert out["title"] == title
    assert out["byline"] == byline
    assert out["published"][:10] == date
    assert {"text": caption, "credit": credit} in out["captions"]
    assert len(out["text"]) > 1000


def test_keep_html_and_text_records_pass_through() -> None:
    html = _page("businessweekly-0456.html.gz")
    assert _extract(html, keep_html=True)["html"] == html
    text_record = {"id": "t", "source": {}, "text": "Plain text.", "title": "Mine"}
    assert ExtractStage().apply(text_record) is text_record


def test_what_the_record_holds_wins_and_extract_fills_the_gaps() -> None:
    record = {
        **_html_record(_page("businessweekly-0456.html.gz")),
        "url": "https://example.org/x",
        "title": "The vendor's title",
        "byline": [],
        "provenance": {"lang": "user"},
    }
    out = ExtractStage().apply(record)
    assert out["url"] == "https://example.org/x"
    assert out["title"] == "The vendor's title"
    assert out["byline"] == ["Newsdesk"]
    assert out["provenance"]["lang"] == "user"
    assert "url" not in out["provenance"] and "title" not in out["provenance"]
    assert out["provenance"]["byline"] and out["provenance"]["captions"] == "figcaption"
    own = ExtractStage().apply({**record, "text": "The vendor's own text."})
    assert own["text"] == "The vendor's own text." and "text" not in own["provenance"]


# --- structured sources --------------------------------------------------------------

_LD_PAGE = """<!DOCTYPE html><html><head>
<title>Storm hits coast | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="og:title" content="Storm hits coast - The Daily Example">
<meta property="article:published_time" content="2024-03-05T08:00:00+01:00">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "The Daily Example"},
 {"@type": "NewsArticle", "headline": "Storm hits coast",
  "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chan"}],
  "datePublished": "2024-03-05T08:00:00+01:00", "dateModified": "2024-03-06T10:30:00+01:00"}
]}</script></head><body>
<header><h1>The Daily Example</h1></header>
<article><h1>Storm hits coast</h1>
<p>The storm reached the coast on Tuesday morning, flooding roads in three towns and
cutting power to thousands of homes along the shore, officials said.</p>
<p>Emergency crews worked through the night to clear debris and restore electricity,
and schools in the area stayed closed on Wednesday as a precaution.</p>
<h2>What comes next</h2>
<p>Forecasters expect calmer weather by the weekend, though rivers may keep rising for
another day as rain drains from the hills above the towns.</p>
<figure><img src="a.jpg"><figcaption>A flooded street in Seaview. <span class="credit">Photo:
Reuters</span></figcaption></figure>
</article></body></html>"""


def test_json_ld_graph_and_meta() -> None:
    out = _extract(_LD_PAGE)
    assert out["title"] == "Storm hits coast"
    assert out["byline"] == ["Ann Lee", "Bo Chan"]
    assert out["published"] == "2024-03-05T08:00:00+01:00"
    assert out["updated"] == "2024-03-06T10:30:00+01:00"
    assert out["site"] == "The Daily Example"
    assert out["captions"] == [{"text": "A flooded street in Seaview.", "credit": "Reuters"}]
    assert out["provenance"]["byline"] == "json-ld"
    assert out["provenance"]["title"] == "h1+"
    blocks = out["text"].split("\n\n")
    assert "What comes next" in blocks
    assert any(b.startswith("The storm reached the coast") for b in blocks)


def test_comments_are_left_out() -> None:
    page = _LD_PAGE.replace(
        "</article>",
        '</article><section id="comments" class="comments"><h3>Comments</h3>'
        '<div class="comment"><p>Great article, thanks for writing this, I really enjoyed '
        "reading it all the way through to the end!</p></div></section>",
    )
    assert "Great article" not in _extract(page)["text"]


# --- bad HTML: an explained empty body or a reject, never a crash ------------------


@pytest.mark.parametrize(
    ("html", "warning"),
    [
        ("", "empty HTML"),
        ("   \n\t ", "empty HTML"),
        ("<html><head><title>Only a title</title></head></html>", "no <body>"),
        (
            "<html><head></head><body><script>var a = 1; document.write('x');</script>"
            "<script src='b.js'></script></body></html>",
            "only scripts",
        ),
        ("<html><body><div></div></body></html>", "no visible text"),
    ],
)
def test_bad_html_gives_empty_text_with_a_warning(html: str, warning: str) -> None:
    out = _extract(html)
    assert out["text"] == ""
    assert any(warning in w for w in out["warnings"]), out["warnings"]


def test_no_body_keeps_the_title() -> None:
    out = _extract("<html><head><title>Only a title</title></head></html>")
    assert out["title"] == "Only a title"


def test_fragment_without_html_element() -> None:
    paragraph = "A fragment of a page with enough words in it to be taken as the main text."
    out = _extract(f"<p>{paragraph}</p><p>{paragraph} Again, and once more for length.</p>")
    assert paragraph in out["text"]


def test_binary_is_rejected() -> None:
    with pytest.raises(Reject, match="binary"):
        ExtractStage().apply(_html_record("\x00\x01\x02\x03" * 200))


def test_too_large_is_rejected_with_the_option_name() -> None:
    with pytest.raises(Reject, match=r"over the 1000-byte limit \(--max-html-bytes\)"):
        ExtractStage(ExtractConfig(max_html_bytes=1000)).apply(_html_record(_LD_PAGE))


def test_mojibake_from_a_wrong_charset_is_repaired() -> None:
    wrong = _LD_PAGE.replace(
        "Tuesday morning", "Tuesday morning — a café in Séte’s old port"
    ).encode("utf-8")
    out = _extract(wrong.decode("cp1252"))
    assert "café" in out["text"]
    assert any("mojibake" in w for w in out["warnings"])


def test_slow_page_is_rejected_with_its_reason(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the time bound is the runner's (--timeout, per article and stage)
    def slow(tree: Any, config: ExtractConfig) -> str:
        time.sleep(3)
        return "never"

    monkeypatch.setattr(htmlbody, "main_text", slow)
    page = tmp_path / "slow.html"
    page.write_text(_LD_PAGE, encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    started = time.perf_counter()
    result = cli("extract", str(page), "--timeout", "0.3", "--rejects", str(rejects))
    assert time.perf_counter() - started < 2.5
    assert result.exit_code == 1
    [row] = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert "timeout: extract took more than 0.3 s" in row["reason"]


# --- command line ------------------------------------------------------------------


def test_cli_ingest_then_extract(cli, tmp_path: Path) -> None:
    page = tmp_path / "storm.html"
    page.write_text(_LD_PAGE, encoding="utf-8")
    ingested = cli("ingest", str(page))
    assert ingested.exit_code == 0, ingested.stderr
    result = cli("extract", input=ingested.stdout)
    assert result.exit_code == 0, result.stderr
    [record] = parse_jsonl(result.stdout)
    assert record["id"] == "storm"
    assert record["title"] == "Storm hits coast"
    assert "html" not in record
    assert list(record)[:4] == ["id", "source", "url", "site"]


def test_cli_wrong_declared_charset_does_not_crash(cli, tmp_path: Path) -> None:
    page = tmp_path / "latin.html"
    page.write_bytes(
        _LD_PAGE.replace("<head>", '<head><meta charset="utf-8">')
        .replace("Tuesday morning", "Tuesday morning in Bézier")
        .encode("latin-1", errors="replace")
    )
    ingested = cli("ingest", str(page))
    result = cli("extract", input=ingested.stdout)
    assert result.exit_code == 0, result.stderr
    [record] = parse_jsonl(result.stdout)
    assert "flooding roads" in record["text"]
    assert record["warnings"]


def test_cli_oversized_page_goes_to_rejects(cli, tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_text(_LD_PAGE, encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    result = cli("extract", str(page), "--max-html-bytes", "500", "--rejects", str(rejects))
    assert result.exit_code == 1
    assert parse_jsonl(result.stdout) == []
    [row] = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert "--max-html-bytes" in row["reason"]


def test_clean_runs_extract_on_html(cli) -> None:
    result = cli("clean", str(PAGES / "nsf-4515.html.gz"))
    assert result.exit_code == 0, result.stderr
    [record] = parse_jsonl(result.stdout)
    assert record["title"] == "Climate change problem solvers: Startups with solutions"
    assert "html" not in record


def test_cli_fast_and_precision_options(cli, tmp_path: Path) -> None:
    page = tmp_path / "storm.html"
    page.write_text(_LD_PAGE, encoding="utf-8")
    for option in ("--fast", "--precision"):
        result = cli("extract", str(page), option)
        assert result.exit_code == 0, result.stderr
        [record] = parse_jsonl(result.stdout)
        assert "flooding roads" in record["text"], option


def test_visible_byline_and_date_under_the_headline() -> None:
    # no structured metadata at all: the lines under the <h1> are all there is
    body = " ".join(["The council voted on Monday to expand the harbour."] * 6)
    page = (
        "<html><head><title>Harbour to grow | Seaview Post</title></head><body>"
        "<nav><a href='/'>Home</a></nav><main><h1>Harbour to grow</h1>"
        "<div class='meta'><p>Written by</p><p>Maria Lopez</p><p>23.11.2024 · 4 min read</p></div>"
        f"<p>{body}</p><p>{body}</p></main></body></html>"
    )
    out = _extract(page)
    assert out["title"] == "Harbour to grow"
    assert out["byline"] == ["Maria Lopez"]
    assert out["published"] == "2024-11-23T00:00:00Z"  # a date alone: midnight UTC (#17)
    assert out["provenance"]["published"] == "header"


def test_clean_passes_the_extract_options(cli, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    page = str(PAGES / "nsf-4515.html.gz")
    result = cli("clean", page, "-j", "1", "--max-html-bytes", "1000", "--rejects", str(rejects))
    assert result.exit_code == 1
    assert "--max-html-bytes" in rejects.read_text()
    assert cli("clean", page, "-j", "1", "--fast").exit_code == 0


def test_a_short_recall_text_is_escalated_to_the_whole_article() -> None:
    """WCXB page 4526 (five setup steps): trafilatura's recall mode keeps only step 3,
    a small share of the page; its balanced mode with escalation finds all five."""
    html = _page("logitech-4526.html.gz")
    recall_only = htmlbody._trafilatura(htmlbody.parse(html), ExtractConfig(), recall=True)
    assert "SETUP STEP #1" not in recall_only and len(recall_only) < 1000
    text = _extract(html)["text"]
    for step in ("SETUP STEP #1", "SETUP STEP #3", "SETUP STEP #5"):
        assert f"\n\n{step}\n\n" in text
    assert text.startswith("Most of us spend up to 8+ hours a day at our desks")
