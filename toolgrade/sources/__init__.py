"""Ways of getting a Catalog. Each knows nothing of scoring; all return the same Catalog."""

from __future__ import annotations

from toolgrade.model import Catalog
from toolgrade.sources.config import target_from_config
from toolgrade.sources.target import Target, mask_secrets

__all__ = ["Target", "load_catalog", "mask_secrets", "target_from_config"]


def load_catalog(target: Target, timeout: float = 30.0) -> Catalog:
    """Read every tool of the target: a saved file, or a live server over stdio, HTTP or SSE."""
    if target.kind == "file":
        from toolgrade.sources.file import load_file

        return load_file(target.path or "")
    from toolgrade.sources.live import fetch_catalog

    return fetch_catalog(target, timeout=timeout)
