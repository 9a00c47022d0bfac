"""A small linear text classifier (logistic regression on word and word-pair features), numpy only.

Models are trained by ``merkwacht/analysis/training/train.py`` on the public sets whose licence
allows it and shipped as ``data/models/<name>.npz`` (vocabulary, weights, bias; a few hundred KB).
Loading takes milliseconds; scoring a post is a few dictionary look-ups and one sum, so it keeps up
with the rest of the analyser. No model is downloaded at run time.
"""

from __future__ import annotations

import itertools
import math
import re
from functools import cache
from importlib import resources

import numpy as np

_URL = re.compile(r"https?://\S+")
# punctuation separates words; %, $, €, ? and ! are words of their own; @ starts a mention
_SEPARATE = str.maketrans(
    {c: " " for c in "\"#&'()*+,-./:;<=>[\\]^_`{|}~\u201c\u201d\u2018\u2019\u201e\u2026\u2013\u2014"}
    | {c: f" {c} " for c in "%$€?!"}
)


def tokens(text: str) -> list[str]:
    """Lower-case words; every number becomes ``0``, links ``<url>`` and mentions ``<user>``."""
    low = text.lower()
    if "http" in low:
        low = _URL.sub(" <url> ", low)
    out = []
    for tok in low.translate(_SEPARATE).split():
        first = tok[0]
        if first == "@":
            out.append("<user>")
        elif first.isdigit():
            out.append("0")
        else:
            out.append(tok)
    return out


def features(text: str) -> list[str]:
    """Word unigrams and bigrams plus a length bucket: the features the linear models see."""
    toks = tokens(text)
    feats = toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]
    if toks:
        feats.append(f"<first>{toks[0]}")
    feats.append(f"<len>{min(len(toks) // 5, 8)}")
    return feats


class LinearModel:
    """Vocabulary, weights and bias of one trained model."""

    def __init__(self, vocabulary: list[str], weights: np.ndarray, bias: float):
        self.index = {f: i for i, f in enumerate(vocabulary)}
        self.weights = [float(w) for w in weights]
        self.bias = float(bias)

    def probability(self, text: str) -> float:
        """The model's probability that ``text`` belongs to the positive class."""
        index, weights = self.index, self.weights
        z = self.bias
        for f in set(features(text)):
            i = index.get(f)
            if i is not None:
                z += weights[i]
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


@cache
def load(name: str) -> LinearModel | None:
    """The shipped model ``data/models/<name>.npz``, or ``None`` when it is not installed."""
    path = resources.files("merkwacht.analysis").joinpath("data", "models", f"{name}.npz")
    if not path.is_file():
        return None
    with path.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
        vocabulary = [str(v) for v in data["vocabulary"]]
        return LinearModel(vocabulary, data["weights"], float(data["bias"]))
