"""Quality gates: what makes a run fail, and which findings count at all.

Two steps, both pure functions of a Grade and the Settings:
- `apply_selection` drops the findings a repository has chosen not to see (`select`/`ignore`
  by code or prefix, per-tool `ignores` with a reason), keeping a record of what it dropped;
- `evaluate` lists every gate failure: a tool under the score or tier minimum, a dimension under
  its minimum, a finding of a failing severity, the server under its minimums, an expired ignore.

Each failure names its subject (a tool, or "server") and, where it has one, the dimension and
finding code, so reports and the pytest plugin can put it on the right line or test item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from toolgrade.config import Gates, Settings
from toolgrade.errors import UsageError
from toolgrade.rubric import Rubric
from toolgrade.scoring.grade import Grade

SERVER = "server"


@dataclass(frozen=True)
class GateFailure:
    gate: str  # tool-score | tool-tier | dimension | finding | server-score | server-tier | ignore-expired | contract
    subject: str  # a tool name, or "server"
    message: str
    dimension: str | None = None
    code: str | None = None
    pointer: str = ""

    def key(self) -> tuple[str, str, str | None, str | None, str]:
        return (self.gate, self.subject, self.dimension, self.code, self.pointer)

    def to_json(self) -> dict[str, Any]:
        return {"gate": self.gate, "subject": self.subject, "message": self.message, "dimension": self.dimension,
                "code": self.code, "pointer": self.pointer}


@dataclass(frozen=True)
class Suppressed:
    tool: str
    code: str
    pointer: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"tool": self.tool, "code": self.code, "pointer": self.pointer, "reason": self.reason}


def apply_selection(grade: Grade, settings: Settings) -> tuple[Grade, list[Suppressed]]:
    """The grade with unselected and ignored findings removed, and what per-tool ignores removed.

    Scores are left alone: an ignore silences a finding, it does not change what a tool is worth.
    """
    suppressed: list[Suppressed] = []
    if not (settings.select or settings.ignore or settings.ignores):
        return grade, suppressed
    tools = []
    for tool in grade.tools:
        kept = []
        for finding in tool.findings:
            if not settings.code_enabled(finding.code):
                continue
            exception = settings.exempt(tool.name, finding.code)
            if exception is not None:
                suppressed.append(Suppressed(tool.name, finding.code, finding.pointer, exception.reason))
                continue
            kept.append(finding)
        tools.append(replace(tool, findings=tuple(kept)) if len(kept) != len(tool.findings) else tool)
    server_findings = tuple(f for f in grade.server.findings if settings.code_enabled(f.code))
    return replace(grade, tools=tuple(tools), server=replace(grade.server, findings=server_findings)), suppressed


def tier_minimum(rubric: Rubric, tier: str, key: str) -> float:
    minimums = dict(rubric.tiers)
    if tier not in minimums:
        raise UsageError(f"{key} {tier!r} is not a tier of rubric {rubric.name}; use one of {', '.join(minimums)}")
    return minimums[tier]


def evaluate(grade: Grade, gates: Gates, rubric: Rubric, settings: Settings | None = None,
             today: dt.date | None = None) -> list[GateFailure]:
    """Every gate failure of this grade, tools in listing order, then the server."""
    settings = settings or Settings()
    failures: list[GateFailure] = []
    tool_min = _strictest(gates.min_tool_score, gates.min_tool_tier, rubric, "tool")
    for tool in grade.tools:
        if settings.exempt(tool.name, None) is not None:
            continue
        if tool_min is not None and tool.score < tool_min[0]:
            failures.append(GateFailure(tool_min[1], tool.name, f"tool {tool.name!r} scores {tool.score:.1f} "
                                        f"(tier {tool.tier}), under {tool_min[2]}"))
        if gates.min_dimension_score is not None:
            for dimension, scored in tool.dimensions.items():
                if scored.score < gates.min_dimension_score:
                    hint = f"; fix: {scored.next_step}" if scored.next_step else ""
                    failures.append(GateFailure("dimension", tool.name,
                                                f"{tool.name} {dimension} is {scored.score}/5, under "
                                                f"min_dimension_score {gates.min_dimension_score}{hint}",
                                                dimension=dimension))
        for finding in tool.findings:
            if finding.severity in gates.fail_on:
                failures.append(GateFailure("finding", tool.name, f"{finding.severity} {finding.code} "
                                            f"{finding.message}; fix: {finding.hint}", dimension=finding.dimension,
                                            code=finding.code, pointer=finding.pointer))
    server_min = _strictest(gates.min_server_score, gates.min_server_tier, rubric, "server")
    if server_min is not None and grade.server.overall < server_min[0]:
        failures.append(GateFailure(server_min[1], SERVER,
                                    f"server scores {grade.server.overall:.1f} (tier {grade.server.tier}), "
                                    f"under {server_min[2]}"))
    for finding in grade.server.findings:
        if finding.severity in gates.fail_on:
            failures.append(GateFailure("finding", SERVER, f"{finding.severity} {finding.code} {finding.message}; "
                                        f"fix: {finding.hint}", code=finding.code, pointer=finding.pointer))
    for expired in settings.expired_ignores(today):
        failures.append(GateFailure("ignore-expired", expired.tool,
                                    f"the ignore for {expired.describe()} expired on {expired.expires}; "
                                    "fix what it excused or renew it with a new date"))
    return failures


def _strictest(score: float | None, tier: str | None, rubric: Rubric, subject: str) -> tuple[float, str, str] | None:
    """The higher of a score minimum and a tier's minimum, for "tool" or "server":
    (minimum, gate name, how to say it)."""
    options = []
    if score is not None:
        options.append((float(score), f"{subject}-score", f"the minimum score {score:g}"))
    if tier is not None:
        options.append((tier_minimum(rubric, tier, f"min_{subject}_tier"), f"{subject}-tier", f"the minimum tier {tier}"))
    return max(options, key=lambda o: o[0]) if options else None


def gates_from(settings: Settings, fail_under: float | None = None, fail_under_server: float | None = None,
               fail_on: tuple[str, ...] | None = None) -> Gates:
    """The file's gates with the command line's flags on top."""
    gates = settings.gates
    if fail_under is not None:
        gates = replace(gates, min_tool_score=fail_under, min_tool_tier=None)
    if fail_under_server is not None:
        gates = replace(gates, min_server_score=fail_under_server, min_server_tier=None)
    if fail_on is not None:
        gates = replace(gates, fail_on=fail_on)
    return gates


def contract_failures(contract: dict[str, Any], settings: Settings | None = None) -> list[GateFailure]:
    """A failing contract check or scenario as a gate failure; its pointer is a stable key
    ("list_users CT102", "scenario invite.yaml") that a baseline records."""
    from toolgrade.contract.result import failing_checks, failing_scenarios

    settings = settings or Settings()
    failures = []
    for tool, check in failing_checks(contract):
        if settings.code_enabled(check["code"]) and settings.exempt(tool["name"], check["code"]) is None:
            failures.append(GateFailure("contract", tool["name"], f"{check['code']} {check['name']}: {check['message']}",
                                        code=check["code"], pointer=f"{tool['name']} {check['code']}"))
    for case in failing_scenarios(contract):
        failures.append(GateFailure("contract", SERVER, f"scenario {case['name']} ({case['file']}): {case['message']}",
                                    pointer=f"scenario {case['file']}"))
    return failures
