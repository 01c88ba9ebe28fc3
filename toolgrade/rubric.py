"""Loading a rubric: YAML data, validated by a JSON Schema, compiled for fast matching.

The scorer reads every weight, threshold and word list from here, so a team can reweight
or extend the vocabulary without touching code (`--rubric FILE`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from toolgrade.errors import RubricError
from toolgrade.resources import data_dir, schema_path

DIMENSIONS = ("purpose", "usage_guidelines", "behavior", "parameters", "conciseness", "completeness")


@dataclass(frozen=True)
class Phrases:
    """A word list compiled into one case-insensitive regex; `find` returns the phrases present."""

    words: tuple[str, ...]
    pattern: re.Pattern[str] = field(repr=False)

    @classmethod
    def build(cls, words: list[str]) -> Phrases:
        parts = []
        for word in sorted(set(words), key=len, reverse=True):
            escaped = re.escape(word.strip())
            start = r"\b" if word[:1].isalnum() else ""
            end = r"\b" if word.strip()[-1:].isalnum() else ""
            parts.append(start + escaped + end)
        return cls(tuple(words), re.compile("|".join(parts), re.IGNORECASE))

    def find(self, text: str) -> list[str]:
        seen: dict[str, None] = {}
        for match in self.pattern.finditer(text):
            seen.setdefault(match.group(0).lower(), None)
        return list(seen)

    def first(self, text: str) -> str | None:
        match = self.pattern.search(text)
        return match.group(0) if match else None


@dataclass(frozen=True)
class Rubric:
    name: str
    version: str
    weights: Mapping[str, float]
    titles: Mapping[str, str]
    tiers: tuple[tuple[str, float], ...]
    passing_tier: str
    smell_below: float
    server: Mapping[str, Any]
    thresholds: Mapping[str, Any]
    words: Mapping[str, frozenset[str]]
    phrases: Mapping[str, Phrases]
    source: str

    def tier(self, score: float) -> str:
        for tier, minimum in self.tiers:
            if score >= minimum:
                return tier
        return self.tiers[-1][0]

    def passing_min(self) -> float:
        return dict(self.tiers)[self.passing_tier]


def _validate(data: Any, source: str) -> None:
    schema = json.loads(schema_path("rubric.schema.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise RubricError(f"{source}: rubric key {where}: {error.message}")
    total = sum(d["weight"] for d in data["dimensions"].values())
    if abs(total - 1.0) > 1e-6:
        raise RubricError(f"{source}: the six dimension weights add up to {total:g}, not 1")
    if data["passing_tier"] not in {t["tier"] for t in data["tiers"]}:
        raise RubricError(f"{source}: passing_tier {data['passing_tier']!r} is not one of the tiers")


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Load and validate a rubric; the default is rubrics/tdqs.yaml."""
    return _load(str(path) if path is not None else str(data_dir("rubrics") / "tdqs.yaml"))


@lru_cache(maxsize=8)
def _load(source: str) -> Rubric:
    try:
        data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RubricError(f"{source}: no such rubric file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(f"{source}: cannot read it ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise RubricError(f"{source} is not valid YAML{where}") from None
    _validate(data, source)
    lexicon = data["lexicon"]
    tiers = tuple(sorted(((t["tier"], float(t["min"])) for t in data["tiers"]), key=lambda t: -t[1]))
    return Rubric(
        name=data["name"],
        version=str(data["version"]),
        weights={k: float(v["weight"]) for k, v in data["dimensions"].items()},
        titles={k: v["title"] for k, v in data["dimensions"].items()},
        tiers=tiers,
        passing_tier=data["passing_tier"],
        smell_below=float(data["smell_below"]),
        server=data["server"],
        thresholds=data["thresholds"],
        words={k: frozenset(w.lower() for w in v) for k, v in lexicon.items()},
        phrases={k: Phrases.build(v) for k, v in lexicon.items()},
        source=source,
    )
