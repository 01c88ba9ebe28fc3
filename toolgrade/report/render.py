"""One entry point for the document reports (JSON, JUnit, Markdown, HTML, SARIF), live or saved.

`toolgrade lint`, `toolgrade contract`, `toolgrade report` and the GitHub Action all come here
with a `Results` and a format; SARIF also needs the repository root to find where tools are
defined, and a fallback file for the ones it cannot find.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from toolgrade.errors import UsageError

if TYPE_CHECKING:  # only types here: the CLI imports this module for DOCUMENT_FORMATS at start-up
    from toolgrade.report.documents import Results
    from toolgrade.report.locate import Location

DOCUMENT_FORMATS = ("json", "junit", "markdown", "html", "sarif")


def render_document(results: Results, fmt: str, root: Path | None = None, fallback: Location | None = None,
                    indent: int | None = 2) -> str:
    if fmt == "json":
        doc = results.lint if results.lint is not None else results.contract
        return json.dumps(doc, indent=indent, ensure_ascii=False, default=str) + "\n"
    if fmt == "junit":
        from toolgrade.report.junit import render_junit

        return render_junit(results)
    if fmt == "markdown":
        from toolgrade.report.markdown import render_markdown

        return render_markdown(results)
    if fmt == "html":
        from toolgrade.report.html import render_html

        return render_html(results)
    if fmt == "sarif":
        from toolgrade.report.sarif import render_sarif

        return render_sarif(results, root, fallback)
    raise UsageError(f"unknown report format {fmt!r}; use one of {', '.join(DOCUMENT_FORMATS)}")
