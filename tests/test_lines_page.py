"""page_lines: the line unit the line model labels."""

from __future__ import annotations

from newsclean.stages.lines.page import Line, page_lines


def test_crlf_and_cr_become_lines() -> None:
    assert [ln.text for ln in page_lines("a\r\nb\rc\n")] == ["a", "b", "c"]


def test_bom_dropped() -> None:
    assert page_lines("\ufeffTitle\n\nBody.")[0] == Line("Title", False, 0)


def test_nbsp_only_line_is_blank() -> None:
    lines = page_lines("One.\n\u00a0\u00a0\nTwo.\n \t \nThree.\nFour.")
    assert [(ln.text, ln.blank_before, ln.index) for ln in lines] == [
        ("One.", False, 0),
        ("Two.", True, 1),
        ("Three.", True, 2),
        ("Four.", False, 3),
    ]


def test_trailing_whitespace_stripped_leading_kept() -> None:
    assert page_lines("  indented  \t\u00a0\n")[0].text == "  indented"


def test_tabs_inside_a_line_kept() -> None:
    assert page_lines("Home\tWorld\tSport\n")[0].text == "Home\tWorld\tSport"


def test_leading_blank_lines_do_not_set_blank_before() -> None:
    assert page_lines("\n\n\nFirst\n")[0].blank_before is False


def test_empty_page() -> None:
    assert page_lines("") == [] and page_lines("\r\n \u00a0\n") == []
