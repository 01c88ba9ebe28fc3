"""Scenario cases: multi-step flows in YAML, run through the same session as the tool checks.

A case file is validated against `schemas/contract-scenario.schema.json` before anything runs;
a broken file stops the run with its path and the line of the offending key. Values flow
between steps with `${name}` (saved from a result with `save`, or created by `given`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from toolgrade.contract.apidesc import load_api
from toolgrade.contract.result import ScenarioResult, StepResult
from toolgrade.errors import UsageError
from toolgrade.resources import schema_error, schema_validator

_VAR = re.compile(r"\$\{([A-Za-z0-9_.-]+)\}")


def load_scenario(path: Path) -> dict[str, Any]:
    """Parse and validate one case file; UsageError names the file and line on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read scenario {path}: {exc.strerror or exc}") from None
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise UsageError(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    problem = schema_error(schema_validator("contract-scenario.schema.json"), data, "top level")
    if problem is not None:
        where, message, at = problem
        raise UsageError(f"{path}:{_line_of(node, at)}: invalid scenario at {where}: {message} "
                         "(see schemas/contract-scenario.schema.json)")
    known = load_api(data["api"]).resources
    for name, resource in data.get("given", {}).items():
        if resource not in known:
            raise UsageError(f"{path}:{_line_of(node, ['given', name])}: `given` names an unknown resource "
                             f"{resource!r}; {data['api']} has {', '.join(sorted(known))}")
    return data


def _line_of(node: Any, path: list[Any]) -> int:
    """The 1-based line of the YAML node at a JSON path (the deepest one that exists)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


@dataclass(frozen=True)
class Scenario:
    """A case file, read and validated once, before any server starts."""

    path: Path
    case: dict[str, Any]


def scenarios_for(api: str, folder: str | None, option: str = "--scenarios") -> list[Scenario]:
    """The cases of a run: those in `folder` (named by `option` when it is missing), else the
    ones bundled for `api`, else none. Read and validated before any server starts."""
    from toolgrade.resources import data_dir

    if folder and not Path(folder).is_dir():
        raise UsageError(f"{option} {folder}: no such folder")
    where = Path(folder) if folder else data_dir("fixtures") / "contracts" / api
    return load_scenarios(where) if where.is_dir() else []


def load_scenarios(folder: Path) -> list[Scenario]:
    """Every *.yaml / *.yml case in a folder, validated (UsageError names file and line)."""
    files = sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    return [Scenario(path, load_scenario(path)) for path in files]


async def run_scenarios(ctx: Any, scenarios: list[Scenario], tool_names: set[str]) -> list[ScenarioResult]:
    results = []
    for scenario in scenarios:
        path, case = scenario.path, scenario.case
        if case["api"] != ctx.mock.api.name:
            continue
        missing = sorted({s["call"] for s in case["steps"]} - tool_names)
        if missing:
            results.append(ScenarioResult(case["name"], path.name, "skip",
                                          f"the server has no tool {', '.join(missing)}"))
            continue
        results.append(await _run_case(ctx, case, path))
    return results


async def _run_case(ctx: Any, case: dict[str, Any], path: Path) -> ScenarioResult:
    from toolgrade.contract.runner import ServerGone

    out = ScenarioResult(case["name"], path.name, "pass")
    variables: dict[str, Any] = _given(ctx, case.get("given", {}))
    for index, step in enumerate(case["steps"], start=1):
        label = f"step {index} ({step['call']})"
        try:
            args = _substitute(step.get("args", {}), variables)
            outcome, requests = await ctx.call(step["call"], args)
        except KeyError as exc:
            out.steps.append(StepResult(step["call"], "fail", f"{label}: unknown variable ${{{exc.args[0]}}}"))
            out.status = "fail"
            break
        except ServerGone as exc:
            out.steps.append(StepResult(step["call"], "error", f"{label}: {exc}"))
            out.status = "error"
            break
        try:
            problems = _expectations(step.get("expect", {}), outcome, requests, variables)
        except KeyError as exc:
            problems = [f"unknown variable ${{{exc.args[0]}}} in the expectations"]
        for name, dotted in step.get("save", {}).items():
            value = _dig(outcome.structured, dotted)
            if value is None:
                problems.append(f"nothing to save as {name}: the result has no {dotted}")
            variables[name] = value
        status = "fail" if problems else "pass"
        shown_request = requests[-1].to_dict() if requests else None
        out.steps.append(StepResult(step["call"], status, "; ".join(problems),
                                    request=shown_request if problems else None,
                                    result=outcome.to_json() if problems else None))
        if problems:
            out.status = "fail"
            out.message = f"{label}: {problems[0]}"
            break
    return out


def _given(ctx: Any, given: dict[str, str]) -> dict[str, Any]:
    """Fresh objects for the flow; `${name}` is the id (or slug where the API addresses by slug)."""
    variables: dict[str, Any] = {}
    with ctx.mock.state() as store:
        for name, resource in given.items():
            record = store.create(resource, {})
            variables[name] = ctx.mock.api.resources[resource].address(record)
            for key, value in record.items():
                variables[f"{name}.{key}"] = value
    return variables


def _substitute(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, variables) for v in value]
    if isinstance(value, str):
        whole = _VAR.fullmatch(value)
        if whole:
            return variables[whole.group(1)]
        return _VAR.sub(lambda m: str(variables[m.group(1)]), value)
    return value


def _dig(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and re.fullmatch(r"-?\d+", part) and data:
            index = int(part)
            data = data[index] if -len(data) <= index < len(data) else None
        else:
            return None
    return data


def _expectations(expect: dict[str, Any], outcome: Any, requests: list[Any], variables: dict[str, Any]) -> list[str]:
    expect = _substitute(expect, variables)
    problems: list[str] = []
    if "ok" in expect and expect["ok"] == outcome.is_error:
        problems.append(f"expected {'success' if expect['ok'] else 'an error'}, got "
                        f"{'an error' if outcome.is_error else 'success'}: {outcome.text[:200]}")
    seen = outcome.text + json.dumps(outcome.structured, default=str)
    problems += [f"the result does not contain {t!r}" for t in expect.get("contains", []) if str(t) not in seen]
    problems += [f"the result contains {t!r}" for t in expect.get("not_contains", []) if str(t) in seen]
    for want in expect.get("requests", []):
        if not any(_request_matches(want, r) for r in requests):
            made = ", ".join(f"{r.method} {r.path} -> {r.status}" for r in requests) or "none"
            problems.append(f"no request matched {want} (made: {made})")
    return problems


def _request_matches(want: dict[str, Any], request: Any) -> bool:
    if "method" in want and request.method != want["method"]:
        return False
    if "path" in want and request.path != want["path"]:
        return False
    if "endpoint" in want and request.endpoint != want["endpoint"]:
        return False
    if "status" in want and request.status != want["status"]:
        return False
    body = request.json if isinstance(request.json, dict) else {}
    if any(body.get(k) != v for k, v in want.get("body", {}).items()):
        return False
    query = dict(request.query)
    return all(query.get(k) == v for k, v in want.get("query", {}).items())
