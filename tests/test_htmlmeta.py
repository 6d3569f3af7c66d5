from __future__ import annotations

import pytest

from newsclean.stages.extract.bylines import clean_byline, split_byline
from newsclean.stages.extract.choose import strip_site_name
from newsclean.text.htmldates import date_in_url, find_dates, parse_date


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2025-09-04T12:50:36+00:00", "2025-09-04T12:50:36+00:00"),
        ("2025-09-04T12:50:36.123-0500", "2025-09-04T12:50:36-05:00"),
        ("2025-09-04", "2025-09-04"),
        ("September 4, 2025", "2025-09-04"),
        ("Sept. 4th, 2025", "2025-09-04"),
        ("4 Sep 2025", "2025-09-04"),
        ("Thu, 04 Sep 2025 10:00:00 GMT", "2025-09-04"),
        ("23.07.2025", "2025-07-23"),
        ("07/23/2025", "2025-07-23"),
        ("04/05/2025", None),  # day and month could be either way round
        ("2025-02-30", None),
        ("3 hours ago", None),
        ("", None),
    ],
)
def test_parse_date(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_find_dates_in_reading_order_and_url_dates() -> None:
    text = "Published June 1, 2024 · Updated 2024-06-03 by staff"
    assert find_dates(text) == ["2024-06-01", "2024-06-03"]
    assert date_in_url("https://x.org/2025/09/04/slug/") == "2025-09-04"
    assert date_in_url("https://x.org/posts/2025-top-10") is None
    assert date_in_url("https://x.org/articles/2025-12-15+Rust+GCC+backend") == "2025-12-15"
    assert date_in_url("https://x.org/blog/2023/october/03/wine-tasting") == "2023-10-03"
    assert date_in_url("https://x.org/blog/2023/october/32/x") is None


def test_dates_from_meta_names_and_date_classes() -> None:
    from trafilatura import load_html

    from newsclean.stages.extract.meta import collect

    page = load_html(
        "<html><head><meta name='published-date' content='2021-02-16'></head><body>"
        "<nav><span class='post-date'>May 1, 2020</span></nav>"
        "<h1>Headline</h1><span class='fusion-tb-published-date'>Published On: 15 August "
        "2025</span><div class='updated'>no date here</div><p>Text.</p></body></html>"
    )
    found = collect(page)["published"]
    assert ("meta", "2021-02-16") in found
    assert [v for s, v in found if s == "date-class"] == ["2025-08-15"]


@pytest.mark.parametrize(
    ("title", "sites", "expected"),
    [
        ("Storm hits coast | The Daily Example", ["The Daily Example"], "Storm hits coast"),
        ("The Daily Example - Storm hits coast", ["The Daily Example"], "Storm hits coast"),
        ("Best ROI projects | RenoFi | RenoFi", ["renofi.com", "renofi"], "Best ROI projects"),
        ("Storm hits coast – Seaview Post", [], "Storm hits coast"),
        ("Cats: a history", [], "Cats: a history"),
    ],
)
def test_strip_site_name(title: str, sites: list[str], expected: str) -> None:
    assert strip_site_name(title, sites) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("Written By: Cazzy Magennis Last Updated: August 1, 2025", "Cazzy Magennis"),
        ("Authored by: Dr. Ehsan Jazini", "Dr. Ehsan Jazini"),
        ("Summer Swann - June 12, 2025", "Summer Swann"),
        ("Dec. 19, 2025 · Niko Matsakis", "Niko Matsakis"),
        ("Everfit Team Nov 08, 2025 7 min read", "Everfit Team"),
        ("August 28, 2025 • 5 min read", ""),
        ("Updated August 14, 2025", ""),
        ("Insights from Liza Burke Marketing Director", "Liza Burke"),
        ("Mike Marshall, Shipping Expert", "Mike Marshall, Shipping Expert"),
    ],
)
def test_clean_byline(text: str, name: str) -> None:
    assert clean_byline(text) == name


