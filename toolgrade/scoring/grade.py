"""The result of grading: per tool and per server, plain frozen values that reports render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolgrade.findings import Finding
from toolgrade.scoring.context import DimensionScore
from toolgrade.signals import Signals


@dataclass(frozen=True)
class ToolGrade:
    name: str
    input_hash: str
    dimensions: dict[str, DimensionScore]
    score: float
    tier: str
    smells: tuple[str, ...]
    flags: tuple[str, ...]
    signals: Signals
    findings: tuple[Finding, ...]
    engine: str = "deterministic"
    #: With `--engine both` (or llm): the other engine's result, {"engine", "scores", "score", "tier", "evidence"}.
    alternate: dict[str, Any] | None = None

    @property
    def scores(self) -> dict[str, int]:
        return {k: d.score for k, d in self.dimensions.items()}


@dataclass(frozen=True)
class Coherence:
    disambiguation: int
    naming_consistency: int
    tool_count: int
    completeness: int
    score: float
    evidence: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"disambiguation": self.disambiguation, "naming_consistency": self.naming_consistency,
                "tool_count": self.tool_count, "completeness": self.completeness, "score": self.score}


@dataclass(frozen=True)
class ServerGrade:
    name: str
    version: str
    tool_count: int
    description_quality: float
    coherence: Coherence
    overall: float
    tier: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Grade:
    target: str
    rubric: str
    server: ServerGrade
    tools: tuple[ToolGrade, ...]
    engine: str = "deterministic"

    def tool(self, name: str) -> ToolGrade | None:
        return next((t for t in self.tools if t.name == name), None)
