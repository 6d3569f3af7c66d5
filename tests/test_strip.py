"""strip over the line model: what a user sees of it on realistic small articles, the
samples and the CLI. The rules engine has its own file (test_strip_rules.py), the line
model's parts theirs (test_lines_*.py)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from newsclean.runtime.pipeline import run_sequential
from newsclean.runtime.report import Report
from newsclean.stages.base import OrderError
from newsclean.stages.chain import CleanConfig, clean_chain
from newsclean.stages.lines import roles as R
from newsclean.stages.lines.model import PASS2_NAMES
from newsclean.stages.split.stage import Split, StripSplit
from newsclean.stages.strip.stage import Strip

from .conftest import SAMPLES, parse_jsonl, validate

DATA = Path(__file__).parent / "data" / "strip"
SAMPLE_IDS = sorted(p.name.split(".")[0] for p in SAMPLES.glob("*.txt"))

PROSE = [
    "The ministry said on Tuesday that the talks had covered training, equipment and the "
    "future of the coalition, and that both sides wanted to meet again before the end of the year.",
    "Officials from both countries described the meeting as constructive, although several "
    "questions about the timetable for the withdrawal of foreign troops were left open.",
    "Analysts in Baghdad said the statement reflected a compromise between the government and "
    "the armed factions that have pressed for the departure of American forces since 2020.",
]
#: A longer article: the six paragraphs a behaviour test sets its lines after.
ARTICLE = [*PROSE, *PROSE]


def sample(sample_id: str) -> str:
    return (SAMPLES / f"{sample_id}.txt").read_text(encoding="utf-8")


def rec(record_id: str, text: str, **more: object) -> dict[str, Any]:
    """A record as ingest makes it."""
    source = {"path": f"{record_id}.txt", "line": None, "format": "text", "sha256": "0" * 64}
    return {"id": record_id, "source": source, "text": text, **more}


def strip_text(text: str) -> dict[str, Any]:
    record = Strip().apply(rec("t", text))
    validate(record)
    return record


def paragraphs(text: str) -> list[str]:
    return strip_text(text)["body"].split("\n\n")


def _data_lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


# ------------------------------------------------------------------ golden samples

#: The judged golden bodies the model does not give yet, line by line (the lead judges
#: each difference; the files are not regenerated from output).
GOLDEN_DIFFS = {
    "000_f2758428cd47c469": "line model: drops the kicker 'Middle east' (golden keeps it for "
    "split)",
    "001_1aacb8dbb6810538": "line model: keeps the broken table's cells with their trailing bar "
    "('Components of the U.S.-Iraq Security Cooperation |', 'Equipment |', 'Strategic Planning "
    "|'; golden: without the bar) and drops the cells 'Area', 'Military Training'; drops "
    "'Sources: THX News & US Department of Defense.'",
    "002_86ffe86b06bc2f2f": "line model: reflow joins the headline with the first paragraph "
    "('US-Iraq security coordination may have implications for fight against ISIS Iraq has "
    "held talks ...'); the wrapped heading 'Confronting' / 'ISIS' stays two paragraphs",
    "003_c7a34f3ac6bed77e": "line model: drops '3 hours ago' and 'Rudaw' (golden keeps them for "
    "split); keeps three lines of the comment policy ('Rudaw moderates all comments ...', 'To "
    "be approved for publication ...', 'We will not tolerate ...')",
    "004_cc98e108fda8f715": "line model: drops the headline 'US and Iraq reaffirm military "
    "partnership', the standfirst 'Iraqi Minister of Defence Thabit Al Abbasi met ...' and the "
    "paragraph 'The US and Iraq are looking to expand their relationship beyond ...'",
}


def _golden_param(sample_id: str) -> Any:
    reason = GOLDEN_DIFFS.get(sample_id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(sample_id, marks=marks, id=sample_id[:3])


@pytest.mark.parametrize("sample_id", [_golden_param(s) for s in SAMPLE_IDS])
def test_sample_body_is_the_judged_golden_body(sample_id: str) -> None:
    expected = (DATA / f"{sample_id}.body.txt").read_text(encoding="utf-8").rstrip("\n")
    record = strip_text(sample(sample_id))
    assert record["body"].split("\n\n") == expected.split("\n\n")


def test_every_golden_difference_names_a_sample() -> None:
    assert set(GOLDEN_DIFFS) <= set(SAMPLE_IDS)


@pytest.mark.parametrize("sample_id", SAMPLE_IDS)
def test_removed_lines_name_a_role_and_text_is_unchanged(sample_id: str) -> None:
    text = sample(sample_id)
    record = strip_text(text)
    assert record["text"] == text
    for removed in record["removed"]:
        assert removed["rule"] in R.BOILERPLATE
        # Blank and NBSP-only lines are not "removed": they were never text.
        assert removed["text"].strip()
        assert removed["text"] not in record["body"].split("\n\n")


@pytest.mark.parametrize("sample_id", SAMPLE_IDS)
def test_strip_twice_is_strip_once(sample_id: str) -> None:
    once = strip_text(sample(sample_id))
    assert Strip().apply(once) == once
    assert once["stages"] == ["strip"]


def test_body_paragraphs_are_separated_by_exactly_one_blank_line() -> None:
    for sample_id in SAMPLE_IDS:
        body = strip_text(sample(sample_id))["body"]
        assert "\n\n\n" not in body
        assert all(p and p == p.strip() and "\n" not in p for p in body.split("\n\n"))


def test_the_record_keeps_fields_strip_does_not_know() -> None:
    record = Strip().apply(rec("a", "\n".join(PROSE), custom={"k": [1, 2]}, url="https://x.y/a"))
    assert record["custom"] == {"k": [1, 2]} and record["url"] == "https://x.y/a"
    assert record["body"].split("\n\n") == PROSE


# --------------------------------------------------------- lines that must survive

NEGATIVES = _data_lines("negatives.txt")
#: Negative lines the model drops from the article, named one by one (the count shows).
DROPPED = _data_lines("negatives_dropped.txt")
POSITIVES = [tuple(line.split("\t", 1)) for line in _data_lines("positives.txt")]
#: Positive lines the model keeps in the body, one by one.
KEPT = _data_lines("positives_kept.txt")


def _in_article(line: str) -> str:
    return "\n\n".join([PROSE[0], PROSE[1], line, PROSE[2], PROSE[0]])


def test_the_data_files_hold_enough_lines_and_the_xfail_lists_name_real_ones() -> None:
    assert len(NEGATIVES) >= 30 and len(POSITIVES) >= 20
    assert set(DROPPED) <= set(NEGATIVES)
    assert set(KEPT) <= {line for _, line in POSITIVES}


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(
            line,
            marks=[pytest.mark.xfail(strict=True, reason="line model: drops this article line")]
            if line in DROPPED
            else [],
        )
        for line in NEGATIVES
    ],
)
def test_an_article_like_line_survives_unchanged(line: str) -> None:
    """The negative set: quotes, one-line paragraphs, list items, subheadings, short
    sentences and sentences that start with a chrome word, inside an article."""
    assert line in paragraphs(_in_article(line))


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(
            line,
            marks=[pytest.mark.xfail(strict=True, reason="line model: keeps this chrome line")]
            if line in KEPT
            else [],
        )
        for _, line in POSITIVES
    ],
)
def test_a_boilerplate_line_goes_with_a_boilerplate_role(line: str) -> None:
    """The positive set: real chrome lines (calls to action, teaser and comment headings)
    go wherever they stand in an article, with the role the model gave them."""
    record = strip_text(_in_article(line))
    assert line not in record["body"].split("\n\n")
    (removed,) = [r for r in record["removed"] if r["text"] == line]
    assert removed["rule"] in R.BOILERPLATE


# ------------------------------------------------------ behaviour on small articles


@pytest.mark.xfail(
    strict=True,
    reason="line model: drops a two-line article whole ('Police closed the bridge.' / 'It "
    "reopened at noon.'): body empty",
)
def test_a_short_article_is_kept_whole() -> None:
    assert strip_text("It rained.")["body"] == "It rained."
    assert paragraphs("Police closed the bridge.\nIt reopened at noon.") == [
        "Police closed the bridge.",
        "It reopened at noon.",
    ]


@pytest.mark.xfail(
    strict=True,
    reason="line model: drops the headline above 'By Jane Doe' (title lines are split's to take)",
)
def test_split_lines_stay_for_split() -> None:
    text = "\n".join(
        [
            "Headline about the talks in Washington",
            "By Jane Doe",
            "September 4, 2025",
            *PROSE,
        ]
    )
    body = paragraphs(text)
    for line in ("Headline about the talks in Washington", "By Jane Doe", "September 4, 2025"):
        assert line in body


def test_source_and_update_lines_after_the_article_stay_for_split() -> None:
    text = "\n".join(
        [*PROSE, "Sources: THX News & US Department of Defense.", "Updated: August 08, 2023"]
    )
    body = paragraphs(text)
    assert "Sources: THX News & US Department of Defense." in body
    assert "Updated: August 08, 2023" in body


@pytest.mark.xfail(
    strict=True,
    reason="line model: keeps the bio line 'Dennis Moons is the founder and lead instructor ...'",
)
def test_an_author_bio_after_the_article_goes() -> None:
    bio = [
        "Dennis Moons",
        "Dennis Moons is the founder and lead instructor at Store Growers.",
        "He's a Google Ads expert with over 12 years of experience in running Google Ads "
        "campaigns.",
    ]
    record = strip_text("\n".join([*ARTICLE, *bio]))
    assert record["body"].split("\n\n") == ARTICLE
    assert {r["rule"] for r in record["removed"]} <= set(R.BOILERPLATE)


@pytest.mark.xfail(
    strict=True,
    reason="line model: removes the box but also the last three paragraphs (ARTICLE repeats its "
    "three paragraphs)",
)
def test_a_box_about_the_author_after_the_article_goes() -> None:
    box = [
        "Rebecca Norris",
        "Contributing Writer",
        "Rebecca Norris lives in the Washington, D.C. metro area and has covered travel, "
        "home and beauty for more than ten years.",
    ]
    assert paragraphs("\n".join([*ARTICLE, *box])) == ARTICLE


@pytest.mark.xfail(
    strict=True,
    reason="line model: removes the blurb but also the last three paragraphs (ARTICLE repeats its "
    "three paragraphs)",
)
def test_an_about_the_site_blurb_after_the_article_goes() -> None:
    about = [
        "About Cloudtango",
        "Cloudtango is a directory helping businesses connect with managed service providers "
        "across the globe.",
    ]
    assert paragraphs("\n".join([*ARTICLE, *about])) == ARTICLE


@pytest.mark.xfail(strict=True, reason="line model: keeps teaser cards with cut-off excerpts")
def test_teaser_cards_with_cut_off_excerpts_after_the_article_go() -> None:
    cards = [
        "Budget vs. Premium Earbuds: What’s the Difference?",
        "In 2025, earbuds come in every flavor, from $20 steals to $300 flagships. "
        "But does more money alw...",
        "Home office inspirations: a workspace for two",
        "Sharing a home office can turn out to be quite a logistical experiment. "
        "It’s not just two ...",
    ]
    assert paragraphs("\n".join([*ARTICLE, *cards])) == ARTICLE


@pytest.mark.xfail(
    strict=True,
    reason="line model: keeps a comment ('I think the ministry said ...') and drops the article's "
    "last paragraph",
)
def test_comments_after_the_article_go_with_their_heading() -> None:
    comments = ["Comments", *(p.replace("The", "I think the", 1) for p in PROSE * 3)]
    assert paragraphs("\n".join([*PROSE, *comments])) == PROSE


@pytest.mark.xfail(strict=True, reason="line model: keeps 'X says:' comments and their times")
def test_readers_comments_headed_by_name_says_and_a_time_go() -> None:
    comments = [
        "Palash Goyal says:",
        "August 1, 2020 at 3:45 am",
        "Very insightful, helps remove the fear of trying to write the perfect essay",
        "rr says:",
        "November 6, 2020 at 6:20 am",
        "I am so touched!!",
    ]
    assert paragraphs("\n".join([*ARTICLE, *comments])) == ARTICLE


def test_a_quote_introduced_by_says_is_body() -> None:
    quote = ["The minister says:", "We will not leave before the work is done, whatever it costs."]
    assert paragraphs("\n".join([*ARTICLE, *quote])) == [*ARTICLE, *quote]


@pytest.mark.xfail(
    strict=True,
    reason="line model: keeps 2 of 11 paragraphs: drops the profile and most of the article "
    "(ARTICLE repeats its three paragraphs)",
)
def test_a_profile_inside_the_article_is_body() -> None:
    """A name line over a paragraph on that person, with the article going on after it."""
    profile = [
        "Maria Lopez",
        "Maria Lopez runs the county food bank, which feeds 300 families a week.",
    ]
    text = "\n".join([*ARTICLE, *profile, *PROSE])
    assert paragraphs(text) == [*ARTICLE, *profile, *PROSE]


@pytest.mark.xfail(
    strict=True,
    reason="line model: drops 'The Bottom Line', its paragraph and a repeated paragraph (ARTICLE "
    "repeats its three paragraphs)",
)
def test_a_subheading_and_a_closing_paragraph_are_body() -> None:
    end = ["The Bottom Line", "The ways in which writers reach readers have changed for good."]
    assert paragraphs("\n".join([*ARTICLE, *end])) == [*ARTICLE, *end]


@pytest.mark.xfail(strict=True, reason="line model: keeps the grid of story cards")
def test_a_grid_of_story_cards_after_the_article_goes() -> None:
    cards = [
        "Best Backpacking Quilts of 2026",
        "Best Backpacking Quilts of 2026",
        "From the deep forests of the coastal Pacific Northwest to Arizona’s desert, we’ve "
        "vetted the best backpacking quilts.",
        "Best Baby Backpack Carriers for Hiking of 2026",
        "Best Baby Backpack Carriers for Hiking of 2026",
        "Explore the top baby backpack carriers ideal for hiking and outdoor adventures.",
    ]
    assert paragraphs("\n".join([*ARTICLE, *cards])) == ARTICLE


@pytest.mark.xfail(strict=True, reason="line model: keeps the menu item 'Politics'")
def test_menus_above_and_footer_below_go() -> None:
    menu = ["Home", "World", "Politics", "Business", "Culture", "Sport", "Opinion"]
    text = "\n".join(
        [
            "Skip to content",
            *menu,
            "",
            *PROSE,
            "",
            "About us",
            "Careers",
            "Contact the newsroom",
            "© 2025 The Daily Example. All rights reserved.",
        ]
    )
    record = strip_text(text)
    assert record["body"].split("\n\n") == PROSE
    assert {r["text"] for r in record["removed"]} >= {"Politics", "Contact the newsroom"}


@pytest.mark.xfail(
    strict=True,
    reason="line model: keeps 1 of 4 paragraphs: drops the two after the lede and the repeat of "
    "the lede",
)
def test_a_teaser_block_inside_an_article_goes_with_its_links() -> None:
    text = "\n".join(
        [
            PROSE[0],
            PROSE[1],
            "Read more",
            "Iraq and Syria sign a water deal",
            "Oil exports rise in July",
            PROSE[2],
            PROSE[0],
        ]
    )
    assert paragraphs(text) == [PROSE[0], PROSE[1], PROSE[2], PROSE[0]]


@pytest.mark.xfail(
    strict=True, reason="line model: drops the list's heading 'What the talks covered'"
)
def test_share_buttons_at_the_end_of_extracted_text_go_but_its_list_stays() -> None:
    """Text extract isolated from a page ends with the article's own list, then the
    share bar: only the share bar goes."""
    items = ["- Training of the new brigades", "- Air defence equipment", "- The timetable"]
    text = "\n\n".join([*PROSE, "What the talks covered", *items, "Share", "Tweet"])
    record = Strip().apply(rec("html", text, provenance={"text": "trafilatura"}))
    assert record["body"].split("\n\n") == [*PROSE, "What the talks covered", *items]
    assert [r["text"] for r in record["removed"]] == ["Share", "Tweet"]


def test_all_boilerplate_gives_an_empty_body() -> None:
    out = strip_text("Share\nTweet\nEmail\nPrint")
    assert out["body"] == ""
    assert [r["text"] for r in out["removed"]] == ["Share", "Tweet", "Email", "Print"]


def test_adversarial_lines_give_a_record() -> None:
    """Degenerate lines (no regex may backtrack on them) still give a valid record whose
    closing sentence survives."""
    lines = {
        "one character": "a" * 100_000,
        "brackets": "(" * 10_000 + ")" * 10_000,
        "spaces": "x" + " " * 100_000 + "y",
        "spaces and words": "word " * 50_000,
        "pipes and dashes": "-|" * 50_000,
        "many short lines": "Menu\n" * 5_000,
        "date-like": "May 1 " * 20_000,
        "by by": "By " * 30_000,
    }
    for line in lines.values():
        record = strip_text("Title\n\n" + line + "\n\n" + PROSE[0])
        assert len(record["body"]) + sum(len(r["text"]) for r in record["removed"]) > 0


# --------------------------------------------------------------- batch evidence

CHROME = "Independent journalism from the Daily Example since 1887"
#: A wire story syndicated across the drop: recurring prose, which is body.
WIRE = (
    "The central bank raised its main interest rate by a quarter of a point on Thursday, "
    "saying that inflation had stayed above its target for longer than it had expected."
)
STORIES = [
    "The city council voted on Tuesday to approve a new budget that raises spending on "
    "schools and roads, after a long debate that ran late into the night.",
    "Farmers in the north of the country said the late frost had destroyed much of the "
    "apple harvest, and asked the government for help before the winter.",
    "The museum reopened its east wing after a renovation that took three years and cost "
    "more than twice what the city had planned to spend on it.",
    "A new ferry line between the two islands will start in May, the operator said, with "
    "four crossings a day in summer and two in the winter months.",
    "The football club confirmed that its coach would leave at the end of the season, "
    "after six years in which the team won the league twice.",
]


def _drop(n: int, line: str) -> list[dict[str, Any]]:
    return [
        rec(f"a{i}", "\n".join([PROSE[i % 3], line, STORIES[i % 5], f"Story number {i} ends."]))
        for i in range(n)
    ]


def _batch(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = list(run_sequential(records, [Strip()], Report(quiet=True)))
    for record in out:
        validate(record)
    return out


@pytest.mark.xfail(
    strict=True, reason="line model: keeps a tagline recurring in all 25 articles of the drop"
)
def test_a_line_recurring_across_the_drop_is_chrome() -> None:
    for record in _batch(_drop(25, CHROME)):
        assert CHROME not in record["body"]
        assert STORIES[int(record["id"][1:]) % 5] in record["body"]


def test_recurring_prose_across_the_drop_is_body() -> None:
    """Syndicated wire copy in every article of the drop is not chrome."""
    for record in _batch(_drop(25, WIRE)):
        assert WIRE in record["body"].split("\n\n")


def test_the_same_line_alone_is_judged_by_its_shape() -> None:
    (alone,) = _batch(_drop(1, WIRE))
    assert WIRE in alone["body"].split("\n\n")


def test_stage_and_evidence_pickle() -> None:
    stage = Strip()
    evidence = stage.reduce(stage.map(r) for r in _drop(4, CHROME))
    again = pickle.loads(pickle.dumps(stage))
    record = _drop(1, CHROME)[0]
    assert again.apply(record, pickle.loads(pickle.dumps(evidence))) == stage.apply(
        record, evidence
    )


def test_map_summary_is_small_and_deterministic() -> None:
    record = rec("x", sample("000_f2758428cd47c469"))
    part = Strip().map(record)
    assert part == Strip().map(record)
    assert all(isinstance(h, int) for h in part)
    assert part == sorted(set(part))
    assert len(part) <= record["text"].count("\n") + 1


# -------------------------------------------------------------- records and CLI


def test_html_record_stops_the_run_naming_extract() -> None:
    """#17: strip on a page extract has not been through would make an empty body."""
    record = rec("h", "x", html="<p>hi</p>")
    del record["text"]
    with pytest.raises(OrderError, match="extract must come before strip"):
        Strip().apply(record)


