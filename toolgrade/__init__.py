"""toolgrade: grade MCP tool definitions and contract-test MCP servers.

The library API is what the CLI and the pytest plugin call:

    from toolgrade import Target, load_catalog, grade
    catalog = load_catalog(Target.stdio("npx", ["-y", "portkey-admin-mcp"]))
    result = grade(catalog)
    print(result.server.tier, [t.score for t in result.tools])
"""

from __future__ import annotations

__version__ = "0.1.0"

from toolgrade.errors import RubricError, TargetError, ToolgradeError
from toolgrade.model import Catalog, ServerInfo, Tool
from toolgrade.rubric import Rubric, load_rubric
from toolgrade.scoring import Grade, ToolGrade, grade
from toolgrade.sources import Target, load_catalog, target_from_config

__all__ = [
    "Catalog", "Grade", "Rubric", "RubricError", "ServerInfo", "Target", "TargetError", "Tool", "ToolGrade",
    "ToolgradeError", "__version__", "grade", "lint", "load_catalog", "load_rubric", "target_from_config",
]


def lint(target: Target, rubric: Rubric | None = None, timeout: float = 30.0) -> Grade:
    """Load a target's catalog and grade it: the whole of `toolgrade lint` without the rendering."""
    return grade(load_catalog(target, timeout=timeout), rubric)
