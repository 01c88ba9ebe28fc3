"""The CI check: settings file, gates, ignores with expiry, baseline regressions, and the reports
one `toolgrade lint` writes (Markdown, SARIF, JUnit, HTML, the job summary), all through the CLI."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, NPM, PYTHON, run_cli

DEMO_TOOLS = FIXTURES / "demo_server" / "tools.json"
SARIF_SCHEMA = NPM / "@microsoft" / "jest-sarif" / "lib" / "schemas" / "sarif-2.1.0-rtm.5.json"


def _project(tmp_path: Path, settings: str, tools: dict | None = None) -> Path:
    """A repository folder with a tools.json and a pyproject.toml holding [tool.toolgrade]."""
    (tmp_path / ".git").mkdir()  # the repository root: settings discovery stops here
    data = tools or json.loads(DEMO_TOOLS.read_text(encoding="utf-8"))
    (tmp_path / "tools.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n\n" + settings, encoding="utf-8")
    return tmp_path


# -- settings ------------------------------------------------------------------------------------
def test_settings_give_target_and_gates_and_flags_override(tmp_path):
    repo = _project(tmp_path, '[tool.toolgrade]\ntarget = { file = "tools.json" }\n'
                              '[tool.toolgrade.gates]\nmin_tool_tier = "B"\n')
    gated = run_cli("lint", cwd=repo)
    assert gated.returncode == 1, gated.stderr
    assert "gate failed: tool 'sync' scores 1.0 (tier D), under the minimum tier B" in gated.stderr
    assert run_cli("lint", "--fail-under", "1", cwd=repo).returncode == 0  # the flag replaces the tier gate
    sub = repo / "src" / "deep"
    sub.mkdir(parents=True)
    assert run_cli("lint", cwd=sub).returncode == 1  # found from a subfolder, paths relative to the file
    assert run_cli("lint", "--no-settings", cwd=sub).returncode == 2  # no target without it


@pytest.mark.parametrize("settings, expected", [
    ('[tool.toolgrade.gates]\nmin_tool_score = "high"\n', ":5: tool.toolgrade.gates.min_tool_score: 'high' is not of type 'number'"),
    ('[tool.toolgrade]\ntarget = { file = "tools.json" }\nselct = ["TG1"]\n', ":6: tool.toolgrade.selct: unknown key; the keys here are target, rubric, select"),
    ('[tool.toolgrade]\nignore = ["E501"]\n', ":5: tool.toolgrade.ignore.0: 'E501' does not match"),
    ('[[tool.toolgrade.ignores]]\ntool = "sync"\nreason = "legacy"\nexpires = "soon"\n', ":7: tool.toolgrade.ignores.0.expires: 'soon' is not a 'date'"),
    ('[tool.toolgrade\n', "not valid TOML"),
])
def test_bad_settings_are_one_line_pointing_at_the_key(tmp_path, settings, expected):
    repo = _project(tmp_path, settings)
    proc = run_cli("lint", "tools.json", cwd=repo)
    assert proc.returncode == 2
    assert expected in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_select_ignore_and_per_tool_ignores_with_expiry(tmp_path):
    base = '[tool.toolgrade]\ntarget = { file = "tools.json" }\n[tool.toolgrade.gates]\nfail_on = ["error"]\n'
    repo = _project(tmp_path, base)
    failing = run_cli("lint", "--format", "json", cwd=repo)
    assert failing.returncode == 1
    codes = {(f["subject"], f["code"]) for f in json.loads(failing.stdout)["gate"]["failures"]}
    assert codes == {("sync", "TG001"), ("updateMember", "TG002")}
    # ignore by code everywhere
    repo_settings = base.replace('target = { file = "tools.json" }\n', 'target = { file = "tools.json" }\nignore = ["TG00"]\n')
    (repo / "pyproject.toml").write_text(repo_settings)
    quiet = run_cli("lint", "--format", "json", cwd=repo)
    assert quiet.returncode == 0, quiet.stderr
    assert not any(f["code"].startswith("TG00") for t in json.loads(quiet.stdout)["tools"] for f in t["findings"])
    # a per-tool ignore with a reason, still valid: only the other tool fails; suppressed is listed
    future = base + '[[tool.toolgrade.ignores]]\ntool = "sync"\ncodes = ["TG001"]\nreason = "removed in 2.0"\nexpires = 2999-12-31\n'
    (repo / "pyproject.toml").write_text(future)
    doc = json.loads(run_cli("lint", "--format", "json", cwd=repo).stdout)
    assert {(f["subject"], f["code"]) for f in doc["gate"]["failures"]} == {("updateMember", "TG002")}
    assert doc["gate"]["suppressed"] == [{"tool": "sync", "code": "TG001", "pointer": "/description",
                                          "reason": "removed in 2.0"}]
    # the same ignore, expired: it fails the run and says so
    (repo / "pyproject.toml").write_text(future.replace("2999-12-31", "2020-01-31"))
    expired = run_cli("lint", cwd=repo)
    assert expired.returncode == 1
    assert "the ignore for sync (TG001) until 2020-01-31: removed in 2.0 expired on 2020-01-31" in expired.stderr


# -- baseline ------------------------------------------------------------------------------------
def _degrade(tools: dict) -> dict:
    """Today's catalog: one tool got worse, one gained a problem, one is new and poor, the rest unchanged."""
    worse = copy.deepcopy(tools)
    by_name = {t["name"]: t for t in worse["tools"]}
    by_name["list_users"]["description"] = "List users."
    by_name["invite_user"]["inputSchema"]["properties"]["email"].pop("description", None)
    worse["tools"].append({"name": "purge_everything", "description": "Purge", "inputSchema": {"type": "object"}})
    return worse