def test_clean_runs_strip_and_split_in_one_labelling() -> None:
    (both,) = [s for s in clean_chain(CleanConfig()) if isinstance(s, StripSplit)]
    assert both.covers == ("strip",)
    record = rec("a", sample("003_c7a34f3ac6bed77e"))
    once = both.apply(record)
    assert once == Split().apply(Strip().apply(record))
    assert once["stages"] == ["strip", "split"]


def test_cli_strip_samples(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("strip", str(SAMPLES))
    assert result.exit_code == 0, result.stderr
    records = parse_jsonl(result.stdout)
    assert [r["id"] for r in records] == SAMPLE_IDS
    for record in records:
        assert record["text"] == sample(record["id"])
        assert record["body"]


def test_cli_strip_reads_records_from_stdin(cli) -> None:  # type: ignore[no-untyped-def]
    ingest = cli("ingest", str(SAMPLES / "000_f2758428cd47c469.txt"))
    result = cli("strip", input=ingest.stdout)
    assert result.exit_code == 0, result.stderr
    (record,) = parse_jsonl(result.stdout)
    assert "Show More" not in record["body"].split("\n\n")
    assert {"text": "Show More", "rule": "menu"}.keys() == record["removed"][0].keys()


def _explain_rows(out: str) -> list[list[str]]:
    return [line.split(None, 2) for line in out.splitlines() if not line.startswith("#")]


def test_cli_explain_shows_each_unit_with_role_probability_and_features(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("strip", str(SAMPLES), "--explain", "--id", "003_c7a34f3ac6bed77e")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert not out.startswith("{")
    assert "003_c7a34f3ac6bed77e" in out.splitlines()[0]
    rows = _explain_rows(out)
    record = strip_text(sample("003_c7a34f3ac6bed77e"))
    units = len(record["body"].split("\n\n")) + len(record["removed"])
    assert len(rows) == units
    for role, prob, _rest in rows:
        assert role in R.ROLES
        assert 0.0 <= float(prob) <= 1.0
    # the features that weighed most for the role: their names and contributions
    line = next(r for r in rows if r[2].endswith("A+ A-"))
    assert line[0] in R.BOILERPLATE
    weighed = re.findall(r"([\w+-]+) \+(\d+\.\d\d)", line[2])
    assert weighed and all(name in PASS2_NAMES and float(v) > 0 for name, v in weighed)
    body = next(r for r in rows if "ERBIL, Kurdistan Region - US" in r[2])
    assert body[0] == R.BODY and float(body[1]) > 0.5
    first = cli("strip", str(SAMPLES), "--explain")
    assert "000_f2758428cd47c469" in first.stdout.splitlines()[0]
    missing = cli("strip", str(SAMPLES), "--explain", "--id", "nope")
    assert missing.exit_code == 1


def test_cli_user_rules_override_the_model(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "mine.rules"
    line = "Mr Al Abbasi's visit follows a visit by Mr Austin to Baghdad in March."
    kept = "The two officials also discussed the future of the coalition."
    text = "\n\n".join([*PROSE, line, kept])
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    rules.write_text(f"# my site\nline my-site {line}\n", encoding="utf-8")
    result = cli("strip", str(tmp_path / "a.txt"), "--rules", str(rules))
    (record,) = parse_jsonl(result.stdout)
    assert line not in record["body"]
    assert {"text": line, "rule": "other:my-site"} in record["removed"]
    assert record["body"].split("\n\n") == [*PROSE, kept]
    explained = cli("strip", str(tmp_path / "a.txt"), "--rules", str(rules), "--explain")
    row = next(r for r in _explain_rows(explained.stdout) if "Al Abbasi" in r[2])
    assert row[:2] == ["other", "1.00"] and "your rule my-site" in row[2]


def test_cli_bad_rules_file_is_a_clear_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "bad.rules"
    rules.write_text("nonsense\n", encoding="utf-8")
    result = cli("strip", str(SAMPLES), "--rules", str(rules))
    assert result.exit_code == 1
    assert "bad.rules:1" in result.stderr
    missing = cli("strip", str(SAMPLES), "--rules", str(tmp_path / "absent.rules"))
    assert missing.exit_code == 1
    assert "absent.rules" in missing.stderr


@pytest.mark.parametrize("option", ["--min-batch", "--settle-rounds"])
def test_cli_options_of_the_cascade_are_gone(cli, option: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("strip", str(SAMPLES), option, "3")
    assert result.exit_code == 2
    assert option in result.output


def test_cli_clean_gives_the_strip_body(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("clean", str(SAMPLES))
    assert result.exit_code == 0, result.stderr
    records = parse_jsonl(result.stdout)
    assert all("body" in r for r in records)


# A buying guide as trafilatura gives it: an intro, then a dozen short product lines,
# then the long paragraphs.
OPENING = [
    "Building a home gym does not have to be expensive, whatever your budget.",
    "Home Gym Setup for $500",
    "Key Focus: Versatility and portability",
    "- Compact Weight Bench",
    "Brand Recommendation: Echo Strength Flat Bench",
    "Price: $299",
    "A solid, space-saving bench is perfect for presses and step-ups.",
    "- Adjustable Dumbbells",
    "Brand Recommendation: CAP Barbell Adjustable Dumbbells Set",
    "Price: $150",
    "A cost-effective set, compact, durable and ideal for basic training.",
    "- Jump Rope",
    "Price: $30",
    "Total Cost: Around $500",
]


@pytest.mark.xfail(
    strict=True,
    reason="line model: drops one copy of a repeated paragraph (ARTICLE repeats its three "
    "paragraphs)",
)
def test_extracted_text_keeps_its_short_lines_above_the_prose() -> None:
    text = "\n\n".join(OPENING + ARTICLE)
    out = Strip().apply(rec("html", text, provenance={"text": "trafilatura"}))
    assert out["body"].split("\n\n") == OPENING + ARTICLE
    assert out["removed"] == []
