"""langdetect, deterministic and thread-safe, with the same arithmetic in fewer Python steps.

Imported only by :mod:`newsclean.stages.lang.stage`, inside the function that detects, because
it imports langdetect (whose profiles take a noticeable time to load).

Why not ``langdetect.detect``:

* it shares one module-level factory and reads the class attribute
  ``DetectorFactory.seed``; unseeded, every call draws its random restarts from
  the OS, so the same text gets different answers from run to run;
* ``load_profile`` reads the profile folder in ``os.listdir`` order, which
  differs between file systems, and the order of the languages changes the order
  of floating-point sums; we load the profiles sorted by name;
* its hot loops (one ``NGram`` object fed character by character, a Unicode
  block bisection per character, an index loop over 55 languages per sampled
  n-gram) make it cost ~1 ms per 1,000 characters plus ~0.25 ms per trial.

:class:`FastDetector` keeps langdetect's algorithm and its random sequence, so
for the same text it returns bit-identical probabilities to a stock
``Detector`` with the same seed and prior map (``tests/test_lang.py`` and a
property test check it). It replaces the per-character Python work with
``str.translate``/``re`` and n-grams cached per word, the per-language index
loops with comprehensions, and, given a prior map, computes over the languages
whose prior is not 0 only. langdetect is Apache-2.0 (Nakatani Shuyo, Michal
Danilák); the loops below follow its ``detector.py``.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from newsclean.memo import Memo
from newsclean.stages.lang.profiles import load as load_profiles

#: the seed of every detection: a fixed seed is what makes langdetect repeatable
SEED = 0

_SPACES = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")
#: letters that _LATIN matches and most Latin text is full of
_COMMON = "eaoitn"
# What cleaning_text counts as non-Latin: U+0300 and above. langdetect means to
# leave out its block "Latin Extended Additional" (U+1E00-U+1EFF), but compares
# unicode_block()'s number with the block's name, which never matches, so it
# counts that block too; the results must be langdetect's.
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")


def _normalized(codepoint: int) -> str:
    normalized: str = NGram.normalize(chr(codepoint))
    return normalized


#: characters in the normalisation table before it is emptied (~5 MB at most)
_CACHE_SIZE = 50_000
#: ``NGram.normalize`` as a ``str.translate`` table
_NORMALIZE: Memo[int, str] = Memo(_normalized, _CACHE_SIZE)


#: n-grams of a word followed by a space, by word (valid because a process has
#: one factory): filled with the same value by any thread that gets there first,
#: emptied when full. Only words of up to _WORD_MAX characters: a run of Chinese
#: or Thai has no spaces, and would make a poor key. ~20 MB at most.
_WORD_GRAMS: dict[str, tuple[str, ...]] = {}
_WORD_CACHE_SIZE = 20_000
_WORD_MAX = 24


def _word_grams(word: str, known: Mapping[str, Any]) -> tuple[str, ...]:
    """The n-grams langdetect extracts from ``word`` (normalized, no inner
    space, maybe one trailing space) right after a space: ``NGram.add_char``
    and the gram loop of ``Detector._extract_ngrams``, inlined."""
    out: list[str] = []
    grams = " "
    capital = False
    for ch in word:
        last = grams[-1]
        if len(grams) >= 3:
            grams = grams[1:]
        grams += ch
        # two capitals in a row start a run whose letters langdetect skips
        if ch.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        if ch != " " and ch in known:
            out.append(ch)
        if len(grams) >= 2 and grams[-2:] in known:
            out.append(grams[-2:])
        if len(grams) == 3 and grams in known:
            out.append(grams)
    return tuple(out)


class FastDetector(Detector):  # type: ignore[misc]
    """A ``langdetect`` ``Detector``: same results, fewer Python steps."""

    text: str
    word_lang_prob_map: dict[str, list[float]]
    langlist: list[str]
    prior_map: list[float] | None
    langprob: list[float] | None

    def __init__(self, factory: Any) -> None:
        # Detector.__init__'s fields, but its Random seeded from the OS (a system
        # call and a seeding per text) is one with the fixed seed _detect_block
        # reseeds anyway.
        self.word_lang_prob_map = factory.word_lang_prob_map
        # membership in a plain dict (the table of factory() makes its rows on
        # first use)
        self.known: Mapping[str, int] = factory.word_lang_prob_map.known
        self.langlist = factory.langlist
        self.seed = factory.seed
        self.random = random.Random(self.seed)
        self.text = ""
        self.langprob = None
        self.alpha = self.ALPHA_DEFAULT
        self.n_trial = 7
        self.max_text_length = 10000
        self.prior_map = None
        self.verbose = False

    def append(self, text: str) -> None:
        # A URL has "://" and an address "@": most texts have neither, and the
        # address pattern tries every position of the text.
        if "://" in text:
            text = self.URL_RE.sub(" ", text)
        if "@" in text:
            text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        # langdetect's character loop keeps a space only after a non-space.
        self.text += _SPACES.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        text = self.text
        non_latin = len(text) - len(_NON_LATIN.sub("", text))
        if not non_latin:
            return  # (langdetect's test, latin * 2 < non_latin, cannot hold)
        # Counting [A-z] with a substitution costs a tenth of a millisecond on
        # Latin text, where a few curly quotes are all its non-Latin: a lower
        # bound from the commonest letters settles it first.
        if 2 * sum(map(text.count, _COMMON)) >= non_latin:
            return
        latin = len(text) - len(_LATIN.sub("", text))
        if latin * 2 < non_latin:
            self.text = _LATIN.sub("", text)

    def _extract_ngrams(self) -> list[str]:
        # langdetect feeds NGram one character at a time; its state goes back to
        # "after a space" at every space, so a word (with the space that ends
        # it) always yields the same n-grams, in the same order: cache them.
        known = self.known
        words = self.text.translate(_NORMALIZE).split(" ")
        result: list[str] = []
        for word in words[:-1]:
            if not word:
                continue
            if len(word) > _WORD_MAX:
                result += _word_grams(word + " ", known)
                continue
            grams = _WORD_GRAMS.get(word)
            if grams is None:
                grams = _word_grams(word + " ", known)
                if len(_WORD_GRAMS) >= _WORD_CACHE_SIZE:
                    _WORD_GRAMS.clear()
                _WORD_GRAMS[word] = grams
            result += grams
        if words[-1]:  # the text does not end with a space
            result += _word_grams(words[-1], known)
        return result

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        n_trial = self.n_trial
        # With a prior map, a language whose prior is 0 stays at exactly 0, and
        # adding 0.0 changes no sum: computing over the other languages only
        # gives langdetect's numbers bit for bit, for a fraction of the work.
        everyone = len(self.langlist)
        if self.prior_map is None:
            kept: tuple[int, ...] = tuple(range(everyone))
            table: Mapping[str, Sequence[float]] = self.word_lang_prob_map
        else:
            kept = tuple(i for i, p in enumerate(self.prior_map) if p > 0)
            table = _restricted(self.word_lang_prob_map, kept)
        langprob = [0.0] * len(kept)
        start: list[float] = self._init_probability()
        first = [start[i] for i in kept]
        rand = self.random
        rand.seed(self.seed)
        # rand.choice(ngrams) is ngrams[rand._randbelow(len(ngrams))], which
        # draws getrandbits(bits) until the value is below the length: the same
        # draws in the same order, in one Python call instead of three
        getrandbits = rand.getrandbits
        count = len(ngrams)
        bits = count.bit_length()

        def draw() -> Sequence[float]:
            r = getrandbits(bits)
            while r >= count:
                r = getrandbits(bits)
            return table[ngrams[r]]

        for _ in range(n_trial):
            alpha = self.alpha + rand.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            w = alpha / self.BASE_FREQ
            # langdetect multiplies in one n-gram per step and normalises every
            # fifth step. Five steps in one comprehension do the same
            # multiplications in the same order (left to right, each product a
            # double), with a fifth of the Python overhead per language.
            prob = [p * (w + q) for p, q in zip(first, draw(), strict=False)]
            i = 0
            while True:
                total: float = sum(prob)
                prob = list(map(total.__rtruediv__, prob))
                if max(prob) > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                    break
                a, b, c, d, e = draw(), draw(), draw(), draw(), draw()
                prob = [
                    p * (w + qa) * (w + qb) * (w + qc) * (w + qd) * (w + qe)
                    for p, qa, qb, qc, qd, qe in zip(prob, a, b, c, d, e, strict=False)
                ]
                i += 5
            langprob = [lp + p / n_trial for lp, p in zip(langprob, prob, strict=True)]
        self.langprob = [0.0] * everyone
        for j, i in enumerate(kept):
            self.langprob[i] = langprob[j]


class _Restricted(dict[str, Sequence[float]]):
    """The n-gram table cut to some languages, each row cut (in C) on first use."""

    def __init__(self, table: dict[str, list[float]], kept: tuple[int, ...]) -> None:
        super().__init__()
        self.table = table
        # itemgetter of one index gives a number, not a tuple
        self.cut: Callable[[list[float]], Sequence[float]] = (
            itemgetter(*kept) if len(kept) > 1 else lambda row: (row[kept[0]],)
        )

    def __missing__(self, gram: str) -> Sequence[float]:
        value = self.cut(self.table[gram])
        if len(self) >= _CACHE_SIZE:
            self.clear()
        self[gram] = value
        return value


#: cut tables by the languages kept: a handful in practice (Latin-script text,
#: Cyrillic, Arabic...), emptied past a few
_RESTRICTED: dict[tuple[int, ...], _Restricted] = {}


def _restricted(table: dict[str, list[float]], kept: tuple[int, ...]) -> _Restricted:
    cut = _RESTRICTED.get(kept)
    if cut is None:
        if len(_RESTRICTED) >= 16:
            _RESTRICTED.clear()
        cut = _RESTRICTED[kept] = _Restricted(table, kept)
    return cut


_FACTORY: Any = None
_LOCK = threading.Lock()


def factory() -> Any:
    """The process's ``DetectorFactory``: profiles loaded once, in sorted order,
    on first use. Its table only grows by rows made on first use, each the
    same whichever thread makes it, so threads share it safely."""
    global _FACTORY
    if _FACTORY is None:
        with _LOCK:
            if _FACTORY is None:
                made = DetectorFactory()
                # langdetect's table from the compact copy in the package (rows
                # made on first use), not from its 55 JSON files: the same
                # numbers for a tenth of the start-up (see lang_profiles)
                table = load_profiles()
                made.langlist = table.langlist
                made.word_lang_prob_map = table
                made.set_seed(SEED)
                _FACTORY = made
    return _FACTORY


def detector(n_trial: int = 7, exclude: tuple[str, ...] = (), stock: bool = False) -> Any:
    """A new detector for one text (Detectors keep state, so never share one).

    ``exclude`` names languages (langdetect's codes) the text cannot be in: their
    prior probability is 0 (langdetect's ``set_prior_map``). ``stock`` gives
    langdetect's own ``Detector``: the reference the tests and the bench compare
    against.
    """
    made_factory = factory()
    made = Detector(made_factory) if stock else FastDetector(made_factory)
    made.n_trial = n_trial
    if exclude:
        made.prior_map = list(_prior_map(made_factory, exclude))
    return made


@lru_cache(maxsize=64)
def _prior_map(made_factory: Any, exclude: tuple[str, ...]) -> tuple[float, ...]:
    """langdetect's prior map (``set_prior_map``) giving 0 to ``exclude``, made once
    per set of languages (a handful: one per script mix)."""
    made = Detector.__new__(Detector)
    made.langlist = made_factory.langlist
    made.set_prior_map({lang: 1.0 for lang in made_factory.langlist if lang not in exclude})
    return tuple(made.prior_map)
