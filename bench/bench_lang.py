"""``lang``: ms per article and agreement with langdetect on the full text.

The reference is ``langdetect.detect_langs`` seeded (``DetectorFactory.seed = 0``)
on the whole text, its ``zh-cn``/``zh-tw`` read as ``zh``. Two inputs: the WCXB
page text (menus and footers included) and the gold bodies, a proxy for the
cleaned body ``clean`` gives ``lang``. Then cost by length, the variants of
sample size and trials, other languages, and how often langdetect is right on
short text (the ``min_letters`` rule).

Times are CPU time of this process: the machine is shared, and wall time
under load says more about the neighbours than about the code. The issue's
yardstick (langdetect ~11 ms on a 4 KB article) is measured in the same run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from bench import data
from newsclean.stages.lang.stage import LangConfig, detect

_ISO = {"zh-cn": "zh", "zh-tw": "zh"}
Answer = str | None


def _reference(text: str) -> Answer:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        ranked = detect_langs(text)
    except LangDetectException:
        return None
    return _ISO.get(ranked[0].lang, ranked[0].lang) if ranked else None


def _ours(config: LangConfig) -> Callable[[str], Answer]:
    return lambda text: detect(text, config)[0]


def _timed(fn: Callable[[str], Answer], texts: Sequence[str]) -> tuple[list[Answer], list[float]]:
    """Answers and CPU ms of each text."""
    fn(texts[0])  # profiles load outside the clock
    answers, times = [], []
    clock = time.process_time
    for text in texts:
        start = clock()
        answers.append(fn(text))
        times.append(1000 * (clock() - start))
    return answers, times


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _agreement(a: Sequence[Answer], b: Sequence[Answer]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def _words_with_letters(text: str, letters: int) -> str:
    """Whole words from the middle of ``text`` until ``letters`` letters."""
    out: list[str] = []
    count = 0
    for word in text[len(text) // 2 :].split()[1:]:
        if count >= letters:
            break
        out.append(word)
        count += sum(map(str.isalpha, word))
    return " ".join(out)


def main() -> None:
    if not data.available():
        print(f"no bench data at {data.BENCH}: skipped")
        return
    pages = data.gold()
    inputs = {
        "page text": [data.page_text(p["id"]) for p in pages],
        "gold body": [p["body"] or "" for p in pages],
    }
    default = LangConfig()
    print(
        f"{len(pages)} WCXB pages; newsclean lang: sample {default.sample_chars} chars, "
        f"{default.trials} trials, min {default.min_letters} letters; CPU ms per article\n"
    )
    print("| input | mean chars | langdetect, full text | lang | speed-up | agreement | null |")
    print("|---|---|---|---|---|---|---|")
    runs: dict[str, tuple[list[Answer], list[float], list[float]]] = {}
    for name, texts in inputs.items():
        ref, ref_ms = _timed(_reference, texts)
        ours, ms = _timed(_ours(default), texts)
        runs[name] = (ref, ref_ms, ms)
        chars = _mean([len(t) for t in texts])
        print(
            f"| {name} | {chars:,.0f} | {_mean(ref_ms):.2f} | {_mean(ms):.2f} "
            f"| {_mean(ref_ms) / _mean(ms):.1f}x | {_agreement(ours, ref):.4f} "
            f"| {ours.count(None)} |"
        )
    langs = sorted({str(x) for x in runs["page text"][0]})
    print(f"\nreference languages (page text): {', '.join(langs)}")

    # the yardstick, in this run: langdetect on 4 KB of an article
    four_kb = [t[:4096] for t in inputs["gold body"] if len(t) >= 4096][:100]
    _, ref_4kb = _timed(_reference, four_kb)
    page_ms = _mean(runs["page text"][2])
    print(
        f"langdetect on 4 KB of {len(four_kb)} gold bodies: {_mean(ref_4kb):.2f} ms; "
        f"lang on page text {page_ms:.2f} ms, i.e. {11 * page_ms / _mean(ref_4kb):.2f} ms "
        "where langdetect takes 11 ms"
    )

    print("\ncost by length (page text in quarters by characters; CPU ms per article):\n")
    print("| chars | langdetect, full text | lang |")
    print("|---|---|---|")
    texts = inputs["page text"]
    _, ref_ms, ms = runs["page text"]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    quarter = len(order) // 4
    for q in range(4):
        part = order[q * quarter : (q + 1) * quarter if q < 3 else None]
        print(
            f"| {len(texts[part[0]]):,}-{len(texts[part[-1]]):,} "
            f"| {_mean([ref_ms[i] for i in part]):.2f} | {_mean([ms[i] for i in part]):.2f} |"
        )

    # WCXB is English only: the test paragraphs stand in for other languages
    paragraphs = sorted((data.ROOT / "tests" / "data" / "lang").glob("*.txt"))
    wrong = []
    for path in paragraphs:
        text = path.read_text(encoding="utf-8")
        expected = path.stem.split("-")[0]
        ours_lang, ref_lang = detect(text, default)[0], _reference(text)
        if ours_lang != expected or ref_lang != expected:
            wrong.append(f"{path.stem}: lang {ours_lang}, langdetect {ref_lang}")
    print(
        f"\nother languages (tests/data/lang, {len(paragraphs)} paragraphs): "
        f"{'; '.join(wrong) or 'all right'}"
    )

    print("\nvariants on page text (CPU ms per article, agreement with the full text):\n")
    print("| sample chars | 1 trial | 3 trials | 7 trials |")
    print("|---|---|---|---|")
    ref = runs["page text"][0]
    for size in (500, 750, 1000, 1500):
        cells = []
        for trials in (1, 3, 7):
            ours, ms = _timed(_ours(replace(default, sample_chars=size, trials=trials)), texts)
            cells.append(f"{_mean(ms):.2f}, {_agreement(ours, ref):.4f}")
        print(f"| {size} | {' | '.join(cells)} |")

    print("\nshort text: share of windows (whole words, middle of gold bodies over")
    print("2,000 chars) that langdetect puts in the language of the full body\n")
    bodies = [
        (body, lang)
        for body, lang in zip(inputs["gold body"], runs["gold body"][0], strict=True)
        if len(body) > 2000 and lang is not None
    ]
    print("| letters | right | n |")
    print("|---|---|---|")
    unbounded = replace(default, min_letters=0)
    for letters in (10, 20, 30, 40, 60, 100):
        windows = [(_words_with_letters(body, letters), lang) for body, lang in bodies]
        right = sum(detect(w, unbounded)[0] == lang for w, lang in windows)
        print(f"| {letters} | {right / len(windows):.3f} | {len(windows)} |")
