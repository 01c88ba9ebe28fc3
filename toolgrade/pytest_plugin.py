"""pytest plugin: toolgrade's gates as test items, and fixtures for authors' own MCP tests.

Registered through the `pytest11` entry point, and inert unless asked: `pytest --toolgrade`
(or `toolgrade = true` in the ini options) grades the target named by `--toolgrade-target`, the
`toolgrade_target` ini option, or the `[tool.toolgrade]` settings, and adds these items:

    toolgrade[<tool>-<dimension>]   one per tool and dimension (purpose ... completeness)
    toolgrade[<tool>-score]         the tool's score/tier gate
    toolgrade[<tool>-findings]      findings without a dimension (security, schema) of a failing severity
    toolgrade[<tool>-contract]      the tool's contract checks (when contract.enabled)
    toolgrade[server-score], toolgrade[server-findings], toolgrade[settings-ignores]
    toolgrade-contract[<scenario file>]   each scenario file (when contract settings are given)

An item fails with the gate's message, the evidence and the fix; an item whose gate is not
configured is skipped with the setting that would enable it. With a baseline, only regressions
fail. Everything is prefixed `toolgrade` (options, ini keys, fixtures, the marker) because other
MCP plugins already use `mcp_client`, `mcp_server` and `--mcp-server`.

Fixtures: `toolgrade_settings`, `toolgrade_target`, `toolgrade_catalog` (session scope),
`toolgrade_session` (a live MCP session to the server; pointed at `portkey_mock` when the test
uses both) and `portkey_mock` (a running mock Portkey Admin API with its request log and faults).
Works under pytest-xdist: each worker collects the same items from the same catalog.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

DIMENSIONS = ("purpose", "usage_guidelines", "behavior", "parameters", "conciseness", "completeness")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("toolgrade", "toolgrade: grade and contract-test an MCP server")
    group.addoption("--toolgrade", action="store_true", default=None,
                    help="Add toolgrade's gate items for the configured MCP server.")
    group.addoption("--toolgrade-target", metavar="TARGET",
                    help="The server: a command line, an http(s) URL, or a tools/list JSON file "
                         "(default: the toolgrade_target ini option, then [tool.toolgrade] target).")
    group.addoption("--toolgrade-settings", metavar="FILE",
                    help="The toolgrade settings file (default: toolgrade.toml or [tool.toolgrade] in pyproject.toml).")
    group.addoption("--toolgrade-baseline", metavar="FILE", help="Fail only on regressions against this baseline.")
    parser.addini("toolgrade", "Collect toolgrade's gate items without --toolgrade.", type="bool", default=False)
    parser.addini("toolgrade_target", "The server for toolgrade's items and fixtures (as --toolgrade-target).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "toolgrade: a toolgrade gate or contract item (select with -m toolgrade)")


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("--toolgrade") or config.getini("toolgrade"))


# -- resolving the target ------------------------------------------------------------------------
def _settings(config: pytest.Config) -> Any:
    """--toolgrade-settings, else the settings file found from pytest's rootdir."""
    from toolgrade.config import load_settings

    return load_settings(config.getoption("--toolgrade-settings"), start=Path(str(config.rootpath)))


def _target(config: pytest.Config, settings: Any) -> Any:
    from toolgrade.check import settings_target
    from toolgrade.sources import Target

    text = config.getoption("--toolgrade-target") or config.getini("toolgrade_target")
    if text:  # a URL, a .json file or a command line, relative to pytest's rootdir
        return Target.guess(shlex.split(text.strip()), base=str(config.rootpath))
    return settings_target(settings)


# -- the items -----------------------------------------------------------------------------------
class ToolgradeCheckFailed(Exception):
    """A gate failed; the message is what the report shows."""


@dataclass
class _Plan:
    """What collection found, shared by the items of one process (each xdist worker has its own)."""

    run: Any  # CheckRun
    settings: Any
    target: Any
    _contract: dict[str, Any] | None = None

    def contract(self) -> dict[str, Any]:
        """The per-tool contract run, made by the first item that needs it."""
        if self._contract is None:
            from toolgrade.contract.runner import run_contract

            result = run_contract(self.target, self.settings.api, self.settings.timeout, [],
                                  self.settings.contract.get("tools"))
            self._contract = result.to_json()
        return self._contract


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect, so they apply to our items too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _enabled(config):
        return
    collector = ToolgradeCollector.from_parent(session, name="toolgrade", nodeid="toolgrade")
    collected = collector.collect_or_error()
    items.extend(collected)



