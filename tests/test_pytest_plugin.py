"""The pytest plugin, run by pytest itself (pytester, in a subprocess, as a user would run it):
gate items from a saved catalog and from the live demo server, ignore expiry, the baseline's
regression-only failures, contract scenario items, the fixtures, and pytest-xdist."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from conftest import FIXTURES, PYTHON, TOOLGRADE

pytest_plugins = ["pytester"]

DEMO_TOOLS = FIXTURES / "demo_server" / "tools.json"
DEMO_SERVER = FIXTURES / "demo_server" / "server.py"
GATES = '[tool.toolgrade.gates]\nmin_tool_score = 3.0\nfail_on = ["error"]\n'


def _settings(pytester: pytest.Pytester, body: str) -> None:
    pytester.makepyprojecttoml("[tool.toolgrade]\n" + body)


def _catalog(pytester: pytest.Pytester, tools: dict | None = None) -> None:
    data = tools or json.loads(DEMO_TOOLS.read_text(encoding="utf-8"))
    (pytester.path / "tools.json").write_text(json.dumps(data), encoding="utf-8")


def _outcomes(result: pytest.RunResult) -> dict[str, str]:
    """item name -> PASSED/FAILED/SKIPPED, from the -v lines (plain or xdist)."""
    found = {}
    for line in result.outlines:
        name = re.search(r"::(toolgrade(?:-contract)?\[[^\]]+\])", line)
        status = re.search(r"\b(PASSED|FAILED|SKIPPED|ERROR)\b", line)
        if name and status and name.group(1) not in found:
            found[name.group(1)] = status.group(1)
    return found


def test_items_per_tool_and_gate_from_a_saved_catalog(pytester):
    _catalog(pytester)
    _settings(pytester, 'target = { file = "tools.json" }\n' + GATES)
    result = pytester.runpytest_subprocess("--toolgrade", "-v", "-rs", "-p", "no:cacheprovider")
    outcomes = _outcomes(result)
    assert len(outcomes) == 12 * 8 + 2  # 6 dimensions + score + findings per tool, server score + findings
    assert outcomes["toolgrade[updateMember-purpose]"] == "FAILED"  # TG002 is an error, on purpose
    assert outcomes["toolgrade[sync-score]"] == "FAILED"
    assert outcomes["toolgrade[list_users-score]"] == "PASSED"
    assert outcomes["toolgrade[list_users-usage_guidelines]"] == "PASSED"
    assert outcomes["toolgrade[server-score]"] == "SKIPPED"  # no server gate configured, and it says so
    assert "no server gate: set gates.min_server_score" in result.stdout.str()
    result.assert_outcomes(failed=8, passed=89, skipped=1)
    text = result.stdout.str()
    assert "error TG002 the description of 'updateMember' only repeats its name" in text
    assert "fix: Open with a specific verb and resource" in text  # the evidence and the fix, no traceback
    assert "Traceback" not in text and "def runtest" not in text
    # -k selects our items like any other test
    picked = pytester.runpytest_subprocess("--toolgrade", "-p", "no:cacheprovider", "-k", "sync and score")
    picked.assert_outcomes(failed=1, deselected=97)


def test_expired_ignore_fails_and_a_valid_one_exempts(pytester):
    _catalog(pytester)
    ignore = '[[tool.toolgrade.ignores]]\ntool = "sync"\nreason = "legacy, removed in 2.0"\nexpires = {}\n'
    _settings(pytester, 'target = { file = "tools.json" }\n' + GATES + ignore.format("2999-01-01"))
    valid = pytester.runpytest_subprocess("--toolgrade", "-v", "-p", "no:cacheprovider")
    outcomes = _outcomes(valid)
    assert outcomes["toolgrade[sync-score]"] == "PASSED" and outcomes["toolgrade[settings-ignores]"] == "PASSED"
    _settings(pytester, 'target = { file = "tools.json" }\n' + GATES + ignore.format("2020-01-01"))
    expired = pytester.runpytest_subprocess("--toolgrade", "-v", "-p", "no:cacheprovider")
    outcomes = _outcomes(expired)
    assert outcomes["toolgrade[sync-score]"] == "FAILED" and outcomes["toolgrade[settings-ignores]"] == "FAILED"
    assert "expired on 2020-01-01; fix what it excused or renew it" in expired.stdout.str()


def test_baseline_makes_only_regressions_fail(pytester):
    _catalog(pytester)
    _settings(pytester, 'target = { file = "tools.json" }\nbaseline = "baseline.json"\n' + GATES)
    made = pytester.run(TOOLGRADE, "baseline")
    assert made.ret == 0, made.errlines
    clean = pytester.runpytest_subprocess("--toolgrade", "-p", "no:cacheprovider")
    clean.assert_outcomes(passed=98)  # the debt is known: nothing fails
    tools = json.loads(DEMO_TOOLS.read_text(encoding="utf-8"))
    next(t for t in tools["tools"] if t["name"] == "list_users")["description"] = "List users."
    _catalog(pytester, tools)
    worse = pytester.runpytest_subprocess("--toolgrade", "-v", "-p", "no:cacheprovider")
    failed = {name for name, outcome in _outcomes(worse).items() if outcome == "FAILED"}
    # The tool's score dropped, it has new warnings on three dimensions, and the server's mean fell with
    # it; nothing else fails, though six other tools are still under the gate (known debt).
    assert failed == {"toolgrade[list_users-score]", "toolgrade[list_users-purpose]",
                      "toolgrade[list_users-usage_guidelines]", "toolgrade[list_users-conciseness]",
                      "toolgrade[server-score]"}
    text = worse.stdout.str()
    assert "list_users dropped from 4.7 to" in text and "new warning TG101 on list_users" in text


def test_live_demo_server_scenarios_and_fixtures_under_xdist(pytester):
    scenarios = pytester.mkdir("scenarios")
    (scenarios / "invite.yaml").write_text(
        "name: invite then list\napi: portkey\nsteps:\n"
        "  - call: invite_user\n    args: {email: ada@example.com, role: member}\n"
        "    expect: {ok: true, requests: [{method: POST, path: /v1/admin/users/invites, status: 200}]}\n"
        "  - call: list_user_invites\n    expect: {ok: true, contains: [ada@example.com]}\n")
    (scenarios / "missing-user.yaml").write_text(
        "name: a missing user is an error\napi: portkey\nsteps:\n"
        "  - call: get_user\n    args: {user_id: 7e570000-0000-4000-8000-000000000000}\n    expect: {ok: false}\n")
    command = f"{shlex.quote(PYTHON)} {shlex.quote(str(DEMO_SERVER))}"
    _settings(pytester, f"target = {{ command = {json.dumps(command)} }}\n" + GATES
              + '[tool.toolgrade.contract]\napi = "portkey"\nscenarios = "scenarios"\n')
    pytester.makepyfile(test_own="""
        def test_catalog(toolgrade_catalog):
            assert len(toolgrade_catalog.tools) == 12

        def test_session_against_the_mock(toolgrade_session, portkey_mock):
            result = toolgrade_session.call_tool("list_users", {"page": 2})
            assert not result.is_error
            paths = [(r.method, r.path, dict(r.query)) for r in portkey_mock.requests]
            assert ("GET", "/v1/admin/users", {"page": "2"}) in paths

        def test_fault_injection(toolgrade_session, portkey_mock):
            portkey_mock.add_fault("GET /v1/admin/users", status=500, times=1)
            assert toolgrade_session.call_tool("list_users", {}).is_error
    """)
    result = pytester.runpytest_subprocess("--toolgrade", "-v", "-p", "no:cacheprovider", "-n", "2", timeout=300)
    outcomes = _outcomes(result)
    assert outcomes["toolgrade-contract[invite.yaml]"] == "PASSED"
    assert outcomes["toolgrade-contract[missing-user.yaml]"] == "FAILED"  # demo defect: failures look like success
    assert outcomes["toolgrade[sync-score]"] == "FAILED"
    result.assert_outcomes(failed=9, passed=93, skipped=1)  # 98 gate items (8 fail), 2 scenarios, 3 own tests
    assert "[gw0]" in result.stdout.str() or "[gw1]" in result.stdout.str() or "2 workers" in result.stdout.str()


def test_no_target_is_one_clear_failure(pytester):
    pytester.makepyprojecttoml("[project]\nname = 'x'\n")
    result = pytester.runpytest_subprocess("--toolgrade", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    assert "toolgrade could not run: pytest --toolgrade has no target" in result.stdout.str()
    inert = pytester.runpytest_subprocess("-p", "no:cacheprovider")  # without --toolgrade the plugin adds nothing
    assert inert.ret == pytest.ExitCode.NO_TESTS_COLLECTED
