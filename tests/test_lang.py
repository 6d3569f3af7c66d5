from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from newsclean.errors import Reject
from newsclean.stages.base import OrderError
from newsclean.stages.lang.stage import (
    LANGUAGES,
    SCRIPTS,
    LangConfig,
    LangStage,
    detect,
    parse_keep,
    sample,
    scripts,
)

from .conftest import ROOT, SAMPLES, parse_jsonl, validate

TEXTS = Path(__file__).parent / "data" / "lang"
#: file stem -> the language a reader of the paragraph would name
PARAGRAPHS = {p.stem: p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("*.txt"))}
EXPECTED = {stem: stem.split("-")[0] for stem in PARAGRAPHS}
ENGLISH = (SAMPLES / "000_f2758428cd47c469.txt").read_text(encoding="utf-8")
KOREAN = (
    "서울시는 내년 봄부터 도심을 지나는 새로운 지하철 노선을 개통한다고 오늘 발표했다. "
    "이 노선은 공항과 시청을 연결하며, 모두 열다섯 개의 역이 들어설 예정이다. "
    "시 관계자는 교통 체증이 크게 줄어들 것으로 기대한다고 말했다."
)


def _record(text: str | None = None, body: str | None = None, **extra: object) -> dict:
    record: dict = {
        "id": "r",
        "source": {"path": "x.txt", "line": None, "format": "text", "sha256": "0" * 64},
        "url": None,
    }
    if text is not None:
        record["text"] = text
    if body is not None:
        record["body"] = body
    record.update(extra)
    return record


# -- what it detects -------------------------------------------------------


@pytest.mark.parametrize("stem", sorted(PARAGRAPHS))
def test_paragraph_in_each_language(stem: str) -> None:
    lang, prob = detect(PARAGRAPHS[stem])
    assert lang == EXPECTED[stem]
    assert prob is not None and prob > 0.9


def test_english_samples() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        lang, prob = detect(path.read_text(encoding="utf-8"))
        assert (lang, prob) == ("en", 1.0), path.name


def test_chinese_is_zh_not_korean() -> None:
    """langdetect alone says "ko" (probability 1.0) for the Traditional Chinese
    paragraph; without Hangul it cannot be Korean."""
    from newsclean.stages.lang.detector import detector

    stock = detector(7, stock=True)
    stock.append(PARAGRAPHS["zh-tw"])
    assert stock.get_probabilities()[0].lang == "ko"  # the flaw this rule is for
    assert detect(PARAGRAPHS["zh-tw"])[0] == "zh"
    assert detect(KOREAN)[0] == "ko"
    assert detect("韓國語는 " + KOREAN)[0] == "ko"  # Hanja inside Korean text


def test_prob_is_rounded_to_three_decimals() -> None:
    mixed = PARAGRAPHS["fr"] + "\n" + PARAGRAPHS["es"]
    for text in (*PARAGRAPHS.values(), mixed):
        prob = detect(text)[1]
        assert prob is not None and 0 <= prob <= 1
        assert prob == round(prob, 3)


# -- too short to judge ----------------------------------------------------


def test_short_text_is_null_not_a_guess() -> None:
    assert LangConfig().min_letters == 40
    short = "The minister said that the talks would resume"
    assert sum(map(str.isalpha, short)) == 38
    assert detect(short) == (None, None)
    # langdetect would have answered, and here rightly: the rule is about how
    # often such answers are wrong (bench lang: 1 in 40 at 40 letters)
    assert detect(short, LangConfig(min_letters=0))[0] == "en"
    enough = "The minister said that the talks would resume soon"
    assert sum(map(str.isalpha, enough)) == 42
    assert detect(enough)[0] == "en"
    # letters, not characters: digits and punctuation do not count
    padded = short + " 2026-11-23 12:00 ... 100% !!! 7/7 --- #42"
    assert len(padded) > 80 and detect(padded) == (None, None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\n ",
        "1234567890 " * 20,
        "!!! ??? ... --- *** " * 10,
        "😀🎉👍 " * 30,
        "\u200c " * 200,
    ],
)
def test_nothing_to_judge(text: str) -> None:
    assert detect(text) == (None, None)


