"""py3langid's language model, loaded fast: decompressed once into a cache directory, then read raw.

py3langid ships its model as an LZMA-compressed ``.npz`` (4.5 MB); decompressing it costs about
0.8 s of CPU at every start of ``merkwacht analyse``, more than analysing 5,000 posts. The first
load here decompresses it with py3langid's own loader and writes the six arrays it returns, as
they are, to ``<cache>/py3langid-<version>-<size>-<mtime>/``; later loads read those files
(about 0.05 s). The identifier is built exactly as ``LanguageIdentifier.from_model_file`` builds
it, so it classifies identically. When the cache cannot be written or read (read-only home,
another py3langid version), the model is loaded the ordinary way.

The cache directory is ``$MERKWACHT_CACHE_DIR`` (empty: no cache), else
``$XDG_CACHE_HOME/merkwacht``, else ``~/.cache/merkwacht``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from array import array
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

_ARRAY_FILES = ("nextmove", "row")  # stdlib arrays (typecode in meta.json)
_NUMPY_FILES = ("ptc", "pc", "output")


def cache_dir() -> Path | None:
    """Where merkwacht keeps derived artefacts it can always rebuild (None: caching is off)."""
    configured = os.environ.get("MERKWACHT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "merkwacht"


def _model_path() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def _slot(model: Path) -> Path | None:
    root = cache_dir()
    if root is None:
        return None
    import py3langid

    stat = model.stat()
    version = getattr(py3langid, "__version__", "unknown")
    return root / f"py3langid-{version}-{stat.st_size}-{stat.st_mtime_ns}"


def _write(slot: Path, parts: tuple[Any, ...]) -> None:
    """Write the loader's six parts into ``slot`` (atomically: a complete directory or none)."""
    ptc, pc, classes, nextmove, row, output = parts
    slot.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=slot.name + ".", dir=slot.parent))
    try:
        np.save(tmp / "ptc.npy", np.asarray(ptc), allow_pickle=False)
        np.save(tmp / "pc.npy", np.asarray(pc), allow_pickle=False)
        np.save(tmp / "output.npy", np.asarray(output, dtype=np.int64), allow_pickle=False)
        for name, arr in (("nextmove", nextmove), ("row", row)):
            with open(tmp / f"{name}.bin", "wb") as fh:
                arr.tofile(fh)
        meta = {"classes": list(classes), "typecodes": {"nextmove": nextmove.typecode, "row": row.typecode},
                "lengths": {"nextmove": len(nextmove), "row": len(row)}}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, slot)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not slot.is_dir():
            raise


def _read(slot: Path) -> tuple[Any, ...]:
    meta = json.loads((slot / "meta.json").read_text(encoding="utf-8"))
    arrays = {}
    for name in _ARRAY_FILES:
        arr = array(meta["typecodes"][name])
        with open(slot / f"{name}.bin", "rb") as fh:
            arr.fromfile(fh, meta["lengths"][name])
        arrays[name] = arr
    ptc = np.load(slot / "ptc.npy", allow_pickle=False)
    pc = np.load(slot / "pc.npy", allow_pickle=False)
    output = np.load(slot / "output.npy", allow_pickle=False).tolist()
    return ptc, pc, meta["classes"], arrays["nextmove"], arrays["row"], output


def _parts() -> tuple[Any, ...]:
    """The six parts py3langid's ``load_model`` returns, from the cache when possible."""
    from py3langid.modelio import load_model

    model = _model_path()
    try:
        slot = _slot(model)
    except OSError:
        slot = None
    if slot is not None and slot.is_dir():
        try:
            return _read(slot)
        except (OSError, ValueError, KeyError, EOFError) as exc:
            log.warning("language model cache %s unreadable (%s); loading the model itself", slot, exc)
    parts = load_model(model)
    if slot is not None:
        try:
            _write(slot, parts)
        except OSError as exc:
            log.info("language model cache %s not written (%s)", slot, exc)
    return parts


def load_identifier(*, norm_probs: bool = True):
    """A py3langid ``LanguageIdentifier`` for its shipped model (as ``from_model_file`` builds it)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    try:
        ptc, pc, classes, nextmove, row, output = _parts()
        return LanguageIdentifier(
            np.asarray(ptc), np.asarray(pc), classes, nextmove, output, norm_probs=norm_probs, tk_row=row
        )
    except (TypeError, ValueError, ImportError) as exc:  # another py3langid layout: its own loader
        log.info("py3langid model loaded without cache (%s)", exc)
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=norm_probs)