def test_split_byline_drops_urls_handles_and_repeats() -> None:
    assert split_byline(["Ann Lee", "https://x.org/ann", "@annlee", "Ann Lee", "admin"]) == [
        "Ann Lee"
    ]


@pytest.mark.parametrize(
    ("under_headline", "source", "name"),
    [
        ("<p>By <a href='/c/a_j_neal'>A. J. Neal</a></p>", "header", "A. J. Neal"),
        ("<span>Posted by</span> <a href='/u'>BeauHD</a> <time>Dec 19</time>", "header", "BeauHD"),
        ("<p>Matteo Laratta</p><p>Last Updated:</p>", "header-given", "Matteo Laratta"),
        ("<p>John Crenshaw in</p><a href='/seo'>SEO</a>", "header-given", "John Crenshaw"),
    ],
)
def test_bylines_under_the_headline(under_headline: str, source: str, name: str) -> None:
    from trafilatura import load_html

    from newsclean.stages.extract.meta import collect

    page = load_html(
        f"<html><body><h1>A headline for the test</h1>{under_headline}"
        "<p>The first paragraph of the article, long enough to be prose.</p></body></html>"
    )
    assert (source, [name]) in collect(page)["byline"]


def test_a_line_under_the_headline_without_a_known_given_name_is_no_byline() -> None:
    from trafilatura import load_html

    from newsclean.stages.extract.meta import collect

    page = load_html("<html><body><h1>Headline</h1><p>Practical Guide</p><p>Text.</p></body>")
    assert collect(page)["byline"] == []


def test_the_name_at_the_top_of_an_author_box() -> None:
    from trafilatura import load_html

    from newsclean.stages.extract.meta import collect

    page = load_html(
        "<html><body><h1>Headline</h1><p>Text.</p><div class='blog_author-text'>"
        "<div>Lauren Vetter</div><p>Lauren Vetter is a growth-focused marketing professional "
        "who writes about search engines for clinics.</p></div></body></html>"
    )
    assert ("author-box", ["Lauren Vetter"]) in collect(page)["byline"]


def _chosen_title(head: str, body: str) -> tuple[str, str]:
    from trafilatura import load_html

    from newsclean.stages.extract.choose import choose
    from newsclean.stages.extract.meta import collect
    from newsclean.stages.extract.stage import source_order

    page = load_html(f"<html><head>{head}</head><body>{body}<p>Text.</p></body></html>")
    value, source = choose(collect(page), source_order())["title"]
    return value, source


@pytest.mark.parametrize(
    ("og_title", "h1", "expected"),
    [
        # a section or a subtitle after a pipe goes
        (
            "How meditation rewires brains | Opinion",
            "How meditation rewires brains | Opinion",
            "How meditation rewires brains",
        ),
        ("Data Tools for 2026 | Python, SQL & AI", "", "Data Tools for 2026"),
        # a first part under three words is no headline: kept whole
        ("Q&A | Running a small press", "", "Q&A | Running a small press"),
        # no pipe: nothing cut
        ("Cats: a history of the house cat", "", "Cats: a history of the house cat"),
    ],
)
def test_a_title_is_cut_at_its_first_pipe(og_title: str, h1: str, expected: str) -> None:
    body = f"<h1>{h1}</h1>" if h1 else ""
    assert _chosen_title(f"<meta property='og:title' content='{og_title}'>", body)[0] == expected


def test_an_h1_confirmed_by_the_first_part_or_the_kicker_less_metadata_title() -> None:
    head = "<title>Defer, Panic, and Recover - The Go Programming Language</title>"
    body = "<h1>The Go Blog</h1><h1>Defer, Panic, and Recover</h1>"
    assert _chosen_title(head, body) == ("Defer, Panic, and Recover", "h1+")
    head = "<meta property='og:title' content='Garnix Blog: Hardware-Attested Nix Builds'>"
    body = "<h1>Hardware-Attested Nix Builds</h1>"
    assert _chosen_title(head, body) == ("Hardware-Attested Nix Builds", "h1+")


