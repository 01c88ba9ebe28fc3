"""JUnit XML, the test-report format every CI system shows: lint and contract results as tests.

Lint: one test case per tool (it fails when a gate fails for it) and one per server gate.
Contract: one test case per tool and check (`CT302 error-404`), failed, skipped or passed, and
one per scenario. Built with ElementTree, so tool text is escaped by the serializer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from toolgrade.contract.result import ContractResult
from toolgrade.quality_gate import GateFailure
from toolgrade.report.contract import evidence_lines
from toolgrade.report.sanitize import terminal_safe
from toolgrade.scoring.grade import Grade


def _suite(name: str, cases: list[ET.Element], seconds: float = 0.0) -> ET.Element:
    suite = ET.Element("testsuite", name=name, tests=str(len(cases)),
                       failures=str(sum(1 for c in cases if c.find("failure") is not None)),
                       errors=str(sum(1 for c in cases if c.find("error") is not None)),
                       skipped=str(sum(1 for c in cases if c.find("skipped") is not None)), time=f"{seconds:.3f}")
    suite.extend(cases)
    return suite


def _safe(text: str) -> str:
    """Tool text without control characters (XML 1.0 cannot carry most of them), line by line."""
    return "\n".join(terminal_safe(line) for line in text.splitlines())


def _case(classname: str, name: str, failure: str | None = None, skipped: str | None = None,
          error: str | None = None, out: str | None = None) -> ET.Element:
    case = ET.Element("testcase", classname=_safe(classname), name=_safe(name))
    if failure is not None:
        ET.SubElement(case, "failure", message=_safe(failure)[:500]).text = _safe(failure)
    if error is not None:
        ET.SubElement(case, "error", message=_safe(error)[:500]).text = _safe(error)
    if skipped is not None:
        ET.SubElement(case, "skipped", message=_safe(skipped)[:500])
    if out:
        ET.SubElement(case, "system-out").text = _safe(out)
    return case


def _document(suites: list[ET.Element]) -> str:
    root = ET.Element("testsuites")
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_junit_lint(grade: Grade, failures: list[GateFailure]) -> str:
    by_tool: dict[str, list[str]] = {}
    for failure in failures:
        if failure.gate == "tool-score":
            by_tool.setdefault(failure.subject, []).append(failure.message)
    cases = []
    for tool in grade.tools:
        details = "\n".join(f"{f.severity} {f.code} {f.pointer}: {f.message}\n  fix: {f.hint}" for f in tool.findings)
        problems = by_tool.get(tool.name)
        cases.append(_case("toolgrade.lint.tool", f"{tool.name} ({tool.score:.1f} {tool.tier})",
                           failure="; ".join(problems) if problems else None, out=details or None))
    server_failures = [f.message for f in failures if f.gate == "server-score"]
    cases.append(_case("toolgrade.lint.server", f"server {grade.server.overall:.1f} {grade.server.tier}",
                       failure="; ".join(server_failures) if server_failures else None))
    return _document([_suite(f"toolgrade lint {grade.server.name or grade.target}", cases)])


def render_junit_contract(result: ContractResult) -> str:
    suites = []
    for tool in result.tools:
        cases = []
        if not tool.checks:
            cases.append(_case(f"toolgrade.contract.{tool.name}", "run", error=tool.reason or tool.status))
        for check in tool.checks:
            detail = "\n".join(evidence_lines(check.request, check.result, width=1000)) or None
            if check.status == "fail" and tool.status == "not_testable" and check.code == "CT601":
                cases.append(_case(f"toolgrade.contract.{tool.name}", f"{check.code} {check.name}",
                                   skipped=f"not testable offline: {tool.reason}"))
            elif check.status == "fail" and check.code == "CT701":
                cases.append(_case(f"toolgrade.contract.{tool.name}", f"{check.code} {check.name}", error=check.message))
            elif check.status == "fail":
                cases.append(_case(f"toolgrade.contract.{tool.name}", f"{check.code} {check.name}",
                                   failure=check.message, out=detail))
            elif check.status == "skip":
                cases.append(_case(f"toolgrade.contract.{tool.name}", f"{check.code} {check.name}",
                                   skipped=check.message or "not applicable"))
            else:
                cases.append(_case(f"toolgrade.contract.{tool.name}", f"{check.code} {check.name}"))
        suites.append(_suite(f"contract {tool.name}", cases))
    scenario_cases = []
    for case in result.scenarios:
        name = f"{case.name} ({case.file})"
        if case.status == "pass":
            scenario_cases.append(_case("toolgrade.contract.scenario", name))
        elif case.status == "skip":
            scenario_cases.append(_case("toolgrade.contract.scenario", name, skipped=case.message))
        elif case.status == "error":
            scenario_cases.append(_case("toolgrade.contract.scenario", name, error=case.message))
        else:
            scenario_cases.append(_case("toolgrade.contract.scenario", name, failure=case.message))
    if scenario_cases:
        suites.append(_suite("contract scenarios", scenario_cases))
    return _document(suites)
