"""Where in a repository a tool is defined, for SARIF locations and the HTML report.

Code scanning shows a finding on a line of a file. A tool's definition is usually a string
literal of its name next to its description, so we search the repository's text files (the
files git tracks, or a bounded walk when there is no git) for the name as a quoted literal,
prefer the file that also holds the start of the description, and point at the name's line.
Whatever is not found points at a fallback file (the settings file or the saved catalog).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

SOURCE_SUFFIXES = {".py", ".ts", ".tsx", ".js", ".mjs", ".cjs", ".go", ".rs", ".java", ".kt", ".rb", ".cs",
                   ".php", ".swift", ".json", ".yaml", ".yml", ".toml"}
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", "dist", "build", ".tox", ".mypy_cache",
             ".pytest_cache", "target", ".toolgrade-cache"}
MAX_FILE_BYTES = 2_000_000
MAX_FILES = 5_000
GIT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Location:
    path: str  # relative to the root, with forward slashes
    line: int


def repository_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding .git, else `start` itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _candidate_files(root: Path) -> list[Path]:
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, timeout=GIT_TIMEOUT,
                                check=True).stdout.decode("utf-8", "replace").split("\0")
        files = [root / name for name in listed if name]
    except (OSError, subprocess.SubprocessError):
        files = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            files += [Path(folder) / n for n in names]
            if len(files) > MAX_FILES * 4:
                break
    chosen = [f for f in files if f.suffix.lower() in SOURCE_SUFFIXES and not (set(f.parts) & SKIP_DIRS)]
    return chosen[:MAX_FILES]


def locate_tools(root: Path, tools: dict[str, str | None]) -> dict[str, Location]:
    """tool name -> where it is defined, for the tools that could be found under `root`.

    `tools` maps each name to its description (or None). A file that holds the name as a quoted
    literal is a candidate; one that also holds the description's first 40 characters wins.
    """
    if not tools:
        return {}
    names = sorted(tools, key=len, reverse=True)
    literal = re.compile("[\"'`](" + "|".join(re.escape(n) for n in names) + ")[\"'`]")
    best: dict[str, tuple[int, Location]] = {}
    for path in _candidate_files(root):
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        seen: set[str] = set()
        for match in literal.finditer(text):
            name = match.group(1)
            if name in seen:
                continue
            seen.add(name)
            description = (tools.get(name) or "").strip()
            strength = 2 if description and description[:40] in text else 1
            if path.suffix.lower() in (".json", ".yaml", ".yml", ".toml"):
                strength -= 0.5  # prefer the code that defines a tool over a saved copy of it
            if strength > best.get(name, (0, None))[0]:
                line = text.count("\n", 0, match.start()) + 1
                best[name] = (strength, Location(path.relative_to(root).as_posix(), line))
    return {name: location for name, (_, location) in best.items()}


def line_of(path: Path, needle: str) -> int:
    """The first line of a file holding `needle` (1 when it is not there or unreadable)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1
