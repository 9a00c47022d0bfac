"""Markdown and HTML renderings of the evaluation report."""

from __future__ import annotations

import html

from .document import Document, Table, build_document
from .evaluation import Evaluation


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def document_markdown(doc: Document) -> str:
    lines = [f"# {doc.title}", "", f"_{doc.subtitle}_", ""]
    for section in doc.sections:
        lines += [f"## {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Table):
                lines.append("| " + " | ".join(_md_cell(h) for h in block.headers) + " |")
                lines.append("|" + "|".join("---" for _ in block.headers) + "|")
                lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            elif isinstance(block, list):
                lines += [f"- {item}" for item in block]
            else:
                lines.append(str(block))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


CSS = ("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222}"
       "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}"
       "td:first-child,th:first-child{text-align:left}th{background:#eef}tr:last-child td{font-weight:bold}")


def document_html(doc: Document, *, lang: str = "nl") -> str:
    e = html.escape
    parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{e(doc.title)}</title>",
             f"<style>{CSS}</style></head><body>", f"<h1>{e(doc.title)}</h1>", f"<p><em>{e(doc.subtitle)}</em></p>"]
    for section in doc.sections:
        parts.append(f"<h2>{e(section.title)}</h2>")
        for block in section.blocks:
            if isinstance(block, Table):
                parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in block.headers)
                             + "</tr></thead><tbody>")
                parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block.rows]
                parts.append("</tbody></table>")
            elif isinstance(block, list):
                parts.append("<ul>" + "".join(f"<li>{e(item)}</li>" for item in block) + "</ul>")
            else:
                parts.append(f"<p>{e(str(block))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render_markdown(e: Evaluation, *, lang: str = "nl") -> str:
    """The evaluation report as Markdown."""
    return document_markdown(build_document(e, lang=lang))


def render_html(e: Evaluation, *, lang: str = "nl") -> str:
    """The evaluation report as a self-contained HTML page."""
    return document_html(build_document(e, lang=lang), lang=lang)
