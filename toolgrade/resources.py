"""Where the project's data lives: `rubrics/`, `fixtures/`, `schemas/`.

In a source checkout (and an editable install) they sit beside the package; a built wheel
carries them inside it under `toolgrade/_data/`. Callers never care which.
"""

from __future__ import annotations

from functools import cache
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


@cache
def schema_validator(name: str, formats: bool = False) -> Any:
    """A JSON Schema (2020-12) validator for one of our bundled schemas, built once per process.
    jsonschema is imported here: it is slow to import, and most runs validate nothing."""
    import json

    import jsonschema

    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER if formats else None
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def schema_error(validator: Any, instance: Any, top: str) -> tuple[str, str, list[Any]] | None:
    """The most relevant error of `instance` under `validator` as (where, message, path), where
    `where` is the slash-joined path or `top` for the instance itself; None when it is valid."""
    import jsonschema

    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is None:
        return None
    path = list(error.absolute_path)
    return "/".join(str(p) for p in path) or top, error.message, path
