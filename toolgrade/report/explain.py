"""Terminal renderings of `toolgrade explain TOOL` and `toolgrade plan`."""

from __future__ import annotations

from toolgrade.report.sanitize import terminal_safe
from toolgrade.report.text import WIDTH, _wrap
from toolgrade.rubric import DIMENSIONS, Rubric
from toolgrade.scoring.grade import Grade, ToolGrade
from toolgrade.scoring.plan import PlanStep


def render_explain(tool: ToolGrade, rubric: Rubric) -> str:
    out = [f"{terminal_safe(tool.name, 60)}: score {tool.score:.1f}, tier {tool.tier}"
           + (f"  [{', '.join(tool.flags)}]" if tool.flags else "")]
    s = tool.signals
    out.extend(_wrap(f"{s.param_count} parameters ({s.schema_description_coverage}% described), "
                     f"annotations {'declared' if s.has_annotations else 'none'}, "
                     f"output schema {'yes' if s.has_output_schema else 'no'}, input hash {tool.input_hash}",
                     WIDTH - 2, "  "))
    for dim in DIMENSIONS:
        result = tool.dimensions[dim]
        out.append("")
        out.append(f"{rubric.titles[dim]} ({dim}, weight {rubric.weights[dim]:.2f}): {result.score}/5")
        for line in result.evidence:
            out.extend(_wrap("- " + terminal_safe(line), WIDTH - 4, "    "))
        if result.next_step and result.score < 5:
            out.extend(_wrap(f"to reach {result.score + 1}: " + terminal_safe(result.next_step), WIDTH - 4, "  > "))
        for finding in (f for f in tool.findings if f.dimension == dim):
            out.extend(_wrap(f"{finding.code} {finding.severity}: {terminal_safe(finding.message)}", WIDTH - 4, "    "))
    other = [f for f in tool.findings if f.dimension is None]
    if other:
        out.append("")
        out.append("Other findings:")
        for finding in other:
            out.extend(_wrap(f"{finding.code} {finding.severity}: {terminal_safe(finding.message)} "
                             f"(fix: {terminal_safe(finding.hint)})", WIDTH - 4, "    "))
    return "\n".join(out) + "\n"


def render_plan(grade: Grade, steps: list[PlanStep]) -> str:
    server = grade.server
    out = [f"Server now: overall {server.overall:.1f}, tier {server.tier} "
           f"(description quality {server.description_quality:.1f} = 0.6 mean + 0.4 min; coherence {server.coherence.score:.1f})"]
    if not steps:
        out.append("Nothing to raise: every dimension of every tool is at 5.")
        return "\n".join(out) + "\n"
    out.append("Fix in this order (each step raises one dimension of one tool by a point):")
    for i, step in enumerate(steps, 1):
        out.extend(_wrap(f"{i:>2}. {terminal_safe(step.tool, 40)}: {step.dimension} {step.before}->{step.after} "
                         f"(tool {step.tool_score:.1f}; server {step.server_overall:.1f} {step.server_tier})",
                         WIDTH - 2, ""))
        out.extend(_wrap(terminal_safe(step.change), WIDTH - 8, "      "))
    last = steps[-1]
    if last.server_tier < server.tier:
        out.append(f"After {len(steps)} step(s) the server reaches tier {last.server_tier}.")
    else:
        out.append(f"After {len(steps)} step(s) the server is at {last.server_overall:.1f}, still tier {last.server_tier}.")
    return "\n".join(out) + "\n"