def test_min_letters_is_configurable() -> None:
    assert detect("Bonjour à tous les amis") == (None, None)
    lang, _ = detect("Bonjour à tous les amis de la ville", LangConfig(min_letters=10))
    assert lang is not None


# -- determinism -----------------------------------------------------------


def _corpus() -> list[str]:
    english = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    # ambiguous texts are where an unseeded detector wavers between answers
    mixed = [PARAGRAPHS["fr"][:200] + PARAGRAPHS["it"][:200], PARAGRAPHS["nl"][:80] + " ja"]
    return [*PARAGRAPHS.values(), *english, *mixed, KOREAN]


def test_same_answer_in_many_runs() -> None:
    from newsclean.stages.lang.detector import detector

    text = PARAGRAPHS["fr"][:150] + " " + PARAGRAPHS["es"][:150]
    # the text is one on which unseeded langdetect wavers
    unseeded = set()
    for _ in range(30):
        stock = detector(3, stock=True)
        stock.seed = None
        stock.append(text)
        unseeded.add(tuple((x.lang, round(x.prob, 3)) for x in stock.get_probabilities()))
    assert len(unseeded) > 1
    answers = {detect(text) for _ in range(50)}
    assert len(answers) == 1


def test_same_answers_in_any_order_of_calls() -> None:
    corpus = _corpus()
    first = [detect(t) for t in corpus]
    rng = random.Random(7)
    for _ in range(5):
        order = list(range(len(corpus)))
        rng.shuffle(order)
        again = {i: detect(corpus[i]) for i in order}
        assert [again[i] for i in range(len(corpus))] == first


def test_same_answers_from_many_threads() -> None:
    corpus = _corpus() * 6
    expected = [detect(t) for t in corpus]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(detect, corpus)) == expected


def test_same_answers_in_other_processes() -> None:
    """A fresh interpreter (its own profile load, another hash seed), reversed order."""
    corpus = _corpus()
    script = (
        "import json, sys\n"
        "from newsclean.stages.lang.stage import detect\n"
        "texts = json.load(sys.stdin)\n"
        "print(json.dumps([detect(t) for t in texts[::-1]][::-1]))\n"
    )
    expected = [list(detect(t)) for t in corpus]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
        out = subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps(corpus),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert json.loads(out.stdout) == expected


