"""The shared text features against their definition, also when remembered across many texts.

The engine runs one rule after the other over a batch of posts, so the features of a text are asked
for again after those of a thousand other texts: whatever the memory returns must be what computing
them afresh gives.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from merkwacht.analysis import textfeatures
from merkwacht.analysis.textfeatures import _FOLD, _PUNCT, features, folded


def _features_reference(text: str) -> tuple[str, frozenset[str]]:
    low = text.lower()
    return low, frozenset(low.translate(_PUNCT).split())


def _folded_reference(text: str) -> str:
    return " ".join(text.translate(_FOLD).lower().split())


_ALPHABET = st.sampled_from(list("abcXYZ \n\t.,!?'\"#@-–…“”€$%\u0130\u0131\u017f\u212a\u00e9\u00df"))
_TEXTS = st.lists(st.text(alphabet=_ALPHABET, max_size=40), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_features_and_folded_equal_their_definition_in_any_order(texts):
    for _ in range(2):  # the second round is answered from memory
        for text in texts:
            assert features(text) == _features_reference(text)
            assert folded(text) == _folded_reference(text)


def test_memory_holds_a_batch_and_stays_right_beyond_it():
    texts = [f"Bericht {n}: wij melden, zoals elke dag, iets nieuws (nr. {n})" for n in range(3 * textfeatures.MEMORY)]
    for text in texts:
        assert features(text) == _features_reference(text)
    for text in reversed(texts):  # the oldest ones were forgotten: computed again, the same
        assert features(text) == _features_reference(text)
        assert folded(text) == _folded_reference(text)


def test_long_texts_are_computed_not_remembered():
    text = "Wat een Dag! " * (textfeatures.CACHE_TEXT_LIMIT // 10)
    assert len(text) > textfeatures.CACHE_TEXT_LIMIT
    before = textfeatures._remembered_features.cache_info().currsize
    assert features(text) == _features_reference(text)
    assert folded(text) == _folded_reference(text)
    assert textfeatures._remembered_features.cache_info().currsize == before
