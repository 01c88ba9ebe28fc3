"""Project settings: `[tool.toolgrade]` in pyproject.toml, or a toolgrade.toml.

One file says what a repository's CI wants (target, rubric, gates, rule selection, per-tool
exceptions, baseline, reports, contract run), so `toolgrade lint` and `pytest --toolgrade` need
no flags. The format is `schemas/config.schema.json`; a mistake is reported with the file, the
key and, when it can be found, the line (`pyproject.toml:41: tool.toolgrade.gates.min_tool_score:
'high' is not of type 'number'`). Flags given on the command line override the file.

Discovery starts in the working directory and walks up to the repository root (the first folder
with `.git`): in each folder `toolgrade.toml` wins over a pyproject.toml that has the section.
Relative paths in the file are relative to the file's folder, so CI can run from anywhere.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgrade.errors import UsageError
from toolgrade.resources import schema_validator

REPORT_FORMATS = ("text", "json", "junit", "sarif", "markdown", "html")


@dataclass(frozen=True)
class Ignore:
    """A per-tool exception: these codes (or, without codes, every gate) do not count for `tool`."""

    tool: str
    reason: str
    codes: tuple[str, ...] = ()
    expires: dt.date | None = None

    def matches_tool(self, name: str) -> bool:
        return fnmatch.fnmatchcase(name, self.tool)

    def covers(self, name: str, code: str | None) -> bool:
        """Does it exempt this tool from this code (None: from the score gates)?"""
        if not self.matches_tool(name):
            return False
        if not self.codes:
            return True
        return code is not None and any(code.startswith(c) for c in self.codes)

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def describe(self) -> str:
        codes = ",".join(self.codes) if self.codes else "all gates"
        until = f" until {self.expires.isoformat()}" if self.expires else ""
        return f"{self.tool} ({codes}){until}: {self.reason}"


@dataclass(frozen=True)
class Gates:
    min_tool_score: float | None = None
    min_tool_tier: str | None = None
    min_dimension_score: int | None = None
    min_server_score: float | None = None
    min_server_tier: str | None = None
    fail_on: tuple[str, ...] = ()
    new_findings: tuple[str, ...] = ("error", "warning")
    contract: bool = True


@dataclass(frozen=True)
class Settings:
    """Everything the file said, resolved to absolute paths; empty when there is no file."""

    source: Path | None = None
    target: dict[str, Any] = field(default_factory=dict)
    rubric: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    ignores: tuple[Ignore, ...] = ()
    gates: Gates = Gates()
    baseline: str | None = None
    reports: dict[str, str] = field(default_factory=dict)
    summary: bool = True
    contract: dict[str, Any] = field(default_factory=dict)

    @property
    def timeout(self) -> float:
        """Seconds for connecting and for each request (target.timeout, default 30)."""
        return float(self.target.get("timeout", 30.0))

    @property
    def api(self) -> str:
        """The upstream API the contract run mocks (contract.api, default portkey)."""
        return self.contract.get("api", "portkey")

    def contract_on(self, flag: bool | None = None) -> bool:
        """Whether a check runs the contract tests: the flag when given, else contract.enabled."""
        return bool(self.contract.get("enabled", False)) if flag is None else flag

    def code_enabled(self, code: str) -> bool:
        """select/ignore by code or prefix: ignore wins; an empty select selects all."""
        if any(code.startswith(prefix) for prefix in self.ignore):
            return False
        return not self.select or any(code.startswith(prefix) for prefix in self.select)

    def exempt(self, tool: str, code: str | None) -> Ignore | None:
        """The unexpired per-tool exception covering this tool and code, if any."""
        today = dt.date.today()
        return next((i for i in self.ignores if i.covers(tool, code) and not i.expired(today)), None)

    def expired_ignores(self, today: dt.date | None = None) -> list[Ignore]:
        today = today or dt.date.today()
        return [i for i in self.ignores if i.expired(today)]


def _discover(start: Path | None) -> tuple[Path, str, str] | None:
    """The settings file that applies in `start` (default: the working directory): its path,
    the dotted prefix of its table, and its text (read once), or None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / "toolgrade.toml"
        if own.is_file():
            return own, "", _read(own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            text = _read(pyproject)
            if re.search(r"^\s*\[+\s*tool\.toolgrade\b", text, re.MULTILINE):
                return pyproject, "tool.toolgrade", text
        if (folder / ".git").exists():
            break
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read settings {path}: {exc}") from None


def load_settings(path: str | Path | None = None, *, discover: bool = True, start: Path | None = None) -> Settings:
    """Read and validate the settings: an explicit path, else (with `discover`) the file found
    from `start` (default: the working directory) up to the repository root, else none."""
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise UsageError(f"--settings {path}: no such file")
        prefix = "tool.toolgrade" if file.name == "pyproject.toml" else ""
        text = _read(file)
    else:
        found = _discover(start) if discover else None
        if found is None:
            return Settings()
        file, prefix, text = found
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{file}: not valid TOML ({exc}); fix the file or pass --no-settings") from None
    for part in filter(None, prefix.split(".")):
        data = data.get(part, {}) if isinstance(data, dict) else {}
    data = _jsonable(data)
    error = next(iter(sorted(schema_validator("config.schema.json", formats=True).iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        path = [str(p) for p in error.absolute_path]
        message = error.message
        if error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            unknown = sorted(set(error.instance) - set(known))
            path.append(unknown[0])
            message = f"unknown key; the keys here are {', '.join(known)}"
        elif error.validator == "oneOf" and "command" in path:
            message = "must be a string or a list of strings"
        dotted = ".".join(filter(None, [prefix, *path])) or "(top level)"
        line = _line_of(text, [p for p in path if not p.isdigit()])
        where = f"{file}:{line}" if line else str(file)
        raise UsageError(f"{where}: {dotted}: {message} (format: schemas/config.schema.json)")
    return _settings(data, file)


def _jsonable(value: Any) -> Any:
    """TOML dates and times as ISO strings, so the JSON Schema can check them."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _line_of(text: str, keys: list[str]) -> int | None:
    """The line where the innermost key is set (best effort: the first `key =` after its table)."""
    if not keys:
        return None
    last = keys[-1]
    pattern = re.compile(rf"^\s*(\"?{re.escape(last)}\"?\s*=|\[+\s*[\w.]*\b{re.escape(last)}\s*\]+)")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.search(line):
            return number
    return None


def _settings(data: dict[str, Any], file: Path) -> Settings:
    base = file.parent

    def path(value: str | None) -> str | None:
        return None if value is None else str((base / os.path.expandvars(value)).resolve())

    target = dict(data.get("target", {}))
    if isinstance(target.get("command"), str):
        target["command"] = shlex.split(target["command"])
    for key in ("file", "config"):
        if key in target:
            target[key] = path(target[key])
    named = [k for k in ("command", "url", "file", "config") if k in target]
    if len(named) > 1:
        raise UsageError(f"{file}: target: give one of command, url, file or config, not {' and '.join(named)}")
    if "server" in target and "config" not in target:
        raise UsageError(f"{file}: target.server goes with target.config (an mcpServers file)")
    ignores = tuple(Ignore(tool=i["tool"], reason=i["reason"], codes=tuple(i.get("codes", ())),
                           expires=dt.date.fromisoformat(i["expires"]) if "expires" in i else None)
                    for i in data.get("ignores", []))
    gates = data.get("gates", {})
    contract = dict(data.get("contract", {}))
    if "scenarios" in contract:
        contract["scenarios"] = path(contract["scenarios"])
    return Settings(
        source=file,
        target=target,
        rubric=path(data.get("rubric")),
        select=tuple(data.get("select", ())),
        ignore=tuple(data.get("ignore", ())),
        ignores=ignores,
        gates=Gates(
            min_tool_score=gates.get("min_tool_score"),
            min_tool_tier=gates.get("min_tool_tier"),
            min_dimension_score=gates.get("min_dimension_score"),
            min_server_score=gates.get("min_server_score"),
            min_server_tier=gates.get("min_server_tier"),
            fail_on=tuple(gates.get("fail_on", ())),
            new_findings=tuple(gates.get("new_findings", ("error", "warning"))),
            contract=gates.get("contract", True),
        ),
        baseline=path(data.get("baseline")),
        reports={fmt: path(p) for fmt, p in data.get("reports", {}).items()},
        summary=data.get("summary", True),
        contract=contract,
    )
