"""Scoring: Catalog -> Grade. Deterministic, offline, and explained (every score has evidence)."""

from __future__ import annotations

from toolgrade.model import Catalog
from toolgrade.rubric import Rubric, load_rubric
from toolgrade.scoring.aggregate import grade_catalog, grade_tool
from toolgrade.scoring.grade import Coherence, Grade, ServerGrade, ToolGrade
from toolgrade.scoring.llm import LLMJudge

__all__ = ["Coherence", "Grade", "ServerGrade", "ToolGrade", "grade", "grade_tool"]


def grade(catalog: Catalog, rubric: Rubric | None = None, judge: LLMJudge | None = None,
          engine: str = "deterministic") -> Grade:
    """Grade every tool. `engine` 'llm' scores with the judge, 'both' adds its scores beside ours."""
    return grade_catalog(catalog, rubric or load_rubric(), judge, engine)