def test_several_unconfirmed_h1s_yield_to_the_metadata_title() -> None:
    head = "<meta property='og:title' content='Advent of Code 2025 week 2'>"
    several = "<h1>Day 7 of the puzzles</h1><h1>Day 8 of the puzzles</h1>"
    assert _chosen_title(head, several) == ("Advent of Code 2025 week 2", "opengraph")
    # one unconfirmed <h1> is still the visible headline
    one = "<h1>Day 7 of the puzzles</h1>"
    assert _chosen_title(head, one) == ("Day 7 of the puzzles", "h1ok")


def _byline(head: str, body: str) -> tuple[list[str], str]:
    from trafilatura import load_html

    from newsclean.stages.extract.choose import choose
    from newsclean.stages.extract.meta import collect
    from newsclean.stages.extract.stage import source_order

    page = load_html(f"<html><head>{head}</head><body>{body}<p>Text.</p></body></html>")
    names, source = choose(collect(page), source_order())["byline"]
    return names, source


def test_an_author_class_beside_a_link_class_is_a_byline() -> None:
    body = "<h1>Headline</h1><div class='post-author-name has-link-color'>Shai Shmarel</div>"
    assert _byline("", body) == (["Shai Shmarel"], "byline")
    # the noise word in the author-marked token itself still rules the element out
    from trafilatura import load_html

    from newsclean.stages.extract.meta import collect

    page = load_html("<html><body><div class='author-avatar'>Shai Shmarel</div></body></html>")
    assert collect(page)["byline"] == []


def test_citation_authors_together_are_the_byline() -> None:
    head = (
        "<meta name='DC.Creator' content='Jennifer Huberty'>"
        "<meta name='citation_authors' content='Jennifer Huberty'>"
        "<meta name='citation_authors' content='Jeni Green'>"
        "<meta name='citation_author' content='Chong Lee'>"
    )
    assert _byline(head, "")[0] == ["Jennifer Huberty", "Jeni Green", "Chong Lee"]
    assert _byline("<meta name='DC.Creator' content='Jennifer Huberty'>", "")[0] == [
        "Jennifer Huberty"
    ]


def test_the_outlet_after_a_comma_leaves_the_byline() -> None:
    head = "<meta property='og:site_name' content='The Commercial Appeal'>"
    ld = (
        '<script type=\'application/ld+json\'>{"@type": "NewsArticle", "author": '
        '[{"@type": "Person", "name": "%s"}]}</script>'
    )
    credited = ld % "Manoj Jain and Jagpreet Chhatwal, The Commercial Appeal"
    assert _byline(head + credited, "")[0] == ["Manoj Jain and Jagpreet Chhatwal"]
    # a comma before something that is not the site's name stays
    titled = ld % "Mike Marshall, Shipping Expert"
    assert _byline(head + titled, "")[0] == ["Mike Marshall, Shipping Expert"]


def test_a_page_without_h1_reads_the_lines_under_the_element_showing_its_title() -> None:
    from trafilatura import load_html

    from newsclean.stages.extract.meta import collect

    head = "<meta property='og:title' content='Scaling Go Testing with Mocks | FunnelStory'>"
    body = (
        "<div><p class='big'>Scaling Go Testing with Mocks</p><p>By Preetam Jinka</p>"
        "<p>Dec 17, 2025</p></div><p>The article text.</p>"
    )
    found = collect(load_html(f"<html><head>{head}</head><body>{body}</body></html>"))
    assert ("header", "2025-12-17") in found["published"]
    assert ("header", ["Preetam Jinka"]) in found["byline"]
    # no element shows the title: no header lines are read
    other = "<div><p>Something else entirely</p><p>Dec 17, 2025</p></div>"
    found = collect(load_html(f"<html><head>{head}</head><body>{other}</body></html>"))
    assert [s for s, _ in found["published"] if s == "header"] == []