class ToolgradeCollector(pytest.Collector):
    def collect_or_error(self) -> list[pytest.Item]:
        from toolgrade.errors import ToolgradeError

        try:
            return list(self.collect())
        except ToolgradeError as exc:
            return [ToolgradeErrorItem.from_parent(self, name="toolgrade[setup]", message=str(exc))]

    def collect(self) -> Iterator[pytest.Item]:
        from toolgrade.check import run_check
        from toolgrade.errors import UsageError

        config = self.config
        settings = _settings(config)
        target = _target(config, settings)
        if target is None:
            raise UsageError("pytest --toolgrade has no target: give --toolgrade-target, the toolgrade_target ini "
                             "option, or [tool.toolgrade.target] in pyproject.toml")
        baseline = config.getoption("--toolgrade-baseline") or settings.baseline
        run = run_check(target, settings, rubric_path=settings.rubric,
                        timeout=settings.timeout, baseline_path=baseline)
        plan = _Plan(run, settings, target)
        facets = [*DIMENSIONS, "score", "findings"]
        if settings.contract_on():
            facets.append("contract")
        for tool in run.grade.tools:
            for facet in facets:
                yield ToolgradeItem.from_parent(self, name=f"toolgrade[{tool.name}-{facet}]", plan=plan,
                                                subject=tool.name, facet=facet)
        for facet in ("score", "findings"):
            yield ToolgradeItem.from_parent(self, name=f"toolgrade[server-{facet}]", plan=plan, subject="server",
                                            facet=facet)
        if settings.ignores:
            yield ToolgradeItem.from_parent(self, name="toolgrade[settings-ignores]", plan=plan, subject="*",
                                            facet="ignores")
        yield from self._scenario_items(plan)

    def _scenario_items(self, plan: _Plan) -> Iterator[pytest.Item]:
        """One item per scenario file of contract.scenarios (none without that setting)."""
        from toolgrade.contract.scenarios import scenarios_for

        folder = plan.settings.contract.get("scenarios")
        if not folder:
            return
        for scenario in scenarios_for(plan.settings.api, folder, "contract.scenarios"):
            yield ScenarioItem.from_parent(self, name=f"toolgrade-contract[{scenario.path.name}]", plan=plan,
                                           scenarios=[scenario])

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return str(excinfo.value)


class _Item(pytest.Item):
    """Our items: marked `toolgrade`; a gate failure shows its own message, not a traceback."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_marker("toolgrade")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ToolgradeCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class ToolgradeErrorItem(_Item):
    """Stands for a collection that could not run (no target, dead server): one failing item."""

    def __init__(self, *, message: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = message

    def runtest(self) -> None:
        raise ToolgradeCheckFailed(f"toolgrade could not run: {self.message}")

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name


class ToolgradeItem(_Item):
    def __init__(self, *, plan: _Plan, subject: str, facet: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan, self.subject, self.facet = plan, subject, facet

    def _mine(self, failure: Any) -> bool:
        if self.facet == "ignores":
            return failure.gate == "ignore-expired"
        if failure.subject != self.subject or failure.gate == "ignore-expired":
            return False
        if self.facet in DIMENSIONS:
            return failure.dimension == self.facet and failure.gate != "contract"
        if self.facet == "score":
            return failure.gate in ("tool-score", "tool-tier", "server-score", "server-tier", "score-dropped",
                                    "server-dropped")
        if self.facet == "contract":
            return failure.gate == "contract"
        return failure.dimension is None and failure.gate in ("finding", "new-finding")

    def _configured(self) -> str | None:
        """Why this item has no gate to check, or None when it has one."""
        gates = self.plan.run.gates
        if self.plan.run.baseline is not None or self.facet in ("ignores", "contract"):
            return None
        if self.facet in DIMENSIONS and gates.min_dimension_score is None and not gates.fail_on:
            return "no gate for dimensions: set gates.min_dimension_score or gates.fail_on"
        if self.facet == "score" and self.subject != "server" and gates.min_tool_score is None and gates.min_tool_tier is None:
            return "no tool gate: set gates.min_tool_score or gates.min_tool_tier"
        if self.facet == "score" and self.subject == "server" and gates.min_server_score is None and gates.min_server_tier is None:
            return "no server gate: set gates.min_server_score or gates.min_server_tier"
        if self.facet == "findings" and not gates.fail_on:
            return "no finding gate: set gates.fail_on (e.g. [\"error\"])"
        return None

    def runtest(self) -> None:
        if self.facet == "contract":
            self._contract()
            return
        reason = self._configured()
        if reason is not None:
            pytest.skip(reason)
        failing = [f for f in self.plan.run.failing if self._mine(f)]
        if failing:
            raise ToolgradeCheckFailed(self._explain(failing))

    def _contract(self) -> None:
        from toolgrade.quality_gate import contract_failures

        failing = [f for f in contract_failures(self.plan.contract(), self.plan.settings) if f.subject == self.subject]
        if failing:
            raise ToolgradeCheckFailed("\n".join(f.message for f in failing))

    def _explain(self, failing: list[Any]) -> str:
        lines = [f.message for f in failing]
        tool = self.plan.run.grade.tool(self.subject)
        if tool is not None and self.facet in DIMENSIONS:
            scored = tool.dimensions[self.facet]
            lines.append(f"{self.facet}: {scored.score}/5")
            lines += [f"  evidence: {e}" for e in scored.evidence]
            if scored.next_step:
                lines.append(f"  fix: {scored.next_step}")
        from toolgrade.report.sanitize import terminal_safe

        return "\n".join(terminal_safe(line, 400) for line in lines)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        source = self.plan.settings.source
        return (source or self.path), None, self.name


class ScenarioItem(_Item):
    def __init__(self, *, plan: _Plan, scenarios: list[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan, self.scenarios = plan, scenarios

    def runtest(self) -> None:
        from toolgrade.contract.runner import run_contract

        settings = self.plan.settings
        result = run_contract(self.plan.target, settings.api, settings.timeout, self.scenarios, only=[])
        if result.aborted:
            raise ToolgradeCheckFailed(f"the contract run stopped: {result.aborted}")
        problems = [f"{case.name}: {case.status}: {case.message}" for case in result.scenarios
                    if case.status in ("fail", "error")]
        if problems:
            raise ToolgradeCheckFailed("\n".join(problems))
        if all(case.status == "skip" for case in result.scenarios):
            pytest.skip("; ".join(case.message for case in result.scenarios))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.scenarios[0].path, None, self.name


# -- fixtures for authors' own tests ---------------------------------------------------------------
@pytest.fixture(scope="session")
def toolgrade_settings(pytestconfig: pytest.Config) -> Any:
    """The toolgrade settings in force (an empty Settings when there is no file)."""
    return _settings(pytestconfig)


@pytest.fixture(scope="session")
def toolgrade_target(pytestconfig: pytest.Config, toolgrade_settings: Any) -> Any:
    """The server under test as a toolgrade Target (skips the test when none is configured)."""
    target = _target(pytestconfig, toolgrade_settings)
    if target is None:
        pytest.skip("no toolgrade target: set --toolgrade-target, the toolgrade_target ini option, "
                    "or [tool.toolgrade.target]")
    return target


@pytest.fixture(scope="session")
def toolgrade_catalog(toolgrade_target: Any, toolgrade_settings: Any) -> Any:
    """The server's tools/list as a toolgrade Catalog (all pages), read once per session."""
    from toolgrade.sources import load_catalog

    return load_catalog(toolgrade_target, timeout=toolgrade_settings.timeout)


