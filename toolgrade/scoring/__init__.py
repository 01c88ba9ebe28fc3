"""Scoring: Catalog -> Grade. Deterministic, offline, and explained (every score has evidence)."""

from __future__ import annotations

from toolgrade.model import Catalog
from toolgrade.rubric import Rubric, load_rubric
from toolgrade.scoring.aggregate import grade_catalog, grade_tool
from toolgrade.scoring.grade import Coherence, Grade, ServerGrade, ToolGrade

__all__ = ["Coherence", "Grade", "ServerGrade", "ToolGrade", "grade", "grade_tool"]


def grade(catalog: Catalog, rubric: Rubric | None = None) -> Grade:
    return grade_catalog(catalog, rubric or load_rubric())