def test_baseline_fails_only_on_regressions_and_shows_the_definition_diff(tmp_path):
    repo = _project(tmp_path, '[tool.toolgrade]\ntarget = { file = "tools.json" }\nbaseline = "toolgrade-baseline.json"\n'
                              '[tool.toolgrade.gates]\nmin_tool_score = 3.0\nfail_on = ["error"]\n')
    made = run_cli("baseline", cwd=repo)
    assert made.returncode == 0, made.stderr
    assert "wrote" in made.stderr and (repo / "toolgrade-baseline.json").is_file()
    # Old debt only: six tools under 3.0 and two error findings, but nothing got worse -> exit 0.
    same = run_cli("lint", cwd=repo)
    assert same.returncode == 0, same.stderr
    assert "0 regression(s), 8 known gate failure(s) not counted, 0 changed definition(s)" in same.stderr
    assert run_cli("lint", "--no-baseline", cwd=repo).returncode == 1  # the same debt, gated in full

    tools = json.loads(DEMO_TOOLS.read_text(encoding="utf-8"))
    (repo / "tools.json").write_text(json.dumps(_degrade(tools), indent=2))
    proc = run_cli("lint", "--format", "json", "--report", "markdown=summary.md", cwd=repo)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    regressions = {(r["gate"], r["subject"]) for r in doc["baseline"]["regressions"]}
    assert ("score-dropped", "list_users") in regressions
    assert ("new-finding", "invite_user") in regressions
    assert ("tool-score", "purge_everything") in regressions
    assert all(r["subject"] not in ("sync", "updateMember") for r in doc["baseline"]["regressions"])
    assert {c["tool"]: c["kind"] for c in doc["baseline"]["changes"]} == {
        "list_users": "changed", "invite_user": "changed", "purge_everything": "added"}
    diff = next(c["diff"] for c in doc["baseline"]["changes"] if c["tool"] == "list_users")
    assert '+  "description": "List users.",' in diff and diff.count("\n-") >= 1
    assert "changed: list_users was changed since the baseline" in proc.stderr
    summary = (repo / "summary.md").read_text(encoding="utf-8")
    assert "### Regressions against the baseline (" in summary
    assert "- :x: list\\_users dropped from 4.7 to" in summary
    assert "new warning TG401 on invite\\_user" in summary
    assert "| `purge_everything` | 1." in summary and "| new |" in summary
    assert "- `list_users` changed" in summary and "```diff" in summary


def test_github_step_summary_is_appended(tmp_path):
    repo = _project(tmp_path, '[tool.toolgrade]\ntarget = { file = "tools.json" }\n')
    summary = repo / "step-summary.md"
    summary.write_text("# earlier step\n")
    proc = run_cli("lint", env={"GITHUB_STEP_SUMMARY": str(summary)}, cwd=repo)
    assert proc.returncode == 0
    text = summary.read_text()
    assert text.startswith("# earlier step\n## toolgrade: acme-admin-demo")
    assert "### Worst tools" in text and "| `sync` | 1.0 | D |" in text
    run_cli("lint", "--no-summary", env={"GITHUB_STEP_SUMMARY": str(summary)}, cwd=repo)
    assert summary.read_text() == text


