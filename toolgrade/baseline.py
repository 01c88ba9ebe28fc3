"""Baselines: accept today's debt, fail only on what gets worse.

`toolgrade baseline` records, per tool, the input hash, the definition, the scores and the
findings (code + JSON pointer + severity), the server's score, and the contract checks that
failed. `toolgrade lint --baseline FILE` then fails only on regressions:
- a tool whose score dropped (by 0.05 or more; scores carry one decimal in every report),
- a new finding (a code + pointer the baseline did not have) of a severity in `gates.new_findings`,
- a new tool that fails any gate, a server score that dropped, a contract check newly failing,
- and, always, an expired ignore.
Every other gate failure is known debt: reported, not failing. A tool whose definition changed
is listed with a unified diff of the definition (the same diff `toolgrade lock` shows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgrade.config import Gates
from toolgrade.jsondoc import read_document, write_document
from toolgrade.lock import Change, compare
from toolgrade.model import Catalog
from toolgrade.quality_gate import SERVER, GateFailure, contract_failures
from toolgrade.scoring.grade import Grade

BASELINE_VERSION = 1
DEFAULT_BASELINE = "toolgrade-baseline.json"
#: A drop smaller than this is rounding, not a regression (reports show one decimal).
SCORE_TOLERANCE = 0.05


def baseline_document(catalog: Catalog, grade: Grade, contract: dict[str, Any] | None = None) -> dict[str, Any]:
    from toolgrade import __version__

    definitions = {tool.name: dict(tool.definition) for tool in catalog.tools}
    tools = {}
    for tool in grade.tools:
        tools[tool.name] = {
            "input_hash": tool.input_hash,
            "score": tool.score,
            "tier": tool.tier,
            "scores": tool.scores,
            "findings": [{"code": f.code, "pointer": f.pointer, "severity": f.severity} for f in tool.findings],
            "definition": definitions.get(tool.name, {}),
        }
    return {
        "toolgrade": __version__, "baseline_version": BASELINE_VERSION, "rubric": grade.rubric,
        "target": grade.target,
        "server": {"name": grade.server.name, "version": grade.server.version, "overall": grade.server.overall,
                   "tier": grade.server.tier},
        "tools": tools,
        "contract": {"failing": sorted({f.pointer for f in contract_failures(contract)})} if contract is not None else None,
    }


def write_baseline(document: dict[str, Any], path: Path) -> None:
    write_document(document, path)


def read_baseline(path: Path) -> dict[str, Any]:
    return read_document(path, "baseline", "baseline_version", BASELINE_VERSION, f"toolgrade baseline -o {path}")


@dataclass
class BaselineDiff:
    """What changed against the baseline, and how today's gate failures divide."""

    file: str
    regressions: list[GateFailure] = field(default_factory=list)
    known: list[GateFailure] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    deltas: dict[str, dict[str, Any]] = field(default_factory=dict)
    server_before: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "server_before": self.server_before,
                "regressions": [r.to_json() for r in self.regressions],
                "known": [k.to_json() for k in self.known],
                "changes": [{"tool": c.tool, "kind": c.kind, "diff": c.diff} for c in self.changes],
                "deltas": self.deltas}


def against_baseline(catalog: Catalog, grade: Grade, failures: list[GateFailure], baseline: dict[str, Any],
                     gates: Gates, file: str, contract: dict[str, Any] | None = None) -> BaselineDiff:
    """Split today's gate failures into regressions and known debt, and list what changed."""
    before = baseline["tools"]
    diff = BaselineDiff(file=file, changes=compare(catalog, baseline),
                        server_before=(baseline.get("server") or {}).get("overall"))
    regressed: list[GateFailure] = []
    for tool in grade.tools:
        old = before.get(tool.name)
        if old is None:
            diff.deltas[tool.name] = {"before": None, "after": tool.score, "tier": tool.tier}
            continue
        if abs(tool.score - old.get("score", tool.score)) >= SCORE_TOLERANCE:
            diff.deltas[tool.name] = {"before": old["score"], "after": tool.score, "tier": tool.tier,
                                      "tier_before": old.get("tier")}
        if tool.score <= old.get("score", 0) - SCORE_TOLERANCE:
            dropped = [f"{d} {old['scores'][d]}->{s}" for d, s in tool.scores.items()
                       if s < old.get("scores", {}).get(d, s)]
            regressed.append(GateFailure("score-dropped", tool.name,
                                         f"{tool.name} dropped from {old['score']:.1f} to {tool.score:.1f}"
                                         + (f" ({', '.join(dropped)})" if dropped else "")))
        seen = {(f["code"], f["pointer"]) for f in old.get("findings", [])}
        for finding in tool.findings:
            if finding.severity in gates.new_findings and (finding.code, finding.pointer) not in seen:
                regressed.append(GateFailure("new-finding", tool.name,
                                             f"new {finding.severity} {finding.code} on {tool.name}: {finding.message}; "
                                             f"fix: {finding.hint}", dimension=finding.dimension, code=finding.code,
                                             pointer=finding.pointer))
    for name in sorted(set(before) - {t.name for t in grade.tools}):
        diff.deltas[name] = {"before": before[name].get("score"), "after": None, "tier": None}
    if diff.server_before is not None and grade.server.overall <= diff.server_before - SCORE_TOLERANCE:
        regressed.append(GateFailure("server-dropped", SERVER, f"the server dropped from {diff.server_before:.1f} "
                                     f"to {grade.server.overall:.1f}"))
    known_failing = set((baseline.get("contract") or {}).get("failing", [])) if baseline.get("contract") else None
    for failure in failures:
        new_tool = failure.subject != SERVER and failure.subject not in before
        newly_contract = failure.gate == "contract" and (known_failing is None or failure.pointer not in known_failing)
        if failure.gate == "ignore-expired" or new_tool or newly_contract:
            regressed.append(failure)
        else:
            diff.known.append(failure)
    diff.regressions = regressed
    return diff
