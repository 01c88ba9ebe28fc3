"""Contract results as text (a terminal or a CI log) and as JSON (the documented layout).

Everything that came from the server under test (tool names, messages, result text) passes
through `terminal_safe` before it reaches the text report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from toolgrade.contract.result import ContractResult
from toolgrade.report.sanitize import terminal_safe

_MARK = {"pass": "ok  ", "fail": "FAIL", "not_testable": "n/t ", "error": "ERR ", "skip": "skip"}
_COLOUR = {"pass": "green", "fail": "red", "not_testable": "yellow", "error": "magenta", "skip": "yellow"}


def render_contract_json(result: ContractResult, indent: int | None = None) -> str:
    return json.dumps(result.to_json(), indent=indent, ensure_ascii=False, default=str) + "\n"


def render_contract_text(result: ContractResult, style: Callable[..., str] | None = None,
                         verbose: bool = False) -> str:
    paint = style or (lambda text, **_: text)
    summary = result.summary()
    lines = [f"toolgrade contract: {terminal_safe(result.target, 100)}",
             f"api: {result.api} (mocked on loopback)  server: "
             f"{terminal_safe(result.server.get('name', ''), 40)} {terminal_safe(result.server.get('version', ''), 20)}",
             ""]
    order = {"fail": 0, "error": 1, "not_testable": 2, "pass": 3}
    for tool in sorted(result.tools, key=lambda t: (order.get(t.status, 9), t.name)):
        if tool.status == "pass" and not verbose:
            continue
        lines.append(f"{paint(_MARK[tool.status], fg=_COLOUR[tool.status])} {terminal_safe(tool.name, 60)}")
        if tool.status in ("not_testable", "error") and tool.reason:
            lines.append(f"       {terminal_safe(tool.reason, 150)}")
        for check in tool.checks:
            if check.status == "fail" and not (tool.status == "not_testable" and check.code == "CT601"):
                lines.append(f"       {check.code} {check.name}: {terminal_safe(check.message, 150)}")
                lines.extend("         " + line for line in evidence_lines(check.request, check.result))
    passed_hidden = sum(1 for t in result.tools if t.status == "pass")
    if passed_hidden and not verbose:
        lines.append(f"{paint(_MARK['pass'], fg='green')} {passed_hidden} tools passed every check (--verbose lists them)")
    if result.scenarios:
        lines += ["", "scenarios:"]
        for case in result.scenarios:
            lines.append(f"{paint(_MARK.get(case.status, '?   '), fg=_COLOUR.get(case.status, 'white'))} "
                         f"{terminal_safe(case.name, 60)} ({case.file}, {len(case.steps)} steps)")
            if case.message:
                lines.append(f"       {terminal_safe(case.message, 200)}")
    if result.aborted:
        lines += ["", f"run stopped early: {terminal_safe(result.aborted, 200)}"]
    lines += ["", f"coverage: {summary['exercised']} of {summary['tools']} tools exercised; "
                  f"{summary['passed']} passed, {summary['failed']} failed, {summary['not_testable']} not testable "
                  f"offline, {summary['errors']} errors",
              f"{summary['calls']} tool calls in {summary['seconds']:.1f}s; scenarios: {summary['scenarios']} run, "
              f"{summary['scenarios_failed']} failed"]
    return "\n".join(lines) + "\n"


def evidence_lines(request: dict[str, Any] | None, result: dict[str, Any] | None, width: int = 100) -> list[str]:
    """The failing request and result of a check, one sanitised line each (text and JUnit reports)."""
    out = []
    if request:
        body = f" body {terminal_safe(request.get('body') or '', width)}" if request.get("body") else ""
        query = "&".join(f"{k}={v}" for k, v in request.get("query") or [])
        target = request.get("path", "") + (f"?{query}" if query else "")
        out.append(f"request: {request.get('method')} {terminal_safe(target, width)} -> {request.get('status')}{body}")
    if result:
        out.append(f"result: isError={result.get('isError')} {terminal_safe(str(result.get('text', '')), width + 10)}")
    return out
