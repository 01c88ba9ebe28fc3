"""The mock's state: records of each resource, their versions, deterministic ids and values.

Everything is deterministic (ids from a counter hashed with the resource name, one fixed
timestamp), so two runs of the same contract produce the same requests and the same report,
and an idempotent tool called twice leaves a byte-identical snapshot.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
import uuid
from typing import Any

import jsonschema

from toolgrade.contract.apidesc import Api, Resource, is_type_expr, type_schema

#: Every timestamp the mock hands out (ISO 8601 UTC with milliseconds, as the API does).
FIXED_TIME = "2026-05-19T17:08:55.000Z"
ORGANISATION_ID = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f"


def deterministic_uuid(*parts: object) -> str:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def mask(secret: str) -> str:
    """How the API shows a key outside create and rotate: `ab*****xyz`."""
    return f"{secret[:2]}*****{secret[-3:]}" if len(secret) > 5 else "*****"


def default_value(expr: str, field: str, owner: str) -> Any:
    """A value valid for a type expression; nullable types get a real value (it satisfies both)."""
    schema = type_schema(expr.rstrip("?"))
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    fmt = schema.get("format")
    if kind == "array":
        return []
    if kind == "object" or not schema:
        return {}
    if kind == "integer":
        return 0
    if kind == "number":
        return 0
    if kind == "boolean":
        return False
    if fmt == "uuid":
        return ORGANISATION_ID if field == "organisation_id" else deterministic_uuid(owner, field)
    if fmt == "email":
        return "someone@example.com"
    if fmt == "date-time":
        return FIXED_TIME
    if fmt == "uri":
        return f"https://example.com/{owner}/{field}"
    return f"{field.replace('_', ' ')} of {owner}"


def _slug_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "item"


class Store:
    """Records per resource (nested ones keyed by their parent's id), with versions and secrets."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.records: dict[str, dict[str, dict[str, Any]]] = {}
        self.versions: dict[str, list[dict[str, Any]]] = {}
        self.secrets: dict[str, str] = {}
        self._counter = 0
        self.reset()

    # -- lifecycle -------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the seed data (what a fresh mock serves)."""
        self.records = {name: {} for name in self.api.resources}
        self.versions = {}
        self.secrets = {}
        self._counter = 0
        for resource in self.api.resources.values():
            if resource.parent is None:
                for values in resource.seed:
                    self.create(resource.name, dict(values))
        self._seed_members()

    def _seed_members(self) -> None:
        """The seed workspace starts with the owner as its admin, so membership flows have data."""
        members = self.api.resources.get("workspace_member")
        workspaces = self.all("workspace")
        users = self.all("user")
        if members is None or not workspaces or not users:
            return
        self.add_member(workspaces[0]["id"], users[0], "admin")

    def snapshot(self) -> str:
        """The whole state as canonical JSON: equal snapshots mean equal state."""
        return json.dumps({"records": self.records, "versions": self.versions}, sort_keys=True, default=str)

    # -- records ----------------------------------------------------------------------------------
    def next_id(self, resource: str) -> str:
        self._counter += 1
        return deterministic_uuid(self.api.name, resource, self._counter)

    def create(self, resource: str, values: dict[str, Any], parent_id: str | None = None) -> dict[str, Any]:
        res = self.api.resources[resource]
        record_id = self.next_id(resource)
        record = self._record(res, record_id, values)
        if parent_id is not None:
            record.setdefault("workspace_id", parent_id)
        if res.secret:
            raw = values.get(res.secret) or f"pk-mock-{record_id.replace('-', '')[:24]}"
            self.secrets[record_id] = str(raw)
            record[res.secret] = str(raw)
        self.records[resource][self._key(record_id, parent_id)] = record
        if res.versioned:
            self.add_version(resource, record)
        return record

    def _record(self, res: Resource, record_id: str, values: dict[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {"id": record_id, "object": res.object}
        for field, expr in res.fields.items():
            record[field] = default_value(expr, field, res.name)
        for field, value in [*res.defaults.items(), *values.items()]:
            stored = _storable(res, field, value)
            if stored is not _SKIP:
                record[field] = stored
        if "name" in res.fields and "name" not in values:
            record["name"] = f"{res.name.replace('_', ' ')} {self._counter}"
        if res.slug_prefix:
            given = values.get("slug")
            word = _slug_word(record.get("name", res.name))[:6]
            record["slug"] = given if isinstance(given, str) and given else f"{res.slug_prefix}{word}-{record_id[-6:]}"
        if "organisation_id" in record:
            record["organisation_id"] = ORGANISATION_ID
        return record

    @staticmethod
    def _key(record_id: str, parent_id: str | None) -> str:
        return f"{parent_id}/{record_id}" if parent_id else record_id

    def all(self, resource: str, parent_id: str | None = None) -> list[dict[str, Any]]:
        if parent_id is None:
            return list(self.records[resource].values())
        prefix = f"{parent_id}/"
        return [r for k, r in self.records[resource].items() if k.startswith(prefix)]

    def find(self, resource: str, ref: str, parent_id: str | None = None) -> dict[str, Any] | None:
        """A record by id, or by slug where the resource has one (paths accept both)."""
        direct = self.records[resource].get(self._key(ref, parent_id))
        if direct is not None:
            return direct
        for record in self.all(resource, parent_id):
            if record.get("slug") == ref:
                return record
        return None

    def delete(self, resource: str, record: dict[str, Any], parent_id: str | None = None) -> None:
        self.records[resource].pop(self._key(record["id"], parent_id), None)
        self.versions.pop(f"{resource}/{record['id']}", None)
        for child in self.api.resources.values():
            if child.parent == resource:
                prefix = f"{record['id']}/"
                for key in [k for k in self.records[child.name] if k.startswith(prefix)]:
                    del self.records[child.name][key]

    def update(self, resource: str, record: dict[str, Any], values: dict[str, Any]) -> None:
        res = self.api.resources[resource]
        for field, value in values.items():
            stored = _storable(res, field, value)
            if stored is not _SKIP and field not in ("slug", "id"):
                record[field] = stored
        if res.versioned:
            self.add_version(resource, record)

    # -- versions and secrets ---------------------------------------------------------------------
    def add_version(self, resource: str, record: dict[str, Any]) -> dict[str, Any]:
        history = self.versions.setdefault(f"{resource}/{record['id']}", [])
        version = {"id": self.next_id(f"{resource}-version"), "number": len(history) + 1}
        history.append(version)
        for field, value in (("version_id", version["id"]), ("prompt_version", version["number"]),
                             ("prompt_version_id", version["id"]),
                             ("version", version["number"]), ("prompt_partial_version_id", version["id"])):
            if field in self.api.resources[resource].fields:
                record[field] = value
        return version

    def history(self, resource: str, record: dict[str, Any]) -> list[dict[str, Any]]:
        return self.versions.get(f"{resource}/{record['id']}", [])

    def rotate(self, record: dict[str, Any]) -> str:
        fresh = f"pk-mock-{self.next_id('rotation').replace('-', '')[:24]}"
        self.secrets[record["id"]] = fresh
        return fresh

    def add_member(self, workspace_id: str, user: dict[str, Any], role: str) -> dict[str, Any]:
        member = self._record(self.api.resources["workspace_member"], user["id"], {
            "first_name": user.get("first_name"), "last_name": user.get("last_name"), "email": user.get("email"),
            "org_role": user.get("role"), "role": role, "workspace_id": workspace_id,
        })
        self.records["workspace_member"][self._key(user["id"], workspace_id)] = member
        return member


_SKIP = object()


def _storable(res: Resource, field: str, value: Any) -> Any:
    """The value to keep for a field, or _SKIP: unknown fields and values of the wrong type are
    dropped (records keep satisfying the reply schema); an object sent for a text field (a
    config) is kept as JSON text, as the live API does."""
    expr = res.fields.get(field)
    if expr is None:
        return _SKIP
    if isinstance(value, dict) and expr.rstrip("?") == "str":
        return json.dumps(value, sort_keys=True)
    return copy.deepcopy(value) if _fits(expr, value) else _SKIP


def _fits(expr: str, value: Any) -> bool:
    """Only values of the field's type are stored, so records keep satisfying the reply schema."""
    return _validator(expr).is_valid(value) if is_type_expr(expr) else True


@functools.cache
def _validator(expr: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(type_schema(expr))