def test_same_records_from_a_pool_of_spawned_workers() -> None:
    """The stage pickled to workers that load their own profiles."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    stage = LangStage()
    records = [_record(text=t) for t in _corpus()]
    expected = [stage.apply(r) for r in records]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        assert list(pool.map(stage.apply, records[::-1]))[::-1] == expected


def test_fast_detector_matches_langdetect_bit_for_bit() -> None:
    """FastDetector reimplements langdetect's hot loops: same n-grams, same
    random draws, the same floating-point probabilities."""
    from newsclean.stages.lang.detector import detector

    tricky = [
        "ABC Def GHIj kLM nOP",  # runs of capitals are skipped
        "Tiếng Việt có dấu: Nguyễn, Trường, người",  # Vietnamese normalisation
        "Tie\u0301ng Vie\u0323t",  # combining marks
        "mail me at x.y@example.com or see https://example.com/a?b=c   ok  then",
        "Ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ ア イ ウ ひらがな 한국어 ăâșț",
        "e",
        " leading and trailing spaces  ",
        "end without space",
    ]
    latin_only = tuple(c for script, codes in SCRIPTS.items() if script != "latin" for c in codes)
    cases = [(text, n, ()) for text in [*tricky, *_corpus()] for n in (1, 7)]
    cases += [(text, 3, latin_only) for text in [*tricky, *_corpus()]]
    cases += [(PARAGRAPHS["zh-tw"], 3, ("ko", "ja")), (KOREAN, 3, ("ja", "en"))]
    for text, n_trial, exclude in cases:
        fast, stock = detector(n_trial, exclude), detector(n_trial, exclude, stock=True)
        fast.append(text)
        stock.append(text)
        assert fast.text == stock.text
        fast.cleaning_text()
        stock.cleaning_text()
        assert fast.text == stock.text
        assert fast._extract_ngrams() == stock._extract_ngrams()
        fast, stock = detector(n_trial, exclude), detector(n_trial, exclude, stock=True)
        fast.append(text)
        stock.append(text)
        try:
            expected = [(x.lang, x.prob) for x in stock.get_probabilities()]
        except Exception as exc:
            with pytest.raises(type(exc)):
                fast.get_probabilities()
            continue
        assert [(x.lang, x.prob) for x in fast.get_probabilities()] == expected
        assert fast.langprob == stock.langprob  # every language, not only the likely


def test_caches_stay_bounded_and_do_not_change_answers(monkeypatch) -> None:
    from newsclean.stages.lang import detector as lang_detector

    expected = [detect(t) for t in _corpus()]
    monkeypatch.setattr(lang_detector, "_WORD_CACHE_SIZE", 5)
    monkeypatch.setattr(lang_detector, "_CACHE_SIZE", 20)
    monkeypatch.setattr(lang_detector._NORMALIZE, "limit", 20)
    lang_detector._WORD_GRAMS.clear()
    lang_detector._NORMALIZE.clear()
    assert [detect(t) for t in _corpus()] == expected
    assert len(lang_detector._WORD_GRAMS) <= 5
    assert len(lang_detector._NORMALIZE) <= 20


def test_importing_lang_does_not_load_langdetect() -> None:
    code = "import sys, newsclean.stages.lang.stage; print('langdetect' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "False"


def test_languages_are_langdetects_profiles() -> None:
    from langdetect.detector_factory import PROFILES_DIRECTORY

    profiles = sorted(p.name for p in Path(PROFILES_DIRECTORY).iterdir())
    assert set(LANGUAGES) == {name.split("-")[0] for name in profiles}
    assert list(LANGUAGES) == sorted(LANGUAGES)
    assert sorted(code for codes in SCRIPTS.values() for code in codes) == profiles


def test_compact_profiles_are_langdetects_own_table() -> None:
    """The profiles shipped in the package (``lang_profiles``) give, for every
    n-gram, the very row langdetect builds from its JSON files, and no other n-gram."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    from newsclean.stages.lang.profiles import build, load

    source = DetectorFactory()
    files = sorted(Path(PROFILES_DIRECTORY).iterdir())
    source.load_json_profile([p.read_text(encoding="utf-8") for p in files])
    compact = load()
    assert compact.langlist == source.langlist
    assert list(compact.grams()) == list(source.word_lang_prob_map)
    for gram, row in source.word_lang_prob_map.items():
        assert gram in compact
        assert compact[gram] == row, gram  # == on floats: bit for bit (no NaN here)
    assert "no such gram" not in compact
    with pytest.raises(KeyError):
        compact["no such gram"]
    # the file is what build() makes of langdetect's current profiles
    shipped = (ROOT / "src" / "newsclean" / "data" / "lang" / "profiles.bin").read_bytes()
    assert zlib.decompress(build(Path(PROFILES_DIRECTORY))) == zlib.decompress(shipped)


def test_scripts() -> None:
    assert scripts("") == set()
    assert scripts("Hello, wörld! 123 😀") == {"latin"}
    assert scripts(PARAGRAPHS["ru"] + " (Reuters)") == {"cyrillic", "latin"}
    assert scripts(PARAGRAPHS["ja"]) == {"han", "kana"}
    assert scripts(PARAGRAPHS["zh-tw"]) == {"han"}
    assert scripts(KOREAN) == {"hangul"}
    assert scripts(PARAGRAPHS["ar"]) == {"arabic"}
    assert scripts("Tiếng Việt") == {"latin"}
    assert scripts("Ողջույն աշխարհ") == set()  # Armenian: no profile


def test_text_in_a_script_langdetect_does_not_know_is_null() -> None:
    armenian = "Երևանում այսօր բացվեց նոր կամուրջ, որը կապում է քաղաքի երկու հատվածները։ " * 2
    assert detect(armenian) == (None, None)


# -- the sample ------------------------------------------------------------


def test_sample_is_bounded_whatever_the_length() -> None:
    long_text = "\n\n".join([ENGLISH] * 40)
    assert len(long_text) > 100_000
    for size in (200, 1000):
        part = sample(long_text, size)
        assert 0.8 * size <= len(part) <= size
        assert part in long_text or all(line in long_text for line in part.split("\n"))


