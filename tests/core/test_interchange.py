"""The JSON-lines interchange format: round trips, and every kind of bad line reported with its number."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merkwacht.core.interchange import LineError, read_approvals, read_posts, write_csv, write_posts
from merkwacht.core.post import Post

GOOD = {
    "id": "123", "platform": "x", "account": "@Voorbeeld", "created_at": "2026-05-01T10:00:00Z",
    "kind": "reply", "lang": "nl", "text": "Dank voor je vraag, we zoeken het uit 🙂",
    "urls": ["https://example.nl/a"], "in_reply_to": {"id": "122", "text": "Wanneer opent de bieb?", "author": "p:1"},
}


def _line(**changes):
    record = dict(GOOD)
    record.update(changes)
    return json.dumps({k: v for k, v in record.items() if v is not ...}, ensure_ascii=False)


def test_valid_lines_round_trip():
    source = "\n".join([_line(), _line(id="124", kind="post", in_reply_to=..., lang=..., urls=...),
                        _line(id="125", created_at="2026-05-01T12:00:00+02:00", edited_at="2026-05-02T08:00:00Z")])
    first = list(read_posts(io.StringIO(source)))
    assert all(isinstance(p, Post) for p in first)
    assert first[2].created_at == datetime(2026, 5, 1, 10, 0, tzinfo=UTC)  # offsets become UTC
    buffer = io.StringIO()
    assert write_posts(buffer, first) == 3
    second = list(read_posts(io.StringIO(buffer.getvalue())))
    assert second == first


@pytest.mark.parametrize(
    ("bad_line", "field", "message"),
    [
        ("{not json", None, "not valid JSON"),
        ('["a list"]', None, "not a JSON object"),
        (_line(text=...), "text", "required field is missing"),
        (_line(id=123), "id", "string"),
        (_line(created_at="yesterday"), "created_at", "datetime"),
        (_line(created_at="2026-05-01T10:00:00"), "created_at", "no time zone"),
        (_line(platform="myspace"), "platform", "unknown platform 'myspace'"),
        (_line(text=["not", "a", "string"]), "text", "string"),
        (_line(kind="story"), "kind", "'post', 'reply', 'repost' or 'quote'"),
        (_line(in_reply_to={"text": "no id"}), "in_reply_to.id", "required"),
    ],
)
def test_each_bad_line_is_reported_with_its_number_and_the_rest_kept(bad_line, field, message):
    source = "\n".join([_line(id="1"), bad_line, "", _line(id="3")])
    results = list(read_posts(io.StringIO(source)))
    errors = [r for r in results if isinstance(r, LineError)]
    posts = [r for r in results if isinstance(r, Post)]
    assert [p.id for p in posts] == ["1", "3"]
    assert len(errors) == 1
    assert errors[0].line == 2
    assert errors[0].field == field
    assert message in str(errors[0])


def test_a_ten_megabyte_line_is_refused_without_losing_its_neighbours():
    huge = _line(id="2", text="x" * 10_000_000)
    source = (_line(id="1") + "\n" + huge + "\n" + _line(id="3") + "\n").encode("utf-8")
    results = list(read_posts(io.BytesIO(source)))
    assert [r.id for r in results if isinstance(r, Post)] == ["1", "3"]
    (error,) = [r for r in results if isinstance(r, LineError)]
    assert error.line == 2 and "longer than" in error.message


def test_invalid_utf8_is_reported():
    source = _line(id="1").encode() + b"\n" + b'{"id": "\xff\xfe"}\n'
    results = list(read_posts(io.BytesIO(source)))
    assert isinstance(results[1], LineError) and results[1].line == 2


def test_approvals_accept_plain_dates_and_open_validity():
    source = json.dumps({"id": "a1", "account": "@Org", "text": "Wij steunen de campagne.", "approved_by": "Bestuur",
                         "approved_at": "2026-03-02", "valid_until": None})
    (approval,) = read_approvals(io.StringIO(source))
    assert approval.approved_at == datetime(2026, 3, 2, tzinfo=UTC)
    assert approval.valid_until is None


def test_csv_flattens_nested_fields():
    (post,) = read_posts(io.StringIO(_line()))
    buffer = io.StringIO()
    write_csv(buffer, [post.to_json_dict()], columns=["id", "in_reply_to.author", "urls"])
    assert buffer.getvalue().splitlines()[1] == "123,p:1,https://example.nl/a"


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300), post_id=st.text(min_size=1, max_size=30))
def test_any_text_round_trips(text, post_id):
    post = Post(id=post_id, platform="bluesky", account="@a", created_at=datetime(2026, 1, 1, tzinfo=UTC),
                kind="post", text=text)
    buffer = io.StringIO()
    write_posts(buffer, [post])
    assert list(read_posts(io.StringIO(buffer.getvalue()))) == [post]


def _read_reference(data: bytes) -> list:
    """Reading by its definition (before it was made faster): a line that strips to nothing is blank,
    any other line is ``Post.model_validate_json`` of it or a LineError."""
    from pydantic import ValidationError

    out = []
    for number, chunk in enumerate(io.BytesIO(data).readlines(), 1):
        if not chunk.strip():
            continue
        try:
            out.append(Post.model_validate_json(chunk))
        except ValidationError as exc:
            out.append(("error", number, exc.errors(include_url=False)[0]["type"]))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet=" \t\r\x0b\x0c\x1c\x85\u00a0", max_size=4),  # blank or not, by ASCII's definition
    st.sampled_from([_line(), _line(kind="post", in_reply_to=...), _line(id=""), "{", "[]", "null"]),
), max_size=8))
def test_blank_lines_and_records_as_by_the_definition(lines):
    data = "\n".join(lines).encode("utf-8")
    read = read_posts(io.BytesIO(data))
    got = [("error", r.line, None) if isinstance(r, LineError) else r for r in read]
    want = _read_reference(data)
    assert [r if isinstance(r, Post) else r[:2] for r in got] == [r if isinstance(r, Post) else r[:2] for r in want]
