"""JUnit XML from lint and contract runs, parsed back as a CI system would."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from conftest import FIXTURES, PYTHON, run_cli


def _cases(xml: str) -> list[ET.Element]:
    return list(ET.fromstring(xml).iter("testcase"))


def test_lint_junit_has_a_case_per_tool_and_the_server_gate(tmp_path):
    proc = run_cli("lint", "--format", "junit", "--fail-under", "3", "--fail-under-server", "4.5",
                   str(FIXTURES / "demo_server" / "tools.json"))
    assert proc.returncode == 1
    cases = _cases(proc.stdout)
    assert len(cases) == 13  # 12 tools + the server gate
    failed = {c.get("name").split(" ")[0] for c in cases if c.find("failure") is not None}
    assert failed == {"get_user_invite", "list_workspaces", "add_workspace_member", "updateMember", "remove_user",
                      "sync", "server"}
    sync = next(c for c in cases if c.get("name").startswith("sync "))
    assert "TG001" in sync.find("system-out").text


def test_lint_junit_escapes_hostile_tool_text(tmp_path):
    catalog = tmp_path / "tools.json"
    catalog.write_text(json.dumps({"tools": [{"name": "x<script>alert(1)</script>", "description": "Get it ]]> & <b>",
                                              "inputSchema": {"type": "object"}}]}))
    proc = run_cli("lint", "--format", "junit", str(catalog))
    case = _cases(proc.stdout)[0]  # parses: the text was escaped, not injected
    assert case.get("name").startswith("x<script>alert(1)</script>")
    assert "<script>" not in proc.stdout


def test_contract_junit_has_a_case_per_check():
    proc = run_cli("contract", "--format", "junit", "--no-scenarios", "--", PYTHON,
                   str(FIXTURES / "demo_server" / "server.py"))
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert len(suites) == 12
    get_user = suites["contract get_user"]
    failed = sorted(c.get("name") for c in get_user.iter("testcase") if c.find("failure") is not None)
    assert failed == ["CT301 error-401", "CT302 error-404", "CT303 error-429", "CT304 error-500", "CT305 error-malformed"]
    assert int(get_user.get("failures")) == 5 and int(get_user.get("tests")) == 18
    sync = suites["contract sync"]
    assert any(c.find("skipped") is not None for c in sync.iter("testcase"))
