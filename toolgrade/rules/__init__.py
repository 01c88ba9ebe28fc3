"""The rule registry: codes, severities and docs are data (rubrics/rules.yaml); scorers and
checks emit findings by code, so a message or severity changes without touching code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


from toolgrade.findings import Finding
from toolgrade.resources import data_dir, load_yaml


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    category: str
    severity: str
    dimension: str | None
    summary: str
    why: str
    bad: str
    good: str
    message: str
    hint: str


@lru_cache(maxsize=1)
def rules() -> Mapping[str, Rule]:
    data = load_yaml((data_dir("rubrics") / "rules.yaml").read_text(encoding="utf-8"))
    return {entry["code"]: Rule(**entry) for entry in data["rules"]}


class _Lenient(dict):
    """Template values: a missing key renders as its name instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, values: Mapping[str, Any]) -> str:
    return template.format_map(_Lenient(values))


def finding(code: str, tool: str | None, pointer: str = "", **values: Any) -> Finding:
    """Build a finding of rule `code`, filling its message and hint templates."""
    rule = rules()[code]
    values = {"tool": repr(tool) if tool else "the server", **values}
    return Finding(
        code=code,
        category=rule.category,
        severity=rule.severity,
        dimension=rule.dimension,
        tool=tool,
        pointer=pointer,
        message=_fill(rule.message, values),
        hint=_fill(rule.hint, values),
    )
