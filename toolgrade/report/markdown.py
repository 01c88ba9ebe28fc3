"""Markdown for `$GITHUB_STEP_SUMMARY` and pull-request comments: short, worst first.

A summary is read in seconds: the verdict, what fails the build (regressions only, with a
baseline), the changed definitions, the worst tools, and the contract's failing checks. Long
lists are cut with a count of the rest. Tool text is untrusted: it is stripped of control
characters and every character Markdown or HTML would act on is escaped.
"""

from __future__ import annotations

import re
from typing import Any

from toolgrade.report.documents import Results, failing_checks, failing_scenarios, top_finding, worst_first
from toolgrade.report.sanitize import terminal_safe

MAX_ROWS = 15
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")


def md(text: Any, limit: int = 160) -> str:
    """Untrusted text as inert Markdown on one line."""
    return _SPECIAL.sub(r"\\\1", terminal_safe(str(text), limit))


def _code(text: Any, limit: int = 80) -> str:
    """Untrusted text inside a code span: backticks cannot close it if we fence with more of them."""
    clean = terminal_safe(str(text), limit).replace("|", "\\|")
    fence = "`" * (max((len(m) for m in re.findall(r"`+", clean)), default=0) + 1)
    pad = " " if clean.startswith("`") or clean.endswith("`") else ""
    return f"{fence}{pad}{clean}{pad}{fence}"


def render_markdown(results: Results) -> str:
    lines: list[str] = []
    if results.lint is not None:
        lines += _lint(results)
    if results.contract is not None:
        lines += _contract(results.contract, heading=results.lint is None)
    return "\n".join(lines).rstrip() + "\n"


def _lint(results: Results) -> list[str]:
    doc = results.lint or {}
    server = doc["server"]
    gate = results.gate
    baseline = results.baseline
    verdict = "" if not gate else (" — :white_check_mark: passed" if gate.get("passed") else " — :x: failed")
    lines = [f"## toolgrade: {md(server.get('name') or doc.get('target'), 80)}{verdict}", ""]
    score = f"**{server['overall']:.1f}/5, tier {server['tier']}**"
    if baseline and baseline.get("server_before") is not None:
        score += f" ({server['overall'] - baseline['server_before']:+.1f} against the baseline)"
    lines.append(f"{server['tool_count']} tools, server {score}; rubric {md(doc.get('rubric', ''), 40)}.")
    failures = gate.get("failures", [])
    if baseline:
        lines += ["", f"### Regressions against the baseline ({len(failures)})", ""]
        lines += [f"- :x: {md(f['message'], 240)}" for f in failures[:MAX_ROWS]] or ["None: nothing got worse."]
        known = gate.get("known", [])
        if known:
            lines.append(f"\n{len(known)} known gate failure(s) were already in the baseline and do not fail the build.")
    elif failures:
        lines += ["", f"### Gate failures ({len(failures)})", ""]
        lines += [f"- :x: {md(f['message'], 240)}" for f in failures[:MAX_ROWS]]
    if len(failures) > MAX_ROWS:
        lines.append(f"- ... and {len(failures) - MAX_ROWS} more")
    changes = (baseline or {}).get("changes", [])
    if changes:
        lines += ["", f"### Changed definitions ({len(changes)})", ""]
        for change in changes[:MAX_ROWS]:
            lines.append(f"- {_code(change['tool'])} {change['kind']}")
            if change.get("diff"):
                diff = "\n".join(terminal_safe(line, 200) for line in change["diff"].splitlines()[:40])
                lines += ["  <details><summary>diff</summary>", "", "  ```diff",
                          *("  " + line.replace("```", "`\u200b``") for line in diff.splitlines()), "  ```",
                          "  </details>"]
    tools = worst_first(doc.get("tools", []))
    if tools:
        lines += ["", "### Worst tools", "", "| Tool | Score | Tier |" + (" Δ |" if baseline else "") + " Top finding |",
                  "|---|---:|:-:|" + ("---:|" if baseline else "") + "---|"]
        for tool in tools[:MAX_ROWS]:
            finding = top_finding(tool)
            top = f"{finding['code']} {md(finding['message'], 100)}" if finding else ""
            delta = f" {results.delta(tool['name'])} |" if baseline else ""
            lines.append(f"| {_code(tool['name'], 60)} | {tool['score']:.1f} | {tool['tier']} |{delta} {top} |")
        if len(tools) > MAX_ROWS:
            lines.append(f"\n{len(tools) - MAX_ROWS} more tools; the HTML report lists them all.")
    suppressed = gate.get("suppressed", [])
    if suppressed:
        lines.append(f"\n{len(suppressed)} finding(s) ignored by the settings' per-tool ignores.")
    return lines


def _contract(contract: dict[str, Any], heading: bool) -> list[str]:
    summary = contract["summary"]
    verdict = ":white_check_mark:" if not summary["failed"] and not summary["errors"] and not summary["scenarios_failed"] else ":x:"
    lines = [f"## toolgrade contract: {md(contract.get('target'), 80)}" if heading else "### Contract", "",
             f"{verdict} {summary['passed']} of {summary['tools']} tools passed every check against the mocked "
             f"{md(contract.get('api'), 30)} API; {summary['failed']} failed, {summary['not_testable']} not testable "
             f"offline, {summary['errors']} errors; scenarios {summary['scenarios'] - summary['scenarios_failed']}/"
             f"{summary['scenarios']} passed."]
    failing = failing_checks(contract)
    if failing:
        lines += ["", "| Tool | Check | What happened |", "|---|---|---|"]
        for tool, check in failing[:MAX_ROWS]:
            lines.append(f"| {_code(tool['name'], 60)} | {check['code']} {check['name']} | {md(check['message'], 160)} |")
        if len(failing) > MAX_ROWS:
            lines.append(f"\n{len(failing) - MAX_ROWS} more failing checks.")
    for case in failing_scenarios(contract):
        lines.append(f"- :x: scenario {md(case['name'], 60)} ({md(case['file'], 60)}): {md(case['message'], 200)}")
    return lines