def test_a_date_in_a_percent_encoded_og_url() -> None:
    from trafilatura import load_html

    from newsclean.stages.extract.meta import collect

    url = "https://blog.example.fr%2Farticles%2F2025-12-15%2BRust%2BGCC%2Bbackend"
    page = load_html(f"<html><head><meta property='og:url' content='{url}'></head></html>")
    assert ("url", "2025-12-15") in collect(page)["published"]


def test_the_twitter_data_labelled_written_by_is_a_byline() -> None:
    head = (
        "<meta name='twitter:label1' content='Written by'>"
        "<meta name='twitter:data1' content='Nawaz Dhandala'>"
        "<meta name='twitter:label2' content='Est. reading time'>"
        "<meta name='twitter:data2' content='5 minutes'>"
    )
    assert _byline(head, "") == (["Nawaz Dhandala"], "twitter")
    # a reading time under its own label is no byline
    from trafilatura import load_html

    from newsclean.stages.extract.meta import collect

    head = head.replace("Written by", "Published")
    page = load_html(f"<html><head>{head}</head><body><p>Text.</p></body></html>")
    assert collect(page)["byline"] == []


def test_a_time_in_a_comment_thread_is_no_publication_date() -> None:
    from trafilatura import load_html

    from newsclean.stages.extract.meta import collect

    page = load_html(
        "<html><body><ol class='comment-list'><li><time datetime='2022-11-15'>x</time></li>"
        "</ol><div class='BlogItem-comments'><time datetime='2021-06-17'>June 17</time></div>"
        "</body></html>"
    )
    assert [v for s, v in collect(page)["published"] if s == "time"] == ["2021-06-17"]


def test_a_personal_site_named_after_a_person_credits_them_when_nothing_else_does() -> None:
    assert _byline("<title>Go ahead, self-host Postgres | Pierce Freeman</title>", "") == (
        ["Pierce Freeman"],
        "site-person",
    )
    assert _byline("<meta property='og:site_name' content='Polly Barks'>", "")[0] == ["Polly Barks"]
    # a byline on the page wins; a site name that is no person's name credits no one
    head = "<title>Postgres | Pierce Freeman</title><meta name='author' content='Ann Lee'>"
    assert _byline(head, "")[0] == ["Ann Lee"]
    from trafilatura import load_html

    from newsclean.stages.extract.choose import choose
    from newsclean.stages.extract.meta import collect
    from newsclean.stages.extract.stage import source_order

    page = load_html("<html><head><title>Storm hits coast | Seaview Post</title></head></html>")
    assert "byline" not in choose(collect(page), source_order())


@pytest.mark.parametrize(
    ("og_title", "h1", "expected", "source"),
    [
        # the <h1> goes on past the metadata title: the <h1> is the headline
        (
            "Best High School Tutors in 2025",
            "Best High School Tutors in 2025, Reviewed by a Student",
            "Best High School Tutors in 2025, Reviewed by a Student",
            "h1ok",
        ),
        # a kicker before it, or a credit or date after it: the metadata title
        (
            "Hardware-Attested Nix Builds",
            "Engineering Hardware-Attested Nix Builds",
            "Hardware-Attested Nix Builds",
            "h1-trim",
        ),
        (
            "Stepping up our continuous integration builds this year",
            "Stepping up our continuous integration builds this year Posted on July 1, 2024",
            "Stepping up our continuous integration builds this year",
            "h1-trim",
        ),
    ],
)
def test_an_h1_trimmed_to_the_metadata_title(
    og_title: str, h1: str, expected: str, source: str
) -> None:
    head = f"<meta property='og:title' content='{og_title}'>"
    assert _chosen_title(head, f"<h1>{h1}</h1>") == (expected, source)
