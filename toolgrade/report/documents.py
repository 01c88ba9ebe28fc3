"""Results documents: the saved JSON of a run, as every document renderer reads it.

A run writes one of three shapes: the lint report (`schemas/lint-report.schema.json`, with
optional `gate`, `baseline` and `contract` sections), the contract report (`"kind": "contract"`),
or the demo's `{"lint": ..., "contract": ...}`. `Results` holds the lint and contract parts
whichever shape they came in, so HTML, Markdown, SARIF and JUnit are rendered from the same data
live and from a file (`toolgrade report`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolgrade.contract.result import failing_checks, failing_scenarios  # noqa: F401 - re-exported for the reports
from toolgrade.errors import UsageError

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Results:
    lint: dict[str, Any] | None = None
    contract: dict[str, Any] | None = None

    @property
    def gate(self) -> dict[str, Any]:
        return (self.lint or {}).get("gate") or {}

    @property
    def baseline(self) -> dict[str, Any] | None:
        return (self.lint or {}).get("baseline")

    @property
    def server_name(self) -> str:
        part = self.lint or self.contract or {}
        return (part.get("server") or {}).get("name") or part.get("target") or "server"

    def messages_by_subject(self, part: str = "failures") -> dict[str, list[str]]:
        """Gate messages (`failures`, or with a baseline `known`) grouped by tool name or "server"."""
        grouped: dict[str, list[str]] = {}
        for failure in self.gate.get(part, []):
            grouped.setdefault(failure["subject"], []).append(failure["message"])
        return grouped

    def delta(self, name: str) -> str:
        """A tool's change against the baseline: "+0.4", "-1.2", "new", "removed", or ""."""
        change = (self.baseline or {}).get("deltas", {}).get(name)
        if not change:
            return ""
        if change.get("before") is None:
            return "new"
        if change.get("after") is None:
            return "removed"
        return f"{change['after'] - change['before']:+.1f}"

    def merged(self, other: Results) -> Results:
        return Results(lint=other.lint or self.lint, contract=other.contract or self.contract)


def split_document(doc: Any, source: str = "results") -> Results:
    """Recognise a document's shape; raise UsageError for anything else."""
    if not isinstance(doc, dict):
        raise UsageError(f"{source}: not a toolgrade results document (a JSON object from --format json)")
    if doc.get("kind") == "contract":
        return Results(contract=doc)
    if "lint" in doc or ("contract" in doc and "tools" not in doc):
        return Results(lint=doc.get("lint"), contract=doc.get("contract"))
    if isinstance(doc.get("tools"), list) and isinstance(doc.get("server"), dict):
        return Results(lint=doc, contract=doc.get("contract"))
    raise UsageError(f"{source}: not a toolgrade results document; write one with "
                     "`toolgrade lint --format json -o FILE` or `toolgrade contract --format json -o FILE`")


def load_results(paths: list[str]) -> Results:
    results = Results()
    for path in paths:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise UsageError(f"{path}: not JSON ({exc}); give a file written by --format json") from None
        results = results.merged(split_document(doc, path))
    return results


def worst_first(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(tools, key=lambda t: (t["score"], t["name"]))


def top_finding(tool: dict[str, Any]) -> dict[str, Any] | None:
    findings = sorted(tool.get("findings", []), key=lambda f: SEVERITY_RANK.get(f["severity"], 9))
    return findings[0] if findings else None
