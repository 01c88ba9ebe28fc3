"""What a contract run produces: per tool and per check, per scenario, and a summary.

Plain dataclasses; `to_json` gives the documented layout (`schemas/contract-report.schema.json`),
which the JSON renderer writes and the tests validate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from toolgrade.resources import load_yaml
from toolgrade.sources.target import mask_json, mask_secrets

TOOL_STATUSES = ("pass", "fail", "not_testable", "error")


@cache
def check_catalog() -> dict[str, dict[str, str]]:
    """The registered checks (`checks.yaml`): code -> {name, summary}."""
    from pathlib import Path

    path = Path(__file__).resolve().parent / "checks.yaml"
    return load_yaml(path.read_text(encoding="utf-8"))


def failing_checks(contract: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(tool, check) for every failure in a contract report (its JSON), tools in report order.

    The one definition every gate and report uses: a tool that could not be tested offline
    (CT601 on a not_testable tool) is not a failure; a tool the run never reached (status
    error, no checks) is a CT701 failure with the reason.
    """
    failing = []
    for tool in contract.get("tools", []):
        if tool.get("status") == "error" and not tool.get("checks"):
            failing.append((tool, {"code": "CT701", "name": check_catalog()["CT701"]["name"], "status": "fail",
                                   "message": tool.get("reason", ""), "request": None, "result": None}))
        for check in tool.get("checks", []):
            if check.get("status") == "fail" and not (tool.get("status") == "not_testable" and check["code"] == "CT601"):
                failing.append((tool, check))
    return failing


def failing_scenarios(contract: dict[str, Any]) -> list[dict[str, Any]]:
    return [case for case in contract.get("scenarios", []) if case.get("status") in ("fail", "error")]


@dataclass
class CheckResult:
    code: str
    status: str  # pass | fail | skip
    message: str = ""
    request: dict[str, Any] | None = None
    result: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        return check_catalog()[self.code]["name"]

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "status": self.status, "message": self.message,
                "request": self.request, "result": self.result}


@dataclass
class ToolResult:
    name: str
    status: str = "pass"
    checks: list[CheckResult] = field(default_factory=list)
    reason: str = ""
    calls: int = 0
    arguments: dict[str, Any] | None = None
    methods: list[str] = field(default_factory=list)

    def add(self, code: str, status: str, message: str = "", request: dict[str, Any] | None = None,
            result: dict[str, Any] | None = None) -> None:
        self.checks.append(CheckResult(code, status, message, request, result))

    def failed(self) -> list[CheckResult]:
        return [c for c in self.checks if c.status == "fail"]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "reason": self.reason, "calls": self.calls,
                "arguments": self.arguments, "methods": self.methods, "checks": [c.to_json() for c in self.checks]}


@dataclass
class StepResult:
    call: str
    status: str
    message: str = ""
    request: dict[str, Any] | None = None
    result: dict[str, Any] | None = None


@dataclass
class ScenarioResult:
    name: str
    file: str
    status: str  # pass | fail | skip | error
    message: str = ""
    steps: list[StepResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "file": self.file, "status": self.status, "message": self.message,
                "steps": [asdict(s) for s in self.steps]}


@dataclass
class ContractResult:
    target: str
    api: str
    tools: list[ToolResult] = field(default_factory=list)
    scenarios: list[ScenarioResult] = field(default_factory=list)
    listed: int = 0
    calls: int = 0
    seconds: float = 0.0
    server: dict[str, Any] = field(default_factory=dict)
    aborted: str = ""

    def mask(self, secrets: list[str]) -> None:
        """Mask secret values in everything the run recorded from the server and the API."""
        for tool in self.tools:
            tool.arguments = mask_json(tool.arguments, secrets)
            tool.reason = mask_secrets(tool.reason, secrets)
            for check in tool.checks:
                check.message = mask_secrets(check.message, secrets)
                check.request, check.result = mask_json(check.request, secrets), mask_json(check.result, secrets)
        for case in self.scenarios:
            case.message = mask_secrets(case.message, secrets)
            for step in case.steps:
                step.message = mask_secrets(step.message, secrets)
                step.request, step.result = mask_json(step.request, secrets), mask_json(step.result, secrets)
        self.aborted = mask_secrets(self.aborted, secrets)

    def summary(self) -> dict[str, Any]:
        count = {s: sum(1 for t in self.tools if t.status == s) for s in TOOL_STATUSES}
        return {"tools": self.listed, "exercised": sum(1 for t in self.tools if t.calls > 0),
                "passed": count["pass"], "failed": count["fail"], "not_testable": count["not_testable"],
                "errors": count["error"], "calls": self.calls, "seconds": round(self.seconds, 2),
                "scenarios": len(self.scenarios),
                "scenarios_failed": sum(1 for s in self.scenarios if s.status in ("fail", "error"))}

    @property
    def ok(self) -> bool:
        s = self.summary()
        return s["failed"] == 0 and s["errors"] == 0 and s["scenarios_failed"] == 0 and not self.aborted

    def to_json(self) -> dict[str, Any]:
        from toolgrade import __version__

        return {"toolgrade": __version__, "kind": "contract", "target": self.target, "api": self.api,
                "server": self.server, "aborted": self.aborted or None,
                "tools": [t.to_json() for t in self.tools],
                "scenarios": [s.to_json() for s in self.scenarios], "summary": self.summary()}
