"""strip on text ``extract`` isolated from a page: what lies above the densest prose is
the article's own opening, not the page's head."""

from __future__ import annotations

from newsclean.stages.strip.stage import Strip

from .test_strip import PROSE, rec

# A buying guide as trafilatura gives it: an intro, then a dozen short product lines,
# then the long paragraphs the layout scorer takes for the article's core.
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
TEXT = "\n\n".join(OPENING + PROSE * 2)


def test_extracted_text_keeps_more_than_eight_lines_above_the_prose() -> None:
    out = Strip().apply(rec("html", TEXT, provenance={"text": "trafilatura"}))
    for line in OPENING:
        assert line in out["body"]
    assert out["removed"] == []


def test_a_page_dump_still_loses_what_lies_far_above_the_prose() -> None:
    out = Strip().apply(rec("page", TEXT))
    removed = [r["text"] for r in out["removed"]]
    assert "Key Focus: Versatility and portability" in removed
    assert "Total Cost: Around $500" in out["body"]  # the lines right above stay