# -- SARIF ---------------------------------------------------------------------------------------
def _sarif_validator() -> jsonschema.Draft4Validator:
    if not SARIF_SCHEMA.exists():
        pytest.skip("the SARIF 2.1.0 schema comes with @microsoft/jest-sarif: run scripts/setup-test-servers.sh")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


def test_sarif_is_valid_with_stable_fingerprints_and_source_locations(tmp_path):
    validator = _sarif_validator()
    repo = _project(tmp_path, '[tool.toolgrade]\ntarget = { command = ["python", "server.py"] }\n')
    # The tools are defined in code: the name literal and the description live in server.py.
    tools = json.loads(DEMO_TOOLS.read_text(encoding="utf-8"))["tools"]
    lines = ["import json, sys", "TOOLS = ["]
    for tool in tools:
        lines.append(f"    {{'name': {tool['name']!r},")
        lines.append(f"     'description': {tool.get('description')!r},")
        lines.append(f"     'inputSchema': {json.dumps(tool['inputSchema'])}}},")
    lines.append("]")
    (repo / "server.py").write_text("\n".join(lines) + "\n")
    out = []
    for _ in range(2):
        proc = run_cli("lint", "--file", "tools.json", "--format", "sarif", cwd=repo)
        assert proc.returncode == 0, proc.stderr
        out.append(json.loads(proc.stdout))
    sarif = out[0]
    assert list(validator.iter_errors(sarif)) == []
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(set(rule_ids)) and "TG001" in rule_ids
    assert all(r["ruleId"] == rule_ids[r["ruleIndex"]] for r in run["results"])
    sync = next(r for r in run["results"] if r["ruleId"] == "TG001")
    where = sync["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "server.py"
    source = (repo / "server.py").read_text().splitlines()
    assert "'sync'" in source[where["region"]["startLine"] - 1]
    prints = [[r["partialFingerprints"]["toolgrade/v1"] for r in o["runs"][0]["results"]] for o in out]
    assert prints[0] == prints[1] and len(set(prints[0])) == len(prints[0])


def test_sarif_of_a_contract_run_and_ignored_findings(tmp_path):
    validator = _sarif_validator()
    repo = _project(tmp_path, '[tool.toolgrade]\ntarget = { file = "tools.json" }\n'
                              '[[tool.toolgrade.ignores]]\ntool = "sync"\nreason = "legacy"\n')
    lint = run_cli("lint", "--format", "sarif", cwd=repo)
    sarif = json.loads(lint.stdout)
    assert list(validator.iter_errors(sarif)) == []
    ignored = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert ignored and all(r["suppressions"][0]["justification"] == "legacy" for r in ignored)
    contract = run_cli("contract", "--format", "sarif", "--no-scenarios", "--", PYTHON,
                       str(FIXTURES / "demo_server" / "server.py"), timeout=180)
    assert contract.returncode == 1, contract.stderr
    doc = json.loads(contract.stdout)
    assert list(validator.iter_errors(doc)) == []
    assert ("CT102", "list_users") in {(r["ruleId"], r["properties"]["tool"]) for r in doc["runs"][0]["results"]}


# -- JUnit, HTML and `toolgrade report` from saved results -----------------------------------------
def test_report_renders_saved_lint_and_contract_results(tmp_path):
    lint = run_cli("lint", "--format", "json", "-o", str(tmp_path / "lint.json"), "--fail-under", "3", str(DEMO_TOOLS))
    assert lint.returncode == 1
    contract = run_cli("contract", "--format", "json", "-o", str(tmp_path / "contract.json"), "--no-scenarios",
                       "--", PYTHON, str(FIXTURES / "demo_server" / "server.py"), timeout=180)
    assert contract.returncode == 1
    junit = run_cli("report", str(tmp_path / "lint.json"), str(tmp_path / "contract.json"), "--format", "junit")
    assert junit.returncode == 0, junit.stderr
    root = ET.fromstring(junit.stdout)
    failed = {c.get("name").split(" ")[0] for c in root.iter("testcase") if c.find("failure") is not None
              and c.get("classname") == "toolgrade.lint.tool"}
    assert failed == {"get_user_invite", "list_workspaces", "add_workspace_member", "updateMember", "remove_user", "sync"}
    checks = {(c.get("classname"), c.get("name")) for c in root.iter("testcase") if c.find("failure") is not None}
    assert ("toolgrade.contract.list_users", "CT102 query-documented") in checks
    html = run_cli("report", str(tmp_path / "lint.json"), str(tmp_path / "contract.json"), "--format", "html",
                   "-o", str(tmp_path / "r.html"))
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "r.html").read_text()
    assert 'id="contract-failures"' in page and "GET /v1/admin/users?page=0&amp;role=admin" in page
    assert "API answered 200" in page and "tool result: isError=" in page
    markdown = run_cli("report", str(tmp_path / "contract.json"), "--format", "markdown").stdout
    assert markdown.startswith("## toolgrade contract:") and "| `list_users` | CT102 query-documented |" in markdown
    bad = run_cli("report", str(DEMO_TOOLS), "--format", "html")
    assert bad.returncode == 2 and "not a toolgrade results document" in bad.stderr


