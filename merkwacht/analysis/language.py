"""Language identification for posts that arrive without a language, with py3langid (local, no download)."""

from __future__ import annotations

from functools import lru_cache

#: Languages the rules have lexicons for; anything else is reported as detected but analysed with both.
SUPPORTED = ("nl", "en")


@lru_cache(maxsize=1)
def _identifier():
    from .langid_model import load_identifier

    identifier = load_identifier(norm_probs=True)  # py3langid's model, decompressed once into a cache
    identifier.set_languages(["nl", "en", "de", "fr", "es", "it", "pt", "af", "tr", "ar", "pl"])
    return identifier


#: Texts up to this many characters have their language remembered (8,192 of them at most).
CACHE_TEXT_LIMIT = 2000


def detect(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None`` when the text is too short to tell.

    Results are remembered per text (reposts, quoted posts and templates repeat; identification costs
    about 0.1 ms a post); long texts, which are rare, are not kept in memory.
    """
    if len(text) > CACHE_TEXT_LIMIT:
        return _detect(text)
    return _detect_cached(text)


@lru_cache(maxsize=8192)
def _detect_cached(text: str) -> str | None:
    return _detect(text)


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
