"""Where the project's data lives: `rubrics/`, `fixtures/`, `schemas/`.

In a source checkout (and an editable install) they sit beside the package; a built wheel
carries them inside it under `toolgrade/_data/`. Callers never care which.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

#: libyaml's loader when present (about 10x faster), else the pure-Python one; both are safe.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` (rubrics, fixtures, schemas), wherever this install keeps it."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"toolgrade's {name}/ folder is missing from this install; reinstall toolgrade")


def load_yaml(text: str) -> Any:
    """Parse YAML with a safe loader (no tags, no code)."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - the loader is a SafeLoader


def schema_path(name: str) -> Path:
    return data_dir("schemas") / name
