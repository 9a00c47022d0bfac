"""A small linear text classifier (logistic regression on word, word-pair and shape features), numpy only.

Models are trained by ``merkwacht/analysis/training/train.py`` on the public sets whose licence
allows it and shipped as ``data/models/<name>.npz`` (vocabulary, weights, bias and the name of the
feature set; a few hundred KB).
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
_ZEROS = itertools.repeat(0.0)
# punctuation separates words; %, $, €, ? and ! are words of their own; @ starts a mention
_SEPARATE = str.maketrans(
    {c: " " for c in "\"#&'()*+,-./:;<=>[\\]^_`{|}~\u201c\u201d\u2018\u2019\u201e\u2026\u2013\u2014"}
    | {c: f" {c} " for c in "%$€?!"}
)


#: The same for an ASCII text, as a byte table (``bytes.translate`` is many times faster than ``str.translate``
#: with a dictionary); the signs that become words of their own are spaced out beforehand.
_ASCII_SEPARATE = bytes(32 if chr(b) in "\"#&'()*+,-./:;<=>[\\]^_`{|}~" else b for b in range(256))
_OWN_WORDS = "%$?!"


def tokens(text: str) -> list[str]:
    """Lower-case words; every number becomes ``0``, links ``<url>`` and mentions ``<user>``."""
    low = text.lower()
    if "http" in low:
        low = _URL.sub(" <url> ", low)
    if low.isascii():
        for sign in _OWN_WORDS:
            if sign in low:
                low = low.replace(sign, f" {sign} ")
        raw = low.encode("ascii").translate(_ASCII_SEPARATE).decode("ascii").split()
    else:
        raw = low.translate(_SEPARATE).split()
    return ["<user>" if tok[0] == "@" else "0" if tok[0].isdigit() else tok for tok in raw]


#: The feature set below; a model file trained on another one is not loaded.
FEATURE_SET = "words+shape/2"
# A capitalised word inside a sentence (a name: "het RIVM", "said Smith"), not the first word of one.
_INNER_CAPITAL = re.compile(r"(?<=[\w,;:] )[A-Z][A-Za-z]")
_FIRST_PERSON = frozenset(["i", "me", "my", "we", "us", "our", "ik", "mij", "mijn", "m'n", "wij", "ons", "onze"])
_SECOND_PERSON = frozenset(["you", "your", "je", "jij", "jou", "jouw", "u", "uw", "jullie"])


def features(text: str) -> list[str]:
    """The features the linear models see: word unigrams and bigrams, the first word, a length bucket
    and the shape of the text (names, digits, question and exclamation marks, first or second person).

    The shape features carry across languages and text kinds: a model trained on parliament and debate
    sentences can use them on posts, whose vocabulary it has mostly not seen.
    """
    toks = tokens(text)
    feats = toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]
    if toks:
        feats.append(f"<first>{toks[0]}")
    feats.append(f"<len>{min(len(toks) // 5, 8)}")
    feats.append(f"<caps>{min(len(_INNER_CAPITAL.findall(text)), 4)}")
    feats.append(f"<digits>{min(sum(map(text.count, '0123456789')), 3)}")
    if "?" in text:
        feats.append("<question>")
    if "!" in text:
        feats.append("<exclamation>")
    words = set(toks)
    if not words.isdisjoint(_FIRST_PERSON):
        feats.append("<first-person>")
    if not words.isdisjoint(_SECOND_PERSON):
        feats.append("<second-person>")
    return feats


class LinearModel:
    """Vocabulary, weights and bias of one trained model."""

    def __init__(self, vocabulary: list[str], weights: np.ndarray, bias: float):
        self.index = {f: i for i, f in enumerate(vocabulary)}
        self.weights = [float(w) for w in weights]
        self.bias = float(bias)
        self._table = dict(zip(vocabulary, self.weights))
        # The same weights arranged for :meth:`evidence`, which scores a text without writing out its
        # feature strings: word pairs keyed by (word, word) (a bigram feature is the only one with a
        # space), the shape features by their value.
        self._pairs = {tuple(f.split(" ")): w for f, w in self._table.items() if f.count(" ") == 1}
        weight = self._table.get
        self._first = {f[len("<first>"):]: w for f, w in self._table.items() if f.startswith("<first>")}
        self._length = [weight(f"<len>{k}", 0.0) for k in range(9)]
        self._caps = [weight(f"<caps>{k}", 0.0) for k in range(5)]
        self._digits = [weight(f"<digits>{k}", 0.0) for k in range(4)]
        self._question = weight("<question>", 0.0)
        self._exclamation = weight("<exclamation>", 0.0)
        self._first_person = weight("<first-person>", 0.0)
        self._second_person = weight("<second-person>", 0.0)

    def evidence(self, text: str) -> float:
        """The sum of the weights of the distinct :func:`features` of ``text`` (without the bias).

        The same features and weights as looking each string of ``features(text)`` up, built without
        the strings: this runs for every sentence of every post the claims model reads. Only the
        order of the additions differs (that of a set of strings, which varies from run to run anyway).
        """
        toks = tokens(text)
        words = set(toks)
        total = sum(map(self._table.get, words, _ZEROS))
        if len(toks) > 1:
            total += sum(map(self._pairs.get, set(itertools.pairwise(toks)), _ZEROS))
        if toks:
            total += self._first.get(toks[0], 0.0)
            if not words.isdisjoint(_FIRST_PERSON):
                total += self._first_person
            if not words.isdisjoint(_SECOND_PERSON):
                total += self._second_person
        total += self._length[min(len(toks) // 5, 8)]
        total += self._caps[min(len(_INNER_CAPITAL.findall(text)), 4)]
        total += self._digits[min(sum(map(text.count, "0123456789")), 3)]
        if "?" in text:
            total += self._question
        if "!" in text:
            total += self._exclamation
        return total

    def probability(self, text: str) -> float:
        """The model's probability that ``text`` belongs to the positive class."""
        z = self.bias + self.evidence(text)
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def probability_by_features(self, text: str) -> float:
        """:meth:`probability` by its definition: the weights of the feature strings of ``text``."""
        z = self.bias + sum(map(self._table.get, set(features(text)), _ZEROS))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


@cache
def load(name: str) -> LinearModel | None:
    """The shipped model ``data/models/<name>.npz``, or ``None`` when it is not installed."""
    path = resources.files("merkwacht.analysis").joinpath("data", "models", f"{name}.npz")
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return read(fh)


def read(fh) -> LinearModel | None:
    """A model from an open ``.npz`` file, or ``None`` when it was trained on another feature set."""
    with np.load(fh, allow_pickle=False) as data:
        if "feature_set" not in data or str(data["feature_set"]) != FEATURE_SET:
            return None  # trained on other features: its weights would mean nothing here
        vocabulary = [str(v) for v in data["vocabulary"]]
        return LinearModel(vocabulary, data["weights"], float(data["bias"]))
