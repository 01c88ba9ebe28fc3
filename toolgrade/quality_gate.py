"""Quality gates: what makes `toolgrade lint` exit 1."""

from __future__ import annotations

from dataclasses import dataclass

from toolgrade.scoring.grade import Grade


@dataclass(frozen=True)
class GateFailure:
    gate: str
    subject: str
    message: str


def evaluate(grade: Grade, fail_under: float | None = None, fail_under_server: float | None = None) -> list[GateFailure]:
    failures = []
    if fail_under is not None:
        for tool in grade.tools:
            if tool.score < fail_under:
                failures.append(GateFailure("tool-score", tool.name,
                                            f"tool {tool.name!r} scores {tool.score:.1f}, under --fail-under {fail_under:g}"))
    if fail_under_server is not None and grade.server.overall < fail_under_server:
        failures.append(GateFailure("server-score", grade.server.name or grade.target,
                                    f"server scores {grade.server.overall:.1f}, under --fail-under-server {fail_under_server:g}"))
    return failures