def test_sample_prefers_prose_to_title_menus_and_code() -> None:
    prose = [
        "The minister said on Tuesday that talks would resume next week, after both "
        f"sides agreed on an agenda for the meeting number {i}."
        for i in range(8)
    ]
    code = "if (x < 0x80) { y[j++] = x; i += 1; } else { y[j++] = ((x & 0x1F) << 6); }" * 3
    menu = "Home News Sport Business Culture Travel Weather Video Live Newsletters Podcasts"
    title = "A Very Long Title That Goes On And On About The Talks, Which Resume Next Week"
    text = "\n".join([title, menu, code, *prose, "Share", "Back to top"])
    part = sample(text, 600)
    assert "minister" in part
    assert title not in part and menu not in part and "0x80" not in part
    # a short text is used whole, title included
    assert sample("Title\n\nOne short line.", 1000) == "Title\nOne short line."


def test_article_language_not_the_menus() -> None:
    """A French article on a page whose navigation is in English: the menus
    fill the sample only when the prose is too short to judge."""
    menus = ["Home", "World", "Business", "Sign in", "Subscribe", "Newsletters", "Contact us"]
    page = "\n".join([*menus * 8, PARAGRAPHS["fr"].strip(), *menus * 4])
    part = sample(page, 1000)
    assert "Subscribe" not in part and "place du marché" in part
    assert detect(page)[0] == "fr"
    headline_only = "\n".join([*menus * 8, "Le maire promet un nouveau plan."])
    assert "Newsletters" in sample(headline_only, 1000)  # the longest menu lines


def test_one_odd_paragraph_does_not_decide() -> None:
    """A long paragraph in another language (a quote, an ad) gives at most a
    third of the sample."""
    german_ad = PARAGRAPHS["de"].strip() * 3
    english = "\n".join(line for line in ENGLISH.split("\n") if len(line) > 40)
    part = sample(english + "\n" + german_ad, 1000)
    german = [line for line in part.split("\n") if "Gewerkschaft" in line or "Lohn" in line]
    assert sum(map(len, german)) <= 1000 // 3
    assert detect(english + "\n" + german_ad)[0] == "en"


# -- the stage -------------------------------------------------------------


def test_stage_fills_fields_from_body_else_text_and_copies() -> None:
    stage = LangStage()
    record = _record(text=PARAGRAPHS["de"], body=PARAGRAPHS["fr"], extra="kept")
    snapshot = json.dumps(record, sort_keys=True)
    out = stage.apply(record)
    assert json.dumps(record, sort_keys=True) == snapshot  # input not mutated
    assert (out["lang"], out["extra"]) == ("fr", "kept")
    validate(out)
    assert stage.apply(_record(text=PARAGRAPHS["de"]))["lang"] == "de"
    empty = stage.apply(_record(text=PARAGRAPHS["de"], body=""))  # strip emptied it
    assert (empty["lang"], empty["lang_prob"]) == (None, None)
    assert "warnings" not in empty
    validate(empty)
    # an HTML record extract has not been through stops the run, naming extract (#17)
    with pytest.raises(OrderError, match="extract must come before lang"):
        stage.apply(_record(html=f"<p>{PARAGRAPHS['de']}</p>"))


def test_keep_rejects_other_languages_and_null_on_purpose() -> None:
    stage = LangStage(LangConfig(keep=("en", "fr")))
    assert stage.apply(_record(text=PARAGRAPHS["fr"]))["lang"] == "fr"
    with pytest.raises(Reject) as info:
        stage.apply(_record(text=PARAGRAPHS["de"]))
    assert info.value.reason == "lang de not in en,fr"
    assert info.value.filtered
    with pytest.raises(Reject) as info:
        stage.apply(_record(text="Hi"))
    assert info.value.reason == "lang und not in en,fr"
    keep_short = LangStage(LangConfig(keep=("en", "und")))
    assert keep_short.apply(_record(text="Hi"))["lang"] is None


def test_parse_keep() -> None:
    assert parse_keep(None) == ()
    assert parse_keep(" en, FR,en ,") == ("en", "fr")
    assert parse_keep("zh,und") == ("zh", "und")
    with pytest.raises(ValueError, match="unknown language code eng"):
        parse_keep("eng,fr")


