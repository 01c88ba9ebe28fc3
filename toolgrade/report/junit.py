"""JUnit XML, the test-report format every CI system shows: lint and contract results as tests.

Rendered from the results documents (live or saved), like every document report.
Lint: one test case per tool (it fails when a gate fails for it) and one per server gate.
Contract: one test case per tool and check (`CT302 error-404`), failed, skipped or passed, and
one per scenario. Built with ElementTree, so tool text is escaped by the serializer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from toolgrade.report.contract import evidence_lines
from toolgrade.report.documents import Results
from toolgrade.report.sanitize import terminal_safe


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


def render_junit(results: Results) -> str:
    """The suites of a run: lint (when present) then contract (when present)."""
    suites = []
    if results.lint is not None:
        suites.append(_lint_suite(results))
    if results.contract is not None:
        suites += _contract_suites(results.contract)
    return _document(suites)


def _lint_suite(results: Results) -> ET.Element:
    """A case per tool (failing when a gate fails for it) and one per server gate; with a baseline,
    known failures are noted in the output but only regressions fail."""
    lint = results.lint or {}
    failing = results.messages_by_subject("failures")
    known = results.messages_by_subject("known")
    cases = []
    for tool in lint.get("tools", []):
        details = [f"{f['severity']} {f['code']} {f['pointer']}: {f['message']}\n  fix: {f['hint']}" for f in tool["findings"]]
        details += [f"known (in the baseline): {m}" for m in known.get(tool["name"], [])]
        problems = failing.pop(tool["name"], None)
        cases.append(_case("toolgrade.lint.tool", f"{tool['name']} ({tool['score']:.1f} {tool['tier']})",
                           failure="\n".join(problems) if problems else None, out="\n".join(details) or None))
    server = lint["server"]
    server_failures = failing.pop("server", [])
    cases.append(_case("toolgrade.lint.server", f"server {server['overall']:.1f} {server['tier']}",
                       failure="\n".join(server_failures) if server_failures else None))
    for subject, messages in failing.items():  # expired ignores, removed tools
        cases.append(_case("toolgrade.lint.gate", subject, failure="\n".join(messages)))
    return _suite(f"toolgrade lint {server.get('name') or lint.get('target')}", cases)


def _contract_suites(contract: dict[str, Any]) -> list[ET.Element]:
    suites = []
    for tool in contract.get("tools", []):
        cases = []
        classname = f"toolgrade.contract.{tool['name']}"
        if not tool["checks"]:
            cases.append(_case(classname, "run", error=tool.get("reason") or tool["status"]))
        for check in tool["checks"]:
            name = f"{check['code']} {check['name']}"
            detail = "\n".join(evidence_lines(check.get("request"), check.get("result"), width=1000)) or None
            if check["status"] == "fail" and tool["status"] == "not_testable" and check["code"] == "CT601":
                cases.append(_case(classname, name, skipped=f"not testable offline: {tool.get('reason')}"))
            elif check["status"] == "fail" and check["code"] == "CT701":
                cases.append(_case(classname, name, error=check["message"]))
            elif check["status"] == "fail":
                cases.append(_case(classname, name, failure=check["message"], out=detail))
            elif check["status"] == "skip":
                cases.append(_case(classname, name, skipped=check.get("message") or "not applicable"))
            else:
                cases.append(_case(classname, name))
        suites.append(_suite(f"contract {tool['name']}", cases))
    scenario_cases = []
    for case in contract.get("scenarios", []):
        name = f"{case['name']} ({case['file']})"
        status, message = case["status"], case.get("message", "")
        scenario_cases.append(_case("toolgrade.contract.scenario", name,
                                    skipped=message if status == "skip" else None,
                                    error=message if status == "error" else None,
                                    failure=message if status == "fail" else None))
    if scenario_cases:
        suites.append(_suite("contract scenarios", scenario_cases))
    return suites
