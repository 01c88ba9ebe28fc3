"""The GitHub Action's and pre-commit hook's own scripts, run for real with bash and the CLI."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import FIXTURES, ROOT

DEMO_TOOLS = FIXTURES / "demo_server" / "tools.json"


def _step(name: str) -> dict:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    return next(step for step in action["runs"]["steps"] if step.get("name") == name)


def _bash(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env={**os.environ, "PATH": path, **env})


def test_action_lint_step_writes_gate_summary_and_reports(tmp_path):
    step = _step("toolgrade lint")
    outputs, summary = tmp_path / "output", tmp_path / "summary.md"
    env = {"TARGET": str(DEMO_TOOLS), "FAIL_UNDER": "3", "FAIL_UNDER_SERVER": "", "FAIL_ON": "error", "BASELINE": "",
           "CONTRACT": "false", "SARIF": "out.sarif", "JUNIT": "junit.xml", "HTML": "report.html",
           "ARGS": "--timeout 20 --env 'NOTE=two words'", "GITHUB_OUTPUT": str(outputs),
           "GITHUB_STEP_SUMMARY": str(summary)}
    proc = _bash(step["run"], env, tmp_path)
    assert proc.returncode == 0, proc.stderr  # the step records the code; the Gate step fails the job
    assert outputs.read_text().strip() == "exit-code=1"
    assert "gate failed: tool 'sync' scores 1.0" in proc.stderr
    assert "## toolgrade: acme-admin-demo — :x: failed" in summary.read_text()
    assert json.loads((tmp_path / "out.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "junit.xml").read_text().startswith("<?xml")
    assert "<svg" in (tmp_path / "report.html").read_text()
    gate = _step("Gate")
    failed = _bash(gate["run"], {"CODE": "1"}, tmp_path)
    assert failed.returncode == 1 and "::error title=toolgrade::a quality gate failed" in failed.stdout
    assert _bash(gate["run"], {"CODE": "0"}, tmp_path).returncode == 0
    assert _bash(gate["run"], {"CODE": "2"}, tmp_path).returncode == 2


def test_action_inputs_are_never_pasted_into_scripts():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")  # only through env:
    used = {value.split("inputs.")[1].split(" ")[0].rstrip("}") for step in action["runs"]["steps"]
            for value in {**step.get("env", {}), **step.get("with", {})}.values() if "inputs." in str(value)}
    assert used <= set(action["inputs"])


def test_pre_commit_hook_entry_lints_saved_catalogs(tmp_path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "toolgrade-lint")
    good = tmp_path / "good" / "tools.json"
    good.parent.mkdir()
    tools = json.loads(DEMO_TOOLS.read_text())
    good.write_text(json.dumps({"tools": [t for t in tools["tools"] if t["name"] in ("list_users", "get_user")]}))
    entry = [*shlex.split(hook["entry"]), "--fail-on", "error"]
    assert _bash(shlex.join([*entry, str(good)]), {}, tmp_path).returncode == 0
    both = _bash(shlex.join([*entry, str(good), str(DEMO_TOOLS)]), {}, tmp_path)
    assert both.returncode == 1
    assert f"{good}: 2 tools" in both.stdout and "error TG001 'sync' has no description" in both.stdout
