"""Garbage collection for long analysis runs: fewer, cheaper collections.

An analysis run allocates millions of short-lived objects (posts, hits, findings) that hold no
reference cycles, and frees them by reference counting. CPython's cyclic collector still walks
the young generation every 700 allocations and, every so often, every object in the process,
including the lexicons, patterns and language model loaded at start-up, which live for the whole
run. That walking cost about 5% of a file-mode run of 100,000 posts (``/usr/bin/time merkwacht
analyse`` on the posts of ``score.py speed``: 8.8 s with CPython's settings, 8.3-8.5 s with these).

:func:`long_run` moves what exists when the run starts (the imported modules) out of the
collector's sight (:func:`gc.freeze`) and collects the young generation every 50,000 allocations
instead of every 700 (:data:`THRESHOLDS`). The lexicons and models, which load lazily once the run
has started, are not frozen: they soon reach the oldest generation, which these thresholds walk
far less often. Cycles are still found; memory stays flat because posts are streamed a
batch at a time. The previous settings come back when the run ends, so a caller in the same
process (tests, the scheduler) is not affected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: During a run: allocations between two collections of the youngest generation (CPython: 700), and
#: how many of those before the middle generation (10) and the oldest (10) are collected too.
THRESHOLDS = (50_000, 20, 100)


@contextmanager
def long_run() -> Iterator[None]:
    """Collect less often while the block runs; objects that exist at its start are never walked."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
