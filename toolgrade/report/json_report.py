"""The JSON report of `toolgrade lint` (schema: schemas/lint-report.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from toolgrade.scoring.grade import Grade, ToolGrade


def tool_json(tool: ToolGrade) -> dict[str, Any]:
    return {
        "name": tool.name,
        "input_hash": tool.input_hash,
        "scores": tool.scores,
        "score": tool.score,
        "tier": tool.tier,
        "smells": list(tool.smells),
        "flags": list(tool.flags),
        "signals": tool.signals.to_json(),
        "evidence": {d: list(s.evidence) for d, s in tool.dimensions.items()},
        "next_steps": {d: s.next_step for d, s in tool.dimensions.items() if s.next_step},
        "findings": [f.to_json() for f in tool.findings],
        **({"engine": tool.engine, "alternate": tool.alternate} if tool.alternate else {}),
    }


def grade_json(grade: Grade, version: str) -> dict[str, Any]:
    server = grade.server
    return {
        "toolgrade": version,
        "target": grade.target,
        "rubric": grade.rubric,
        "engine": grade.engine,
        "server": {
            "name": server.name,
            "version": server.version,
            "tool_count": server.tool_count,
            "description_quality": server.description_quality,
            "coherence": {**server.coherence.to_json(), "evidence": dict(server.coherence.evidence)},
            "overall": server.overall,
            "tier": server.tier,
            "findings": [f.to_json() for f in server.findings],
        },
        "tools": [tool_json(t) for t in grade.tools],
    }


def render_json(grade: Grade, version: str, indent: int | None = 2) -> str:
    """Indented for people; `indent=None` is compact (and several times faster) for machines."""
    return json.dumps(grade_json(grade, version), indent=indent, ensure_ascii=False) + "\n"
