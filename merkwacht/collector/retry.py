"""Bounded retries with exponential backoff for 5xx answers, timeouts and dropped connections.

Rate limits are never retried here (the run ends and records when to come back), and the
sleep is injectable so tests and the scheduler decide how long, if at all, to wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .errors import CollectorError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``retries`` extra attempts; the n-th waits ``backoff * 2**n`` seconds through ``sleep``."""

    retries: int = 3
    backoff: float = 2.0
    sleep: Callable[[float], None] = time.sleep

    def call(self, func: Callable[[], T], *, on_retry: Callable[[CollectorError, int], None] | None = None) -> T:
        attempt = 0
        while True:
            try:
                return func()
            except CollectorError as exc:
                if not exc.retryable or attempt >= self.retries:
                    raise
                if on_retry is not None:
                    on_retry(exc, attempt + 1)
                delay = self.backoff * (2**attempt)
                if delay > 0:
                    self.sleep(delay)
                attempt += 1
