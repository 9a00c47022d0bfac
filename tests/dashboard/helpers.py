"""Reading what an AppTest rendered: every text, label, table cell and chart value on the page."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Dataframe


def _walk(node: Any, out: list[str]) -> None:
    if isinstance(node, Dataframe):
        out.append(node.value.to_csv(index=False))
        return
    proto = getattr(node, "proto", None)
    if proto is not None:
        out.append(str(proto))
    if isinstance(node, Block):
        for child in node.children.values():
            _walk(child, out)


def rendered_text(at: AppTest) -> str:
    """All text of the rendered page: markdown, captions, alerts, metrics, labels and options of widgets,
    expander and tab labels, data frames (as CSV), chart specifications with their data, and HTML."""
    out: list[str] = []
    _walk(at._tree, out)
    # Protobuf text escapes non-ASCII characters as octal bytes; decode them back to text.
    text = "\n".join(out)
    try:
        return (
            text.encode("latin-1", "backslashreplace")
            .decode("unicode_escape")
            .encode("latin-1")
            .decode("utf-8")
        )
    except (UnicodeDecodeError, UnicodeEncodeError):
        return text


def dataframes(at: AppTest) -> list[Any]:
    return [df.value for df in at.dataframe]


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