def test_stage_pickles() -> None:
    import pickle

    stage = LangStage(LangConfig(keep=("en",)))
    clone = pickle.loads(pickle.dumps(stage))
    assert clone.config == stage.config


# -- the command -----------------------------------------------------------


def _jsonl(tmp_path: Path) -> Path:
    """One record per test paragraph, an English sample, and one too short."""
    path = tmp_path / "drop.jsonl"
    rows = [{"id": stem, "text": text} for stem, text in PARAGRAPHS.items()]
    rows.append({"id": "en", "body": ENGLISH})
    rows.append({"id": "short", "text": "Read more"})
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


def test_lang_command_fills_every_record(cli, tmp_path: Path) -> None:
    result = cli("lang", str(_jsonl(tmp_path)))
    assert result.exit_code == 0, result.stderr
    records = parse_jsonl(result.stdout)
    found = {r["id"]: r["lang"] for r in records}
    assert found == {**EXPECTED, "en": "en", "short": None}
    assert list(records[-1])[-3:] == ["lang", "lang_prob", "stages"]
    assert records[-1]["stages"] == ["lang"]
    assert records[-1]["lang_prob"] is None
    guessed = parse_jsonl(cli("lang", str(_jsonl(tmp_path)), "--min-letters", "5").stdout)
    assert guessed[-1]["lang"] is not None  # "Read more" has 8 letters


def test_keep_sends_the_others_to_rejects_and_counts_them(cli, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    result = cli("lang", str(_jsonl(tmp_path)), "--keep", "en,fr", "--rejects", str(rejects))
    assert result.exit_code == 0, result.stderr  # filtering on purpose is not a failure
    kept = parse_jsonl(result.stdout)
    assert [r["id"] for r in kept] == ["fr", "en"]
    rows = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    reasons = {row["input"]["id"]: row["reason"] for row in rows}
    assert reasons == {
        **{stem: f"lang {EXPECTED[stem]} not in en,fr" for stem in PARAGRAPHS if stem != "fr"},
        "short": "lang und not in en,fr",
    }
    assert all(row["where"].startswith(f"{tmp_path}") for row in rows)
    total = len(PARAGRAPHS) + 2
    assert f"{total} in, 2 out, {total - 2} rejected" in result.stderr
    assert "1 lang de not in en,fr" in result.stderr
    assert "2 lang zh not in en,fr" in result.stderr


def test_keep_with_an_unknown_code_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli("lang", str(_jsonl(tmp_path)), "--keep", "english")
    assert result.exit_code == 2
    assert "unknown language code english" in result.stderr
    assert result.stdout == ""


def test_pipe_gives_the_same_records_as_one_command(cli) -> None:
    direct = cli("lang", str(SAMPLES))
    piped = cli("lang", input=cli("ingest", str(SAMPLES)).stdout)
    assert direct.exit_code == piped.exit_code == 0
    assert piped.stdout == direct.stdout
    assert {r["lang"] for r in parse_jsonl(direct.stdout)} == {"en"}


def test_clean_runs_lang_last_and_passes_keep(cli, tmp_path: Path) -> None:
    from newsclean.stages.chain import CleanConfig, clean_chain

    assert isinstance(clean_chain(CleanConfig())[-1], LangStage)
    result = cli("clean", str(_jsonl(tmp_path)), "--keep", "de")
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in parse_jsonl(result.stdout)] == ["de"]
    assert "1 out" in result.stderr


def test_lang_prob_is_langdetects_own_probability() -> None:
    """#17: a paragraph half English, half French got 1.0; langdetect says 0.857."""
    from newsclean.stages.lang.detector import detector

    text = (
        "The government announced on Tuesday that the new budget would include more money "
        "for schools and hospitals. Le gouvernement a annoncé mardi que le nouveau budget "
        "comprendrait davantage d'argent pour les écoles et les hôpitaux."
    )
    stock = detector(7, stock=True)  # langdetect's own Detector, seeded
    stock.append(text)
    best = stock.get_probabilities()[0]
    out = LangStage().apply(_record(text=text))
    assert (out["lang"], out["lang_prob"]) == (best.lang, round(best.prob, 3))
    assert out["lang_prob"] < 0.9