@dataclass
class PortkeyMock:
    """A running mock of the Portkey Admin API on loopback, for one test."""

    api: Any  # toolgrade.contract.mock.MockApi
    server: Any  # toolgrade.contract.mock.MockServer

    @property
    def origin(self) -> str:
        return self.server.origin

    @property
    def base_url(self) -> str:
        return f"{self.server.origin}/v1"

    @property
    def key(self) -> str:
        return self.api.key

    @cached_property
    def env(self) -> dict[str, str]:
        """The environment that points a Portkey MCP server at this mock (and blocks other hosts for Node)."""
        from toolgrade.contract.runner import contract_env

        return contract_env(self.api, self.server.origin)

    @property
    def requests(self) -> list[Any]:
        """Every request the mock received, oldest first (RecordedRequest: method, path, query, body, status)."""
        return self.api.since(0)

    def add_fault(self, route: str = "*", **kwargs: Any) -> Any:
        """Inject a fault: add_fault("GET /admin/users", status=500, times=1); see MockApi.add_fault."""
        return self.api.add_fault(route, **kwargs)

    def reset(self) -> None:
        self.api.reset()


@pytest.fixture
def portkey_mock() -> Iterator[PortkeyMock]:
    """A fresh mock Portkey Admin API on a free loopback port, stopped after the test."""
    from toolgrade.contract.mock import MockApi, MockServer

    api = MockApi("portkey")
    with MockServer(api) as server:
        yield PortkeyMock(api, server)


@pytest.fixture
def toolgrade_session(request: pytest.FixtureRequest, toolgrade_target: Any, toolgrade_settings: Any) -> Iterator[Any]:
    """A live MCP client session to the server under test (toolgrade.sources.blocking.BlockingSession:
    list_tools(), call_tool(name, arguments)). When the test also uses `portkey_mock`, the server is
    started pointed at that mock."""
    from toolgrade.sources.blocking import BlockingSession

    target = toolgrade_target
    if target.kind == "file":
        pytest.skip("toolgrade_session needs a live server; the toolgrade target is a saved tools/list file")
    if "portkey_mock" in request.fixturenames and target.kind == "stdio":
        mock = request.getfixturevalue("portkey_mock")
        target = replace(target, env={**target.env, **mock.env})
    with BlockingSession(target, timeout=toolgrade_settings.timeout) as session:
        yield session
