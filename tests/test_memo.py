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
