"""The trained line labeller: gradient-boosted trees (LightGBM) over a window of units,
in two passes.

Pass 1 reads each unit's features (:mod:`.features`) and gives a probability per role.
Pass 2 reads the same features plus pass 1's probabilities for the unit and its
neighbours, so a unit inside a block of teasers or comments learns from the block
(stacked sequential learning; pass 2 trains on pass 1's out-of-fold answers, never on
answers pass 1 gave for pages it trained on).

``fit`` returns the model file's bytes: the same bytes from the same pages (LightGBM runs
deterministic, one thread, fixed seeds; the file is gzip with no timestamp). The shipped
model is ``data/lines/model.bin``, loaded on first use.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import numpy as np

from newsclean.stages.lines.features import NAMES
from newsclean.stages.lines.roles import ROLES
from newsclean.stages.lines.vocab import Vocab

MODEL_FILE = "data/lines/model.bin"
FORMAT = 1

#: LightGBM's options, chosen by site-grouped cross-validation (``python -m train.cv``).
PARAMS: dict[str, Any] = {
    "objective": "multiclass",
    "num_class": len(ROLES),
    "learning_rate": 0.25,
    "num_leaves": 15,
    "max_bin": 63,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.5,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "deterministic": True,
    "force_col_wise": True,
    "seed": 7,
    "verbose": -1,
}
ROUNDS = 40

_CONTEXT_OFFSETS = (-2, -1, 1, 2)
PASS2_NAMES: tuple[str, ...] = (
    *NAMES,
    *(f"p_{r}" for r in ROLES),
    *(f"{o:+d}_p_{r}" for o in _CONTEXT_OFFSETS for r in ROLES),
    *(f"p5_{r}" for r in ROLES),
)


def _lightgbm() -> Any:
    """LightGBM, its OpenMP pool held to one thread: the worker pool forks after the model
    is loaded, and a forked child of a process whose OpenMP pool has started hangs (libgomp
    reads ``OMP_NUM_THREADS`` once, when the library loads). newsclean runs in parallel by
    processes, so one thread each loses nothing."""
    if "lightgbm" not in sys.modules:
        os.environ["OMP_NUM_THREADS"] = "1"
    import lightgbm

    return lightgbm


def context(probs: np.ndarray) -> np.ndarray:
    """Pass 2's extra columns: the unit's own probabilities, its neighbours', and their
    mean over the five units on each side."""
    n, k = probs.shape
    pad = np.full((2, k), np.nan)
    padded = np.vstack([pad, probs, pad])
    shifted = [padded[2 + o : 2 + o + n] for o in _CONTEXT_OFFSETS]
    csum = np.vstack([np.zeros((1, k)), np.cumsum(probs, axis=0)])
    idx = np.arange(n)
    lo, hi = np.maximum(0, idx - 5), np.minimum(n, idx + 6)
    mean = (csum[hi] - csum[lo]) / (hi - lo)[:, None]
    return np.hstack([probs, *shifted, mean])


class Tagged(NamedTuple):
    """A page's roles, one per unit, and the model's probability of each."""

    roles: list[str]
    probs: list[float]


@dataclass(frozen=True)
class LineModel:
    """The vocabulary table and the two passes' boosters."""

    vocab: Vocab
    pass1: Any
    pass2: Any

    def tag_matrix(self, x: np.ndarray) -> np.ndarray:
        """Per unit (rows of ``x``), the probability of each role."""
        if x.shape[0] == 0:
            return np.zeros((0, len(ROLES)))
        # one thread: a page is a few dozen rows, and OpenMP's threads cost more than
        # they give (and spin on a busy machine)
        p1 = self.pass1.predict(x, num_threads=1)
        return np.asarray(self.pass2.predict(np.hstack([x, context(p1)]), num_threads=1))

    def tag(self, x: np.ndarray) -> Tagged:
        probs = self.tag_matrix(x)
        best = probs.argmax(axis=1) if len(probs) else []
        return Tagged(
            [ROLES[int(b)] for b in best], [float(probs[i, b]) for i, b in enumerate(best)]
        )

    def reasons(self, x: np.ndarray, role: str, n: int = 3) -> list[list[str]]:
        """Per unit, the ``n`` columns that pushed most towards ``role`` in pass 2."""
        if x.shape[0] == 0:
            return []
        full = np.hstack([x, context(self.pass1.predict(x, num_threads=1))])
        contrib = np.asarray(self.pass2.predict(full, pred_contrib=True, num_threads=1))
        width = len(PASS2_NAMES) + 1
        k = ROLES.index(role)
        part = contrib[:, k * width : (k + 1) * width - 1]
        out = []
        for row in part:
            top = np.argsort(-row, kind="stable")[:n]
            out.append([f"{PASS2_NAMES[j]} {row[j]:+.2f}" for j in top if row[j] > 0])
        return out

    def to_bytes(self) -> bytes:
        doc = {
            "format": FORMAT,
            "roles": list(ROLES),
            "names": list(PASS2_NAMES),
            "vocab": dict(self.vocab.scores),
            "pass1": self.pass1.model_to_string(),
            "pass2": self.pass2.model_to_string(),
        }
        raw = json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return gzip.compress(raw, compresslevel=9, mtime=0)

    @classmethod
    def from_bytes(cls, data: bytes) -> LineModel:
        lightgbm = _lightgbm()
        doc = json.loads(gzip.decompress(data))
        if doc.get("format") != FORMAT or doc.get("roles") != list(ROLES):
            raise ValueError("line model file: made for another version of newsclean")
        return cls(
            Vocab(doc["vocab"]),
            lightgbm.Booster(model_str=doc["pass1"]),
            lightgbm.Booster(model_str=doc["pass2"]),
        )


def train_booster(
    x: np.ndarray, y: Sequence[int], weights: Sequence[float], names: Sequence[str]
) -> Any:
    lightgbm = _lightgbm()
    data = lightgbm.Dataset(
        x,
        label=np.asarray(y),
        weight=np.asarray(weights),
        feature_name=list(names),
        free_raw_data=True,
        params={"verbose": -1},
    )
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


@cache
def shipped() -> LineModel:
    """The model that ships in the package, read on first use."""
    return LineModel.from_bytes(resources.files("newsclean").joinpath(MODEL_FILE).read_bytes())