def test_markdown_escapes_tool_text(tmp_path):
    catalog = tmp_path / "tools.json"
    catalog.write_text(json.dumps({"tools": [{"name": "x|y`z", "description": "<img src=x onerror=alert(1)> **bold** [a](http://e)",
                                              "inputSchema": {"type": "object"}}]}))
    text = run_cli("lint", "--format", "markdown", str(catalog)).stdout
    assert "<img" not in text and "](http" not in text
    assert "| `` x\\|y`z `` |" in text or "| ``x\\|y`z`` |" in text


def test_one_lint_writes_every_configured_report_and_survives_a_bad_path(tmp_path):
    repo = _project(tmp_path, '[tool.toolgrade]\ntarget = { file = "tools.json" }\n[tool.toolgrade.reports]\n'
                              'sarif = "out/toolgrade.sarif"\njunit = "out/junit.xml"\nhtml = "out/report.html"\n'
                              'markdown = "missing-dir/summary.md"\n')
    (repo / "out").mkdir()
    proc = run_cli("lint", cwd=repo)
    assert proc.returncode == 2
    assert "cannot write the markdown report to" in proc.stderr
    for name in ("toolgrade.sarif", "junit.xml", "report.html"):
        assert (repo / "out" / name).stat().st_size > 1000  # the others were still written


def test_lint_with_contract_gates_on_checks_and_the_baseline_knows_them(tmp_path):
    command = json.dumps([PYTHON, str(FIXTURES / "demo_server" / "server.py")])
    repo = _project(tmp_path, f'[tool.toolgrade]\ntarget = {{ command = {command} }}\n'
                              '[tool.toolgrade.contract]\nenabled = true\n')
    proc = run_cli("lint", "--format", "json", "--report", "html=report.html", cwd=repo, timeout=240)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["contract"]["summary"]["tools"] == 12
    contract_failures = {(f["subject"], f["code"]) for f in doc["gate"]["failures"] if f["gate"] == "contract"}
    assert ("list_users", "CT102") in contract_failures  # pages with an undocumented `page`
    assert ("get_user", "CT302") in contract_failures  # a 404 is reported as success
    assert 'id="contract-failures"' in (repo / "report.html").read_text()
    made = run_cli("baseline", "-o", "base.json", cwd=repo, timeout=240)
    assert made.returncode == 0 and "contract failures recorded" in made.stderr
    known = run_cli("lint", "--baseline", "base.json", cwd=repo, timeout=240)
    assert known.returncode == 0, known.stderr  # the same failures, known: nothing regressed
    assert "0 regression(s)" in known.stderr


def test_contract_failures_are_counted_once_and_offline_gaps_are_not_failures():
    from toolgrade.quality_gate import contract_failures
    from toolgrade.report.documents import Results
    from toolgrade.report.markdown import render_markdown

    check = {"code": "CT601", "name": "offline", "status": "fail", "message": "blocked api.example.com",
             "request": None, "result": None}
    crash = {**check, "code": "CT701", "name": "call-completed", "message": "server exited"}
    doc = {"kind": "contract", "target": "t", "api": "portkey", "summary": {
               "tools": 3, "exercised": 2, "passed": 0, "failed": 0, "not_testable": 1, "errors": 2, "calls": 2,
               "seconds": 1.0, "scenarios": 0, "scenarios_failed": 0},
           "tools": [{"name": "get_pricing", "status": "not_testable", "checks": [check]},
                     {"name": "crashes", "status": "error", "checks": [crash], "reason": "server exited"},
                     {"name": "never_run", "status": "error", "checks": [], "reason": "not run: the server stopped"}],
           "scenarios": []}
    keys = [f.pointer for f in contract_failures(doc)]
    assert keys == ["crashes CT701", "never_run CT701"]  # once each; the offline gap is not a failure
    text = render_markdown(Results(contract=doc))
    assert "`never_run` | CT701 call-completed | not run: the server stopped" in text
    assert "get_pricing" not in text
