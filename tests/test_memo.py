from newsclean.memo import Memo


def test_a_memo_answers_as_its_function_once_per_key_and_stays_bounded() -> None:
    calls: list[int] = []

    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    memo = Memo(double, 3)
    assert [memo[x] for x in (1, 2, 1, 3, 4, 5, 1)] == [2, 4, 2, 6, 8, 10, 2]
    assert calls == [1, 2, 3, 4, 5, 1]  # 1 again only once the memo was emptied
    assert len(memo) <= 3


def test_a_memo_by_code_point_is_a_translate_table() -> None:
    def drop_b(codepoint: int) -> int | None:
        return None if chr(codepoint) == "b" else codepoint

    assert "abcb".translate(Memo(drop_b, 10)) == "ac"


def test_clear_memos_empties_the_per_input_memos_of_a_package_only() -> None:
    import functools
    import sys
    import types

    from newsclean.memo import clear_memos

    module = types.ModuleType("fakepkg.lines")
    # a Memo of a function from elsewhere names no owner: found as fakepkg.lines' own
    module.memo = Memo(str.upper, 100)  # type: ignore[attr-defined]
    module.lines = functools.lru_cache(maxsize=1 << 15)(str.lower)  # type: ignore[attr-defined]
    module.rules = functools.lru_cache(maxsize=1)(str.title)  # type: ignore[attr-defined]
    module.loaded = functools.cache(str.strip)  # type: ignore[attr-defined]
    other = types.ModuleType("otherpkg")
    other.memo = Memo(str.upper, 100, "otherpkg")  # type: ignore[attr-defined]
    for m in (module, other):
        m.memo["a"]  # type: ignore[attr-defined]
    module.lines("A"), module.rules("a"), module.loaded(" a ")  # type: ignore[attr-defined]
    sys.modules["fakepkg.lines"], sys.modules["otherpkg"] = module, other
    try:
        assert clear_memos("fakepkg") == 2
    finally:
        del sys.modules["fakepkg.lines"], sys.modules["otherpkg"]
    assert len(module.memo) == 0 and module.lines.cache_info().currsize == 0  # type: ignore[attr-defined]
    # a resource loaded once (small or unbounded cache) and another package's memo stay
    assert module.rules.cache_info().currsize == 1  # type: ignore[attr-defined]
    assert module.loaded.cache_info().currsize == 1  # type: ignore[attr-defined]
    assert len(other.memo) == 1  # type: ignore[attr-defined]


def test_clear_memos_reaches_the_tables_objects_hold_and_pickles_travel_empty() -> None:
    import pickle

    from newsclean.memo import Table, clear_memos
    from newsclean.stages.strip.rules import load_rules

    rules = load_rules()
    rules.match("share this article")
    assert len(rules._memo) > 0
    mine = Table[str, int](2, "newsclean.test")
    for k, word in enumerate("abc"):
        mine.put(word, k)
    assert mine == {"c": 2}  # emptied on reaching its limit
    copy = pickle.loads(pickle.dumps(mine))
    assert copy == {} and copy.limit == 2
    copy.put("d", 3)
    clear_memos()
    assert len(rules._memo) == 0 and mine == {} and copy == {}
