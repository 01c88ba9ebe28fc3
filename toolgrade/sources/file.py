"""A saved `tools/list` result: `{"tools": [...]}` (optionally with `serverInfo`), or a bare list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolgrade.errors import TargetError
from toolgrade.model import Catalog, ServerInfo, catalog_from_tools_json


def read_json(path: str, what: str) -> Any:
    """Read a JSON file, or raise TargetError saying what is wrong with it (`what` names the file's role)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TargetError(f"{path}: no such file; give the path of {what}") from None
    except IsADirectoryError:
        raise TargetError(f"{path} is a directory; give the path of {what}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetError(f"{path}: cannot read it ({exc.__class__.__name__}: {exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TargetError(f"{path} is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                          f"it should be {what}") from None


def load_file(path: str) -> Catalog:
    file = Path(path)
    data = read_json(path, "a saved tools/list JSON file")
    server = ServerInfo(name=file.stem)
    if isinstance(data, dict):
        if "tools" not in data:
            raise TargetError(f"{path}: a JSON object without a 'tools' key; expected {{\"tools\": [...]}} or a list of tools")
        info = data.get("serverInfo")
        if isinstance(info, dict):
            server = ServerInfo(name=str(info.get("name") or file.stem), version=str(info.get("version") or ""),
                                title=info.get("title") if isinstance(info.get("title"), str) else None)
        tools = data["tools"]
    elif isinstance(data, list):
        tools = data
    else:
        raise TargetError(f"{path}: expected {{\"tools\": [...]}} or a list of tools, found a JSON {type(data).__name__}")
    return catalog_from_tools_json(tools, target=path, server=server)
