"""The claims model's features, file format and training script (on toy data written for this test)."""

from __future__ import annotations

import io

import numpy as np

from merkwacht.analysis.detect import linear
from merkwacht.analysis.training import train


def test_features_hold_words_pairs_and_the_shape_of_the_text():
    feats = linear.features("Het RIVM meldde 12 nieuwe gevallen, zei @iemand. Klopt dat?")
    assert "rivm" in feats and "nieuwe gevallen" in feats and "0" in feats and "<user>" in feats
    assert "<caps>1" in feats  # "RIVM" inside a sentence; the first word does not count
    assert "<digits>2" in feats and "<question>" in feats
    assert "<first-person>" not in linear.features("They reported twelve cases.")
    assert "<first-person>" in linear.features("We reported twelve cases.")
    assert "<second-person>" in linear.features("Heb je het gelezen?")


def test_the_shipped_claims_model_matches_the_feature_set():
    model = linear.load("claims")
    assert model is not None
    assert 0.0 <= model.probability("De werkloosheid steeg vorig jaar met twee procent.") <= 1.0


def _npz(**arrays) -> io.BytesIO:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    buf.seek(0)
    return buf


def test_a_model_file_of_another_feature_set_is_not_loaded():
    arrays = {"vocabulary": np.asarray(["a", "b"]), "weights": np.asarray([1.0, -1.0], dtype=np.float32),
              "bias": np.float64(0.0)}
    assert linear.read(_npz(**arrays)) is None  # an old file without a feature set
    assert linear.read(_npz(**arrays, feature_set=np.asarray("words/1"))) is None
    model = linear.read(_npz(**arrays, feature_set=np.asarray(linear.FEATURE_SET)))
    assert model is not None and model.probability("a a") > 0.5 > model.probability("b")


def test_fit_is_reproducible_and_learns_a_toy_task():
    facts = ["de prijs steeg met 0 procent", "het aantal daalde vorig jaar", "er waren 0 gevallen in mei",
             "de omzet groeide met 0 procent", "het aantal leden steeg in april"] * 4
    opinions = ["wat een slecht idee is dit", "ik vind dit echt geweldig", "moeten we dit wel willen",
                "dit is toch niet normaal", "wij vinden dit een mooi plan"] * 4
    docs = [linear.features(t) for t in facts + opinions]
    y = [1] * len(facts) + [0] * len(opinions)
    first = train.fit(docs, y, min_count=1, epochs=100)
    second = train.fit(docs, y, min_count=1, epochs=100)
    assert first[0] == second[0] and np.array_equal(first[1], second[1])
    p = train.predict(first, [linear.features("het aantal steeg met 0 procent"),
                              linear.features("ik vind dit een slecht idee")])
    assert p[0] > 0.5 > p[1]


def test_only_sets_that_may_be_trained_on_are_read():
    allowed = {"factrank_nl/factrank_v1_2019.csv", "factrank_nl/factrank_dump_2017.csv",
               "claimbuster_en/claimbuster_two_class.csv"}
    assert {rel for rel, _ in train.SETS["claims"]} <= allowed
