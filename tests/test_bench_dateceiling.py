"""The date-ceiling bench: is a gold date "in the page"? (bench/bench_dateceiling.py)"""

from __future__ import annotations

import pytest
from bench.bench_dateceiling import findable

GOLD = "2025-09-04"


@pytest.mark.parametrize(
    "page",
    [
        '<meta property="article:published_time" content="2025-09-04T12:50:36+00:00">',
        '<script>{"datePublished":"2025\\/09\\/04"}</script>',
        "<span>Sep&nbsp;4th, 2025</span>",
        "<p>Posted on 4 September 2025</p>",
        "<p>Publicado el 4 de septiembre de 2025</p>",
        "<p>4. September 2025</p>",
        "<p>4 sierpnia 2024</p><p>4 września 2025</p>",
        "<time>2025年9月4日</time>",
        "<p>09/04/2025</p>",
        "<p>04.09.25</p>",
        '<a href="/news/2025/09/04/slug">x</a>',
        '<a href="/2025/sep/04/slug">x</a>',
        "<p>20250904</p>",
    ],
)
def test_the_gold_day_written_in_an_absolute_form_is_found(page: str) -> None:
    assert findable(page, GOLD) == "strict"


@pytest.mark.parametrize(
    "page",
    [
        # a zoned time that is the 4th in UTC-5 (and the 5th in UTC)
        '<meta content="2025-09-05T03:30:00+00:00">',
        # a Unix timestamp in milliseconds: 2025-09-04T10:00:00Z
        "<script>var published = 1756980000000;</script>",
    ],
)
def test_a_zoned_time_or_timestamp_on_that_day_counts_as_shifted(page: str) -> None:
    assert findable(page, GOLD) == "shifted"


@pytest.mark.parametrize(
    "page",
    [
        "<p>Updated 3 days ago</p>",
        "<p>September 14, 2025</p><p>14/09/2025</p>",
        "<p>2025-09-14 and 2024-09-04</p>",
        "<p>Sep 4</p><footer>© 2025</footer>",
        "<p>v1.2025.09.041</p>",
    ],
)
def test_relative_other_or_yearless_dates_do_not_count(page: str) -> None:
    assert findable(page, GOLD) is None


def test_a_gold_that_is_not_a_whole_day_is_out_of_reach() -> None:
    assert findable("<p>2003-11-05</p>", "2003-11") is None
