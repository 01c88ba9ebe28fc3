"""The JSON files toolgrade writes for itself and reads back later (lock file, baseline).

Both are versioned documents that a user creates with one command and that later runs read;
a missing, unreadable or foreign file is one line saying which command recreates it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolgrade.errors import UsageError


def write_document(document: dict[str, Any], path: Path) -> None:
    """Indented, keys sorted (stable diffs when the file is committed)."""
    try:
        path.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def read_document(path: Path, kind: str, version_key: str, version: int, command: str) -> dict[str, Any]:
    """Read a document of this kind and version, with a `tools` object, or raise UsageError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no {kind} {path}; create it with `{command}` first") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {kind} {path}: {exc}; recreate it with `{command}`") from None
    if not isinstance(data, dict) or data.get(version_key) != version or not isinstance(data.get("tools"), dict):
        raise UsageError(f"{path} is not a toolgrade {kind} (version {version}); recreate it with `{command}`")
    return data
