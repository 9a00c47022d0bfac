"""Coded collection errors. Each collector turns its SDK's exceptions into one of these.

A :class:`CollectorError` has two codes. Its ``E_*`` code (``code``) says what kind of failure
it is: it decides retries and is stored in the run record. Its message code (``message_code``,
given as ``code=`` like every :class:`~merkwacht.core.errors.Coded` error) and parameters give
its text from ``errors.toml`` beside this module, in Dutch and English::

    CollectorError("E_HTTP_5XX", code="http.status", platform="X", status=503)

``str()`` is ``"E_HTTP_5XX: X answered 503"`` and ``message`` the English text, which is what
the run record stores (as before); :meth:`~merkwacht.core.errors.Coded.text` gives the text in
the reader's language and :func:`describe` the meaning of an ``E_*`` code. The parameters are
values from the data (platform name, status, time, field, value), never words of one language,
and never a credential.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from merkwacht.core.errors import LOG_LANGUAGE, Coded
from merkwacht.core.i18n import Catalogue
from merkwacht.core.platforms import PLATFORMS

CATALOGUE = Catalogue(Path(__file__).with_name("errors.toml"))

#: The ``E_*`` codes a collection run can end with (their meaning is ``codes.<code>`` in the catalogue).
ERROR_CODES = (
    "E_RATE_LIMIT",
    "E_HTTP_5XX",
    "E_TIMEOUT",
    "E_NETWORK",
    "E_MALFORMED",
    "E_AUTH",
    "E_CREDENTIALS",
    "E_NOT_FOUND",
    "E_HTTP",
    "E_NOT_OPTED_IN",
    "E_INTERNAL",
)
#: Codes worth retrying (with backoff) before giving up.
RETRYABLE = frozenset({"E_HTTP_5XX", "E_TIMEOUT", "E_NETWORK"})


def describe(code: str, *, lang: str = LOG_LANGUAGE) -> str:
    """What the ``E_*`` code means, in ``lang`` (an unknown code: empty)."""
    return CATALOGUE.translate(lang, f"codes.{code}") if code in ERROR_CODES else ""


#: code -> what it means, in English (documented in the run record); :func:`describe` for another language.
CODES: dict[str, str] = {code: describe(code) for code in ERROR_CODES}


def platform_label(name: str) -> str:
    """The platform's own name (``X``, ``Mastodon``) for a message; an unknown name as it is."""
    platform = PLATFORMS.get(name)
    return platform.label if platform is not None else name


class CollectorError(Coded, Exception):
    """A coded failure of one request. ``retry_after`` is set for rate limits."""

    catalogue: ClassVar[Catalogue] = CATALOGUE
    #: The English text (stored in the run record as its message).
    message: str

    def __init__(self, error_code: str, /, *, code: str, retry_after: datetime | None = None, **params: Any) -> None:
        if error_code not in ERROR_CODES:
            raise ValueError(f"unknown collector error code {error_code!r}")
        self._error_code = error_code
        super().__init__(code=code, **params)
        self.code = error_code  # the E_* code; the message's key stays in message_code
        self.retry_after = retry_after

    def _message(self, message: str | None, *, code: str | None, params: dict[str, Any]) -> str:
        self.message = super()._message(message, code=code, params=params)
        return f"{self._error_code}: {self.message}"

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE


def rate_limited(platform: str, *, until: datetime) -> CollectorError:
    """``E_RATE_LIMIT`` from the platform's 429 answer: not asked again before ``until``."""
    return CollectorError("E_RATE_LIMIT", code="rate_limit.answered", platform=platform_label(platform),
                          at=until.astimezone(UTC), retry_after=until)
