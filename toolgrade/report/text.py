"""The terminal report: a table of tools, the server roll-up, findings worst-first.

Fits 80 columns. Colour is added by `style` only when the caller says the output is a TTY.
Every piece of tool text passes through `terminal_safe`.
"""

from __future__ import annotations

from collections.abc import Callable

from toolgrade.findings import SEVERITY_ORDER
from toolgrade.rubric import DIMENSIONS
from toolgrade.report.sanitize import terminal_safe
from toolgrade.scoring.grade import Grade, ToolGrade

WIDTH = 80
_HEADS = {"purpose": "Pur", "usage_guidelines": "Use", "behavior": "Beh", "parameters": "Par",
          "conciseness": "Con", "completeness": "Cmp"}
_TIER_COLOURS = {"A": "green", "B": "green", "C": "yellow", "D": "red", "F": "red"}
_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}

Style = Callable[..., str]


def _plain(text: str, **_: object) -> str:
    return text


def _wrap(text: str, width: int, indent: str) -> list[str]:
    words, lines, line = [], [], ""
    for word in text.split(" "):
        # Hard-break words longer than the line (JSON pointers, URLs) so nothing passes 80 columns.
        words.extend(word[i:i + width] for i in range(0, max(len(word), 1), width))
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return [indent + piece for piece in lines] or [indent]


def _score_cell(value: int, style: Style) -> str:
    colour = "green" if value >= 4 else "yellow" if value == 3 else "red"
    return style(f"{value:>3}", fg=colour)


def render_text(grade: Grade, version: str, style: Style | None = None, max_findings_per_tool: int = 8) -> str:
    """`style` is click.style on a terminal; None renders plain text."""
    style = style or _plain
    out: list[str] = []
    server = grade.server
    title = terminal_safe(f"{server.name} {server.version}".strip() or grade.target, 40)
    engine = "" if grade.engine == "deterministic" else f" · engine {grade.engine}"
    out.append(style(f"toolgrade {version}", bold=True) + f" · {title} · {server.tool_count} tools · rubric {grade.rubric}"
               + engine)
    out.append("")
    name_width = WIDTH - 6 * 4 - 7 - 5
    out.append(f"{'Tool':<{name_width}}" + "".join(f"{_HEADS[d]:>4}" for d in DIMENSIONS) + "  Score Tier")
    out.append("-" * (WIDTH - 1))
    for tool in grade.tools:
        name = terminal_safe(tool.name, name_width - 1)
        cells = "".join(" " + _score_cell(tool.scores[d], style) for d in DIMENSIONS)
        out.append(f"{name:<{name_width}}{cells}  {tool.score:>5.1f}  " + style(tool.tier, fg=_TIER_COLOURS.get(tool.tier), bold=True))
    out.append("-" * (WIDTH - 1))
    alternates = [t for t in grade.tools if t.alternate]
    if alternates:
        other = alternates[0].alternate["engine"]
        out.append(f"{other} engine, same tools:")
        for tool in alternates:
            alt = tool.alternate
            name = terminal_safe(tool.name, name_width - 1)
            cells = "".join(" " + _score_cell(alt["scores"][d], style) for d in DIMENSIONS)
            out.append(f"{name:<{name_width}}{cells}  {alt['score']:>5.1f}  {alt['tier']}")
        out.append("-" * (WIDTH - 1))
    c = server.coherence
    scores = [t.score for t in grade.tools]
    mean = sum(scores) / len(scores) if scores else 0.0
    out.append(style("Server", bold=True) + f"  overall {server.overall:.1f}, tier "
               + style(server.tier, fg=_TIER_COLOURS.get(server.tier), bold=True))
    out.append(f"  description quality {server.description_quality:.1f} (mean {mean:.2f}, min {min(scores, default=0):.1f})")
    out.append(f"  coherence {c.score:.1f}: disambiguation {c.disambiguation}, naming {c.naming_consistency}, "
               f"tool count {c.tool_count}, lifecycle {c.completeness}")
    for line in server.findings[:10]:
        out.extend(_wrap(f"{line.code} {terminal_safe(line.message)}", WIDTH - 5, "    "))
    if len(server.findings) > 10:
        out.append(f"    ... and {len(server.findings) - 10} more server findings (see --format json)")
    out.append("")
    worst = sorted((t for t in grade.tools if t.findings), key=_worst_first)
    if worst:
        out.append(style("Findings", bold=True) + " (worst tools first)")
    for tool in worst:
        out.append("")
        out.append(style(terminal_safe(tool.name, 60), bold=True) + f"  {tool.score:.1f} {tool.tier}"
                   + (f"  [{', '.join(tool.flags)}]" if tool.flags else ""))
        for finding in tool.findings[:max_findings_per_tool]:
            severity = style(f"{finding.severity:<7}", fg=_SEVERITY_COLOURS.get(finding.severity))
            lines = _wrap(terminal_safe(finding.message), WIDTH - 18, "")
            out.append(f"  {severity} {finding.code}  {lines[0]}")
            out.extend(" " * 17 + line for line in lines[1:])
            out.extend(_wrap("fix: " + terminal_safe(finding.hint), WIDTH - 18, " " * 17))
        if len(tool.findings) > max_findings_per_tool:
            out.append(f"  ... and {len(tool.findings) - max_findings_per_tool} more (see --format json)")
    failing = sum(1 for t in grade.tools if t.tier not in ("A", "B"))
    out.append("")
    out.append(f"{len(grade.tools)} tools: {len(grade.tools) - failing} passing (A/B), {failing} below B; "
               f"{sum(len(t.findings) for t in grade.tools)} findings")
    return "\n".join(out) + "\n"


def _worst_first(tool: ToolGrade) -> tuple[float, int, str]:
    worst = min((SEVERITY_ORDER.get(f.severity, 9) for f in tool.findings), default=9)
    return (tool.score, worst, tool.name)
