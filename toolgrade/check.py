"""One CI check: grade a target under a repository's settings, gate it, compare with a baseline,
optionally run the contract tests, and produce the results document every report renders.

This is the library call behind `toolgrade lint` and `pytest --toolgrade`; both only choose the
inputs and show the outcome. The results document is the lint JSON report
(`schemas/lint-report.schema.json`) with three more sections, `gate`, `baseline` and `contract`,
so a saved run can be rendered again later (`toolgrade report`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgrade.baseline import BaselineDiff, against_baseline, read_baseline
from toolgrade.config import Gates, Settings
from toolgrade.errors import UsageError
from toolgrade.model import Catalog
from toolgrade.quality_gate import GateFailure, Suppressed, apply_selection, contract_failures, evaluate
from toolgrade.rubric import Rubric
from toolgrade.scoring.grade import Grade
from toolgrade.sources import Target, load_catalog, target_from_config


def settings_target(settings: Settings) -> Target | None:
    """The target named in the settings file, or None when it names none."""
    spec = settings.target
    if not spec:
        return None
    base = str(settings.source.parent) if settings.source else None
    if "command" in spec:
        command = list(spec["command"])
        return Target.stdio(command[0], command[1:], env=spec.get("env", {}), cwd=base)
    if "url" in spec:
        return Target.http(spec["url"], spec.get("headers", {}), sse=spec.get("transport") == "sse")
    if "file" in spec:
        return Target.file(spec["file"])
    if "config" in spec:
        return target_from_config(spec["config"], spec.get("server"))
    return None


def prepare_grading(rubric_path: str | None) -> Rubric:
    """Everything grading needs that does not depend on the server: the rubric (YAML and
    schema validation), the rule registry, and the scoring and report modules."""
    from toolgrade.report import json_report, text  # noqa: F401 - imported to have it loaded
    from toolgrade.rubric import load_rubric
    from toolgrade.rules import rules as rule_registry
    from toolgrade.scoring import aggregate  # noqa: F401

    rule_registry()
    return load_rubric(rubric_path)


def catalog_and_rubric(target: Target, rubric_path: str | None, timeout: float) -> tuple[Catalog, Rubric]:
    """Prepare grading on a worker thread while the main thread waits for the server: a stdio
    server spends most of a lint run booting, and the preparation fits in that wait."""
    if target.kind != "file":
        import toolgrade.sources.live  # noqa: F401 - import the SDK before the worker competes for the GIL
    with ThreadPoolExecutor(max_workers=1) as pool:
        prepared = pool.submit(prepare_grading, rubric_path)
        try:
            catalog = load_catalog(target, timeout=timeout)
        finally:
            rubric = prepared.result()
    return catalog, rubric


@dataclass
class CheckRun:
    """The outcome of one check. `failing` is what fails the run: every gate failure, or with a
    baseline only the regressions."""

    target: Target
    catalog: Catalog
    rubric: Rubric
    grade: Grade
    gates: Gates
    failures: list[GateFailure]
    suppressed: list[Suppressed] = field(default_factory=list)
    baseline: BaselineDiff | None = None
    contract: dict[str, Any] | None = None

    @property
    def failing(self) -> list[GateFailure]:
        return self.baseline.regressions if self.baseline is not None else self.failures

    @property
    def passed(self) -> bool:
        return not self.failing

    def document(self) -> dict[str, Any]:
        from toolgrade import __version__
        from toolgrade.report.json_report import grade_json

        doc = grade_json(self.grade, __version__)
        listed = {tool.name: tool for tool in self.catalog.tools}
        for tool in doc["tools"]:  # the text itself, for the HTML report and for locating the definition
            source = listed.get(tool["name"])
            tool["description"] = source.description if source else None
            tool["annotations"] = dict(source.annotations) if source and source.annotations else None
        doc["gate"] = {
            "passed": self.passed,
            "gates": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(self.gates).items()},
            "failures": [f.to_json() for f in self.failing],
            "known": [f.to_json() for f in self.baseline.known] if self.baseline else [],
            "suppressed": [s.to_json() for s in self.suppressed],
        }
        doc["baseline"] = self.baseline.to_json() if self.baseline else None
        doc["contract"] = self.contract
        return doc


def run_check(target: Target, settings: Settings | None = None, gates: Gates | None = None, *,
              rubric_path: str | None = None, timeout: float = 30.0, baseline_path: str | None = None,
              contract: bool = False, judge: Any = None, engine: str = "deterministic",
              progress: Any = None) -> CheckRun:
    """Grade, gate, compare and (optionally) contract-test one target."""
    from toolgrade.scoring import grade as grade_catalog

    settings = settings or Settings()
    gates = gates or settings.gates
    if progress:
        progress.stage(f"connecting to {target.display()}")
    catalog, rubric = catalog_and_rubric(target, rubric_path or settings.rubric, timeout)
    if progress:
        progress.stage(f"scoring {len(catalog.tools)} tools")
    graded, suppressed = apply_selection(grade_catalog(catalog, rubric, judge=judge, engine=engine), settings)
    failures = evaluate(graded, gates, rubric, settings)
    contract_doc = None
    if contract:
        contract_doc = _contract(target, settings, timeout, progress)
        if gates.contract:
            failures += contract_failures(contract_doc, settings)
    diff = None
    if baseline_path:
        document = read_baseline(Path(baseline_path))
        diff = against_baseline(catalog, graded, failures, document, gates, baseline_path, contract_doc)
    return CheckRun(target, catalog, rubric, graded, gates, failures, suppressed, diff, contract_doc)


def _contract(target: Target, settings: Settings, timeout: float, progress: Any) -> dict[str, Any]:
    from toolgrade.contract.runner import run_contract
    from toolgrade.contract.scenarios import scenarios_for

    if target.kind != "stdio":
        raise UsageError("the contract run starts the server itself: give a command target, "
                         "or set contract.enabled = false")
    scenarios = scenarios_for(settings.api, settings.contract.get("scenarios"), "contract.scenarios")
    result = run_contract(target, settings.api, timeout, scenarios, settings.contract.get("tools"), progress=progress)
    return result.to_json()
