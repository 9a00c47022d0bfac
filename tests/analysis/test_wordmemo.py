"""WordMemo: what a function tells of single words, remembered within a bound; silent words kept apart."""

from merkwacht.analysis.detect.wordmemo import WordMemo


def test_answers_are_remembered_and_silent_words_kept_apart():
    asked: list[str] = []

    def vowels(word: str) -> str:
        asked.append(word)
        return "".join(ch for ch in word if ch in "aeiou")

    memo = WordMemo(vowels, size=10)
    assert memo.get("kat") == "a"
    assert memo.get("kat") == "a"
    assert memo.get("psst") is None  # tells nothing
    assert memo.get("psst") is None
    assert asked == ["kat", "psst"]
    assert memo.inert == {"psst"} and memo.known == {"kat": "a"}
    assert {"kat", "psst", "hond"} - memo.inert == {"kat", "hond"}


def test_the_memory_is_emptied_when_full():
    memo = WordMemo(len, size=3)
    for word in ("a", "bb", "ccc"):
        memo.get(word)
    assert len(memo.known) == 3
    assert memo.get("dddd") == 4  # full: emptied first, then this word kept
    assert memo.known == {"dddd": 4}
