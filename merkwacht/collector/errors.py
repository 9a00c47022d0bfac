"""Coded collection errors. Each collector turns its SDK's exceptions into one of these.

The codes end up in run records and on the command line; they never carry a credential.
"""

from __future__ import annotations

from datetime import datetime

#: code -> what it means (shown by `merkwacht collect` and documented in the run record).
CODES: dict[str, str] = {
    "E_RATE_LIMIT": "the platform answered 429; the account is not asked again before the reset time",
    "E_HTTP_5XX": "the platform answered with a server error, also after the retries",
    "E_TIMEOUT": "the platform did not answer in time, also after the retries",
    "E_NETWORK": "no connection to the platform, also after the retries",
    "E_MALFORMED": "the platform's answer was not the JSON shape it documents; nothing of that page was stored",
    "E_AUTH": "the platform refused the credentials",
    "E_CREDENTIALS": "a credential environment variable is missing",
    "E_NOT_FOUND": "the platform does not know the account",
    "E_HTTP": "the platform refused the request",
    "E_NOT_OPTED_IN": "the account has no active opt-in; nothing was requested",
    "E_INTERNAL": "the collector failed; the page in progress was rolled back",
}
#: Codes worth retrying (with backoff) before giving up.
RETRYABLE = frozenset({"E_HTTP_5XX", "E_TIMEOUT", "E_NETWORK"})


class CollectorError(Exception):
    """A coded failure of one request. ``retry_after`` is set for rate limits."""

    def __init__(self, code: str, message: str, *, retry_after: datetime | None = None) -> None:
        if code not in CODES:
            raise ValueError(f"unknown collector error code {code!r}")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE


def malformed(what: str) -> CollectorError:
    return CollectorError("E_MALFORMED", what)
