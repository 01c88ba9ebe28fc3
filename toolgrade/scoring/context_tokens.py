"""Splitting tool names into words (shared by scorers, the sibling index and coherence)."""

from __future__ import annotations

import re

_NAME_SPLIT = re.compile(r"[_\-.\s/:]+|(?<=[a-z0-9])(?=[A-Z])")


def name_tokens(name: str) -> list[str]:
    """'listAllUsers' / 'list_all_users' / 'list-all.users' -> ['list', 'all', 'users']."""
    return [t.lower() for t in _NAME_SPLIT.split(name) if t]
