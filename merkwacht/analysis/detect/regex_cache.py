"""Compiled lexicon patterns kept across runs, so ``merkwacht analyse`` starts fast.

The lexicons compile into a few very large regular expressions (tries of thousands of terms and
spelling variants). Python parses and compiles those at every start: most of a second of CPU,
as much as analysing several thousand posts. This module remembers, per pattern source, what
the compiler produced (the ``_sre`` code list) and what the lexicon builder derived from the
term lists (trie sources, leading literals), in one pickle file in the cache directory
(:func:`merkwacht.analysis.langid_model.cache_dir`). A pattern found there is rebuilt with
``_sre.compile`` without parsing: the very same compiled pattern ``re.compile`` would return.

The file is named after the Python version, the regular-expression engine's magic number and a
digest of the modules that derive what is stored (so editing them starts a new file), so another
Python never reads it; anything unexpected (missing, unreadable, another layout) falls
back to ``re.compile`` and ordinary building. The cache only ever saves time: it never decides
what a pattern matches. It is written once, at exit, when something new was compiled.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

try:  # CPython's regular-expression internals (3.11+); without them this module only delegates
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover
    _sre = None  # type: ignore[assignment]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: At most this many entries are kept in the file (the ones used by this run first).
MAX_ENTRIES = 4000

_entries: dict[tuple, Any] | None = None  # everything in the file (loaded on first use)
_used: dict[tuple, Any] = {}  # what this process used or made (written at exit when _dirty)
_dirty = False


def _private(path: Path) -> bool:
    """Is ``path`` a file of this user that nobody else can write, in a folder nobody else can write?

    The file is unpickled, like a ``.pyc`` is executed: only a file this user wrote may be read.
    """
    try:
        for item in (path, path.parent):
            info = item.stat()
            if (hasattr(os, "getuid") and info.st_uid != os.getuid()) or info.st_mode & 0o022:
                log.info("pattern cache %s ignored: writable by others or not ours", item)
                return False
    except OSError:
        return False
    return True


#: Modules whose code derives what :func:`memo` stores: editing one starts a new cache file.
_DERIVING = ("trie.py", "triggers.py", "screens.py", "regex_cache.py")


def _path() -> Path | None:
    from ..langid_model import cache_dir

    root = cache_dir()
    if root is None or _sre is None:
        return None
    version = "".join(map(str, sys.version_info[:3]))
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    try:
        for name in _DERIVING:
            digest.update((here / name).read_bytes())
    except OSError:  # not installed as plain files: no cache
        return None
    name = f"regex-{sys.implementation.name}{version}-{_sre.MAGIC}-{_sre.CODESIZE}-{digest.hexdigest()[:12]}.pickle"
    return root / name


def _load() -> dict[tuple, Any]:
    global _entries
    if _entries is None:
        _entries = {}
        path = _path()
        if path is not None and path.is_file() and _private(path):
            try:
                with open(path, "rb") as fh:
                    loaded = pickle.load(fh)
                if isinstance(loaded, dict):
                    _entries = loaded
            except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt, never fatal
                log.info("pattern cache %s unreadable (%s); rebuilding", path, exc)
    return _entries


def _remember(key: tuple, value: Any) -> None:
    global _dirty
    _used[key] = value
    if not _dirty:
        _dirty = True
        atexit.register(save)


def memo(kind: str, key: Any, build: Callable[[], T]) -> T:
    """``build()``, or what it returned for the same ``(kind, key)`` in an earlier run.

    ``key`` must determine the result completely (the term list itself, not a name for it).
    """
    full = (kind, key)
    entries = _load()
    if full in entries:
        value = entries[full]
        _used[full] = value
        return value
    value = build()
    entries[full] = value
    _remember(full, value)
    return value


def compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, without parsing when this source was compiled in an earlier run."""
    if _sre is None:
        return re.compile(source, flags)
    flags = int(flags)
    key = ("re", source, flags)
    entries = _load()
    stored = entries.get(key)
    if stored is not None:
        try:
            pattern = _sre.compile(source, *stored)
            _used[key] = stored
            return pattern
        except Exception as exc:  # noqa: BLE001 - another layout after all: compile normally below
            log.info("cached pattern not usable (%s); compiling it", exc)
    try:
        parsed = _parser.parse(source, flags)
        code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses: plain ints
        groupindex = parsed.state.groupdict
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        stored = (flags | parsed.state.flags, code, parsed.state.groups - 1, dict(groupindex), tuple(indexgroup))
        pattern = _sre.compile(source, *stored)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - internals changed: the public way
        return re.compile(source, flags)
    entries[key] = stored
    _remember(key, stored)
    return pattern


def save() -> None:
    """Write the cache file if this run added anything (atomically; failures are only logged)."""
    global _dirty
    path = _path()
    if not _dirty or path is None:
        return
    _dirty = False
    keep = dict(_used)
    for key, value in (_entries or {}).items():
        if len(keep) >= MAX_ENTRIES:
            break
        keep.setdefault(key, value)
    tmp = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)  # created 0600
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(keep, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        # files of this Python written by older code (another digest) are of no further use
        same_python = path.name.rsplit("-", 1)[0] + "-"
        for old in path.parent.glob(same_python + "*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except Exception as exc:  # noqa: BLE001 - saving is an optimisation: never fail the run for it
        log.info("pattern cache %s not written (%s)", path, exc)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
