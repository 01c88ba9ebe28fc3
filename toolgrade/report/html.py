"""The HTML report: one self-contained file to open in a browser and keep as a CI artifact.

No network: styles and the script are inline, charts are inline SVG drawn here from counts.
Tool text is untrusted, so the template is rendered with Jinja2's autoescape on and nothing
marked safe except markup we build from numbers. As a second wall, the page carries a Content
Security Policy that allows only our one inline script (by its sha256) and no other source:
an injected `<script>` or `onerror=` would not run even if escaping ever failed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from toolgrade import __version__
from toolgrade.report.documents import Results, failing_checks, top_finding, worst_first

DIMENSIONS = ("purpose", "usage_guidelines", "behavior", "parameters", "conciseness", "completeness")
SHORT = {"purpose": "Purpose", "usage_guidelines": "Usage", "behavior": "Behavior", "parameters": "Params",
         "conciseness": "Concise", "completeness": "Complete"}
CHART_W, CHART_H, BAR_GAP = 150, 70, 6


@cache
def _environment() -> Any:
    import jinja2

    folder = Path(__file__).resolve().parent / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    # JSON as plain text (a str, so autoescape applies); Jinja's own tojson marks its output safe.
    env.filters["json_text"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


@cache
def _script() -> str:
    return (Path(__file__).resolve().parent / "templates" / "report.js").read_text(encoding="utf-8")


def _chart(tools: list[dict[str, Any]], dimension: str) -> dict[str, Any]:
    """Bar geometry for the distribution of one dimension's scores (1-5)."""
    counts = [sum(1 for t in tools if t["scores"].get(dimension) == score) for score in range(1, 6)]
    top = max(counts) or 1
    width = (CHART_W - BAR_GAP * 6) / 5
    bars = []
    for i, count in enumerate(counts):
        height = round((CHART_H - 16) * count / top, 1)
        bars.append({"score": i + 1, "count": count, "x": round(BAR_GAP + i * (width + BAR_GAP), 1),
                     "y": round(CHART_H - 14 - height, 1), "w": round(width, 1), "h": height})
    mean = sum(t["scores"].get(dimension, 0) for t in tools) / len(tools) if tools else 0
    return {"dimension": dimension, "label": SHORT[dimension], "bars": bars, "mean": mean,
            "width": CHART_W, "height": CHART_H}


def render_html(results: Results) -> str:
    lint = results.lint
    tools = worst_first(lint.get("tools", [])) if lint else []
    failing_by_tool = results.messages_by_subject()
    rows = []
    for index, tool in enumerate(tools):
        rows.append({"id": f"tool-{index}", "tool": tool, "top": top_finding(tool), "delta": results.delta(tool["name"]),
                     "failing": failing_by_tool.get(tool["name"], []),
                     "dimensions": [(d, tool["scores"].get(d), tool.get("evidence", {}).get(d, []),
                                     tool.get("next_steps", {}).get(d)) for d in DIMENSIONS]})
    script = _script()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    contract = results.contract
    return _environment().get_template("report.html.j2").render(
        version=__version__, results=results, lint=lint, server=(lint or {}).get("server"), rows=rows,
        charts=[_chart(tools, d) for d in DIMENSIONS] if tools else [], short=SHORT, dimensions=DIMENSIONS,
        gate=results.gate, baseline=results.baseline, contract=contract,
        contract_failures=failing_checks(contract) if contract else [], title=results.server_name,
        server_failures=failing_by_tool.get("server", []), script=script, script_hash=f"sha256-{digest}",
    )
