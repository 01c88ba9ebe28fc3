"""toolgrade: grade MCP tool definitions and contract-test MCP servers.

The library API is what the CLI and the pytest plugin call:

    from toolgrade import Target, load_catalog, grade
    catalog = load_catalog(Target.stdio("npx", ["-y", "portkey-admin-mcp"]))
    result = grade(catalog)
    print(result.server.tier, [t.score for t in result.tools])
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

from toolgrade.errors import RubricError, TargetError, ToolgradeError

if TYPE_CHECKING:
    from toolgrade.check import run_check
    from toolgrade.config import load_settings
    from toolgrade.model import Catalog, ServerInfo, Tool
    from toolgrade.rubric import Rubric, load_rubric
    from toolgrade.scoring import Grade, ToolGrade, grade
    from toolgrade.sources import Target, load_catalog, target_from_config

# The public names live in submodules and are imported on first use (PEP 562), so that
# `toolgrade --version` or linting a file does not pay for the SDK or the scorer up front.
_LAZY = {
    "Catalog": "toolgrade.model", "ServerInfo": "toolgrade.model", "Tool": "toolgrade.model",
    "Rubric": "toolgrade.rubric", "load_rubric": "toolgrade.rubric",
    "Grade": "toolgrade.scoring", "ToolGrade": "toolgrade.scoring", "grade": "toolgrade.scoring",
    "Target": "toolgrade.sources", "load_catalog": "toolgrade.sources", "target_from_config": "toolgrade.sources",
    "run_check": "toolgrade.check", "load_settings": "toolgrade.config",
}

__all__ = [
    "Catalog", "Grade", "Rubric", "RubricError", "ServerInfo", "Target", "TargetError", "Tool", "ToolGrade",
    "ToolgradeError", "__version__", "grade", "lint", "load_catalog", "load_rubric", "load_settings", "run_check",
    "target_from_config",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'toolgrade' has no attribute {name!r}")


def lint(target: Target, rubric: Rubric | None = None, timeout: float = 30.0) -> Grade:
    """Load a target's catalog and grade it: the whole of `toolgrade lint` without the rendering."""
    from toolgrade.scoring import grade
    from toolgrade.sources import load_catalog

    return grade(load_catalog(target, timeout=timeout), rubric)
