"""A finding: one problem, where it is, and how to fix it. Plain data, rendered by reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    code: str
    category: str
    severity: str
    dimension: str | None
    tool: str | None
    pointer: str
    message: str
    hint: str

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("tool")
        return data
