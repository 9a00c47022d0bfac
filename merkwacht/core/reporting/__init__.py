"""The periodic evaluation report (R11) and the processing register (R14), as plain data with renderers.

:func:`build_evaluation` gathers the report from the council aggregates only (so it is as
anonymous as the council view); :mod:`.render` turns it into Markdown or HTML and :mod:`.pdf`
into PDF (ReportLab). :func:`build_register` states purposes, data categories, sources,
retention, recipients, roles and the rules in force from configuration and the policy pack.
"""

from .evaluation import Evaluation, Recommendation, build_evaluation
from .pdf import render_pdf
from .register import ProcessingRegister, build_register, render_register_html, render_register_markdown
from .render import render_html, render_markdown

__all__ = [
    "Evaluation", "ProcessingRegister", "Recommendation", "build_evaluation", "build_register", "render_html",
    "render_markdown", "render_pdf", "render_register_html", "render_register_markdown",
]
