"""Language identification for posts that arrive without a language, with py3langid (local, no download)."""

from __future__ import annotations

from functools import lru_cache

from .textfeatures import remember_short_texts

#: Languages the rules have lexicons for; anything else is reported as detected but analysed with both.
SUPPORTED = ("nl", "en")


@lru_cache(maxsize=1)
def _identifier():
    from .langid_model import load_identifier

    identifier = load_identifier(norm_probs=True)  # py3langid's model, decompressed once into a cache
    identifier.set_languages(["nl", "en", "de", "fr", "es", "it", "pt", "af", "tr", "ar", "pl"])
    return identifier


def detect(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None`` when the text is too short to tell.

    Results are remembered per text (reposts, quoted posts and templates repeat; identification costs
    about 0.1 ms a post); long texts, which are rare, are not kept in memory.
    """
    return _detect_cached(text)


def _detect(text: str) -> str | None:
    stripped = " ".join(w for w in text.split() if not w.startswith(("http", "@", "#")))
    letters = 0
    for ch in stripped:  # at least three letters (counting stops at the third)
        if ch.isalpha():
            letters += 1
            if letters == 3:
                break
    else:
        return None
    lang, _prob = _identifier().classify(stripped)
    return lang


#: The language of the 8,192 most recent short texts (long texts are not kept).
_detect_cached = remember_short_texts(maxsize=8192)(_detect)
