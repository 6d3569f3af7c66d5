"""The strip rules engine (``newsclean.stages.strip.rules``): rule files parsed and compiled,
lines normalised to keys, needles and first characters read from regexes, rules tried in
order. The line model reads these verdicts as features; a user's rules override it."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.errors import NewscleanError
from newsclean.stages.strip.rules import RulesError, compile_rules, key, load_rules, parse_rules


def test_rules_see_a_line_without_the_icons_around_it() -> None:
    assert key("✉️ Reply by email") == "reply by email"
    assert key("Subscribe 📮") == "subscribe"
    assert key("© 2026 Healthline Media") == "© 2026 healthline media"
    assert key("Café ☕ culture") == "café ☕ culture"


def test_bad_regex_rule_is_reported() -> None:
    with pytest.raises(RulesError, match=r"x\.rules:2"):
        parse_rules("line a b\nregex r (unclosed\n", "x.rules")
    assert issubclass(RulesError, NewscleanError)


def test_a_line_of_no_known_kind_is_reported_with_its_line_number() -> None:
    with pytest.raises(RulesError, match=r"y\.rules:3"):
        parse_rules("# comment\nline a b\nnonsense\n", "y.rules")


def test_parsed_rules_are_kind_id_text_triples_in_file_order() -> None:
    triples = parse_rules("# mine\nline my-site Listen to this story\nprefix p More from\n", "m")
    assert triples == [("line", "my-site", "Listen to this story"), ("prefix", "p", "More from")]
    rules = compile_rules(triples)
    assert rules.match(key("» LISTEN to this story!")) == "my-site"
    assert rules.match(key("More from the Daily Example")) == "p"
    assert rules.match(key("Listen to this story, she said, and then leave")) is None


def test_shipped_rules_parse_and_every_kind_is_used() -> None:
    rules = load_rules()
    assert rules.lines and rules.prefixes and rules.contains and rules.regexes
    assert rules.sections and rules.teasers
    assert rules.section_regexes and rules.searches


# ------------------------------------------------------------- rules compiled for speed

# Regexes as rule files write them: some start with a known word, some with "any few
# words" (tried on every line unless a literal they hold is missing), one ignores case.
_REGEX_POOL = [
    r"(?:\S+ ){0,3}ab c$",
    r"(?:\S+ ){0,2}© ?1\d",
    r"a(?:b|c)d",
    r"[ab]c x",
    r"(?:x )?y",
    r"\d+ z",
    r"(?:get|go) (?:\S+ )?ab",
    r"(?i)AB",
    r"(a)b",
    r"(?=x)\S+ y",
    r"\bc{1,2}d?$",
    r"x*",
    r"(?:\S+ )?(?:/|\|) ?(?:ap|getty)$",
]
_LINE_POOL = [
    "ab",
    " ",
    "c",
    "ab c",
    "d",
    "© 12",
    "©1",
    "1",
    "x",
    "y",
    "x y",
    "get ",
    "z",
    "A",
    "|",
]


def test_what_a_regex_match_starts_with_and_holds_is_read_from_the_regex() -> None:
    from newsclean.stages.strip.rules import _first_chars_of, _needles_of, compile_rules

    def first(p: str) -> set[str] | None:
        chars = _first_chars_of(re.compile(p))
        return None if chars is None else set(chars)

    assert first(r"(?:get|download|join) (?:your )?free") == {"g", "d", "j"}
    assert first(r"(?:proudly )?powered by") == {"p"}
    assert first(r"[a-c]x") == {"a", "b", "c"}
    assert first(r"\bclick to") == {"c"}
    # any character, or possibly empty, or case ignored: nothing is known
    assert first(r"(?:\S+ ){0,6}\d+ min read$") is None
    assert first(r"[^a]x") is None
    assert first(r"x?") is None
    assert first(r"(?i)ab") is None

    def needles(p: str) -> set[str]:
        return set(_needles_of(re.compile(p)))

    assert needles(r"(?:\S+ ){0,6}\d+\s*min(?:ute)?s? read$") == {" read"}
    assert needles(r"(?:\S+ ){0,6}© ?(?:19|20)\d\d") == {"©"}
    assert needles(r"(?:enable|turn on) (?:your )?javascript\b") == {"javascript"}
    assert needles(r"(?:we|i) (?:may )?(?:earn|get) (?:commission|kick ?back)\b") == {
        "commission",
        "kick",
    }
    assert needles(r"(?:\S+ ){1,5}(?:/|//|\|) ?(?:getty images|ap)$") == {"/", "|"}
    assert needles(r"(?:ab)?c") == set()  # one letter: in most lines, not worth a test
    assert needles(r"(?i)abcdef") == set()
    # a line with any one of the needles is tried
    credit = r"(?:\S+ )?(?:/|\|) ?(?:ap|getty)$"
    rules = compile_rules([("regex", "credit", credit), ("search", "fee", r"(?:fee|kick ?back)")])
    assert [rules.match(k) for k in ("x /ap", "x |ap", "x ap")] == ["credit", "credit", None]
    assert [rules.match(k) for k in ("a fee", "a kickback", "a kick")] == ["fee", "fee", None]
    # rules are tried on the lines no shorter than their needle or shortest match
    rules = compile_rules([("contains", "c", "use of cookies"), ("search", "s", r"x\d{2}")])
    assert [rules.match(k) for k in ("use of cookies", "the use of cookies", "use of cookie")] == [
        "c",
        "c",
        None,
    ]
    assert [rules.match(k) for k in ("x12", "ax12", "x1")] == ["s", "s", None]


def test_lines_holding_no_needle_skip_the_needled_rules_only() -> None:
    """One automaton finds whether a line holds any needle of the contains, search and
    guarded regex rules: each kind still fires on its own lines, and a search rule with
    no needle (case ignored) is still tried on every line."""
    from newsclean.stages.strip.rules import compile_rules

    rules = compile_rules(
        [
            ("contains", "c", "cookie policy"),
            ("search", "s", r"kick ?back\b"),
            ("regex", "g", r"(?:\S+ ){0,3}© ?20\d\d"),
        ]
    )
    assert rules.needles is not None and not rules.search_always
    got = [rules.match(k) for k in ("our cookie policy", "a kickback", "site © 2024", "prose")]
    assert got == ["c", "s", "g", None]
    long = "word " * 100
    assert [rules.search(long + "kick back"), rules.search(long)] == ["s", None]
    rules = compile_rules([("contains", "c", "abc"), ("search", "s", "(?i)XYZ")])
    assert rules.search_always
    assert [rules.match("an xyz"), rules.match("an abc"), rules.match("none")] == ["s", "c", None]
    assert compile_rules([("line", "l", "home")]).needles is None


_ALPHABET = string.ascii_letters + string.digits + " /|©é"


def _lines(data: st.DataObject, patterns: list[str], fragments: list[str]) -> list[str]:
    """Lines of fragments and of texts the patterns match, so that many lines match."""
    matched = st.sampled_from(patterns).flatmap(
        lambda p: st.from_regex(p, fullmatch=True, alphabet=_ALPHABET)
    )
    line = st.lists(st.sampled_from(fragments) | matched, max_size=4).map("".join)
    return data.draw(st.lists(line, min_size=1, max_size=8))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_REGEX_POOL), min_size=1, max_size=8), st.data())
def test_regex_rules_give_the_first_rule_in_order_that_matches(
    patterns: list[str], data: st.DataObject
) -> None:
    """The regexes are tried as alternations by first character, less those whose
    literal a line lacks: the rule found is still the first in order that matches."""
    from newsclean.stages.strip.rules import compile_rules, key

    rules = compile_rules([("regex", f"r{i}", p) for i, p in enumerate(patterns)])
    compiled = [re.compile(p) for p in patterns]
    for line in _lines(data, patterns, _LINE_POOL):
        k = key(line)
        if not k:
            continue
        # those with groups or flags of their own are tried after the others
        alone = [bool(p.groups) or p.pattern.startswith("(?i)") for p in compiled]
        plain = [f"r{i}" for i, p in enumerate(compiled) if not alone[i] and p.match(k)]
        grouped = [f"r{i}" for i, p in enumerate(compiled) if alone[i] and p.match(k)]
        # when none matches, a built-in rule ("0 / ap / x" is a breadcrumb) may
        expected = (plain + grouped + [_builtin(k)])[0]
        assert rules.match(k) == expected, (patterns, k)


def _builtin(k: str) -> str | None:
    """The built-in rule (breadcrumb, newsletter) naming the normalised line ``k``."""
    from newsclean.stages.strip.rules import _BUILTINS

    return next((name for name, fn in _BUILTINS if fn(k)), None)


_SEARCH_POOL = [
    r"(?:we|i) (?:may )?(?:earn|get) (?:a )?(?:commission|kick ?back)\b",
    r"(?:enable|turn on) (?:your )?js\b",
    r"[ab]c x",
    r"x|y z",
    r"(?:\S+ ){1,2}(?:/|//|\|) ?(?:ap|getty)$",
    r"c{2,}",
    r"(?i)AB C",
]
_SEARCH_LINES = ["we ", "i ", "may ", "earn ", "get ", "a ", "commission", "kick", "back", " "]
_SEARCH_LINES += ["enable ", "your ", "js", "ab", "c", "x", "y z", "/", "|", "ap", "getty"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_SEARCH_POOL), min_size=1, max_size=6), st.data())
def test_search_rules_give_the_first_rule_in_order_found(
    patterns: list[str], data: st.DataObject
) -> None:
    """A search runs only on lines holding one of its needles: the rule found is still
    the first in order whose pattern is found in the line."""
    from newsclean.stages.strip.rules import compile_rules, key

    rules = compile_rules([("search", f"s{i}", p) for i, p in enumerate(patterns)])
    compiled = [re.compile(p) for p in patterns]
    for line in _lines(data, patterns, _SEARCH_LINES):
        k = key(line)
        if k:
            expected = next((f"s{i}" for i, p in enumerate(compiled) if p.search(k)), _builtin(k))
            assert rules.match(k) == expected, (patterns, k)


def test_section_regexes_starting_with_a_digit_class_match_any_digit() -> None:
    """The first characters of the section regexes are read from their parse trees:
    ``\\d`` is any Unicode digit, so "٣ comments" is not skipped as a line no section
    regex can match (the string-based reader this replaced took it for 0-9)."""
    from newsclean.stages.strip.rules import compile_rules, key

    rules = compile_rules(
        [("section-regex", "comments", r"\d+ comments$"), ("section-regex", "t", "more from \\S+$")]
    )
    assert [rules.section_of(key(k)) for k in ("٣ comments", "3 comments", "more from x")] == [
        "comments",
        "comments",
        "t",
    ]
    rules = compile_rules([("section-regex", "t", "more from \\S+$"), ("section-regex", "u", "ab")])
    assert rules.section_starts == frozenset("ma")
