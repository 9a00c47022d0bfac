"""The JSON-lines interchange format: reading with line-level errors, and writing.

Reading never stops at a bad line: every line is either a record or a :class:`LineError`
that names the line number, the field and what is wrong, so the caller can report it
and go on. Lines longer than ``max_line_bytes`` are skipped without being held in memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import IO, Any, TypeVar

from pydantic import BaseModel, ValidationError

from .post import Approval, Post

#: A post on any platform we know fits easily; a line beyond this is refused, not read.
MAX_LINE_BYTES = 1_000_000

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class LineError:
    """A line that could not be read: where, which field, and why.

    ``code`` names the kind of fault where it is one of a fixed few (``json_invalid``, ``not_object``,
    ``missing``, ``too_long``, ``not_utf8``, ``id_conflict``), with ``detail`` the technical part of
    the message, so that an interface can say it in its own language; otherwise it is ``None`` and
    ``message`` is all there is (a validator's own text).
    """

    line: int
    field: str | None
    message: str
    value: str | None = None
    code: str | None = None
    detail: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.field:
            where += f", field {self.field!r}"
        shown = f" (value: {self.value})" if self.value is not None else ""
        return f"{where}: {self.message}{shown}"


def _describe(exc: ValidationError, line: int) -> LineError:
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(part) for part in err.get("loc", ()) if part != "__root__") or None
    kind = err.get("type", "")
    if kind == "json_invalid":
        detail = str(err.get("msg", ""))
        return LineError(line, None, f"not valid JSON: {detail}", code="json_invalid", detail=detail)
    if kind == "model_type":
        return LineError(line, None, "not a JSON object", code="not_object")
    if kind == "missing":
        return LineError(line, loc, "required field is missing", code="missing")
    value = err.get("input")
    shown = None
    if value is not None and not isinstance(value, dict | list):
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
    message = err.get("msg", "invalid")
    if kind in ("string_type", "int_type", "list_type", "tuple_type", "dict_type"):
        message = f"{message}, got {type(value).__name__}"
    return LineError(line, loc, message, shown)


def _lines(stream: IO[bytes] | IO[str], max_line_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; ``None`` for a line over the limit (skipped without keeping it)."""
    raw = stream.buffer if isinstance(stream, io.TextIOBase) and hasattr(stream, "buffer") else stream
    number = 0
    while True:
        chunk = raw.readline(max_line_bytes + 1)
        if not chunk:
            return
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        number += 1
        if len(chunk) > max_line_bytes and not chunk.endswith(b"\n"):
            # Too long: drain the rest of the line in bounded pieces.
            while True:
                rest = raw.readline(max_line_bytes)
                if not rest or (rest.endswith(b"\n") if isinstance(rest, bytes) else rest.endswith("\n")):
                    break
            yield number, None
            continue
        yield number, chunk


def read_jsonl_numbered(
    stream: IO[bytes] | IO[str],
    model: type[T],
    *,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> Iterator[tuple[int, T | LineError]]:
    """``(line number, record or LineError)`` for every non-blank line of ``stream``."""
    # what ``model.model_validate_json`` calls, without its wrapper (a call less for every line of a
    # large file)
    validate = model.__pydantic_validator__.validate_json
    for number, chunk in _lines(stream, max_line_bytes):
        if chunk is None:
            yield number, LineError(number, None, f"line is longer than {max_line_bytes:,} bytes; not read",
                                    code="too_long", detail=f"{max_line_bytes:,}")
            continue
        if chunk.isspace():  # blank (a line is never empty): the same test as ``not chunk.strip()``, no copy
            continue
        try:
            yield number, validate(chunk)
        except ValidationError as exc:
            yield number, _describe(exc, number)
        except UnicodeDecodeError as exc:
            yield number, LineError(number, None, f"not valid UTF-8: {exc.reason}", code="not_utf8",
                                    detail=exc.reason)


def read_jsonl(
    stream: IO[bytes] | IO[str],
    model: type[T],
    *,
    max_line_bytes: int = MAX_LINE_BYTES,
) -> Iterator[T | LineError]:
    """Every line of ``stream`` as a ``model`` instance or a :class:`LineError`; blank lines are skipped."""
    return map(itemgetter(1), read_jsonl_numbered(stream, model, max_line_bytes=max_line_bytes))


def read_posts(stream: IO[bytes] | IO[str], **kwargs: Any) -> Iterator[Post | LineError]:
    """Posts in the interchange format, each bad line as a :class:`LineError`."""
    return read_jsonl(stream, Post, **kwargs)


def read_approvals(stream: IO[bytes] | IO[str], **kwargs: Any) -> Iterator[Approval | LineError]:
    """Approvals in the interchange format, each bad line as a :class:`LineError`."""
    return read_jsonl(stream, Approval, **kwargs)


def dumps(record: dict[str, Any]) -> str:
    """One JSON line, UTF-8 kept readable."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def write_jsonl(stream: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """Write ``records`` one a line; return how many."""
    count = 0
    for record in records:
        stream.write(dumps(record))
        stream.write("\n")
        count += 1
    return count


def write_posts(stream: IO[str], posts: Iterable[Post]) -> int:
    return write_jsonl(stream, (post.to_json_dict() for post in posts))


def _flatten(record: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                flat[f"{key}.{sub}"] = inner
        elif isinstance(value, list | tuple):
            flat[key] = " ".join(str(v) for v in value)
        else:
            flat[key] = value
    return flat


def write_csv(stream: IO[str], records: Iterable[dict[str, Any]], *, columns: list[str]) -> int:
    """Write ``records`` as CSV with these ``columns`` (nested objects as ``parent.child``)."""
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(_flatten(record))
        count += 1
    return count


POST_CSV_COLUMNS = [
    "id", "platform", "account", "created_at", "kind", "lang", "text", "urls",
    "in_reply_to.id", "in_reply_to.text", "in_reply_to.author", "edited_at", "deleted_at",
]
FINDING_CSV_COLUMNS = [
    "post_id", "platform", "account", "rule", "rule_version", "severity", "score", "clause",
    "evidence", "explanation", "status", "policy", "policy_version", "created_at",
]
