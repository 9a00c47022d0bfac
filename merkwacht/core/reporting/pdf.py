"""The evaluation report as PDF, through ReportLab's platypus layout engine."""

from __future__ import annotations

import html
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable

from .document import Document, Table, build_document
from .evaluation import Evaluation


def document_pdf(doc: Document) -> bytes:
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=doc.title, author="Merkwacht",
                            leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story = [Paragraph(html.escape(doc.title), styles["Title"]), Paragraph(html.escape(doc.subtitle), styles["Italic"]),
             Spacer(1, 4 * mm)]
    for section in doc.sections:
        story.append(Paragraph(html.escape(section.title), styles["Heading2"]))
        for block in section.blocks:
            if isinstance(block, Table):
                data = [[Paragraph(html.escape(h), small) for h in block.headers]]
                data += [[Paragraph(html.escape(c), small) for c in row] for row in block.rows]
                table = RLTable(data, repeatRows=1)
                table.setStyle(TableStyle([
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8f4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]))
                story.append(table)
            elif isinstance(block, list):
                story.append(ListFlowable([ListItem(Paragraph(html.escape(item), styles["BodyText"])) for item in block],
                                          bulletType="bullet"))
            else:
                story.append(Paragraph(html.escape(str(block)), styles["BodyText"]))
            story.append(Spacer(1, 2 * mm))
    pdf.build(story)
    return buffer.getvalue()


def render_pdf(e: Evaluation, *, lang: str = "nl") -> bytes:
    """The evaluation report as PDF bytes."""
    return document_pdf(build_document(e, lang=lang))
