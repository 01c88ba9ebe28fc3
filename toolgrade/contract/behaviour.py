"""What the mock answers to a valid, authenticated request: the API's semantics over the Store.

Generic by action (list, create, get, update, delete, item actions, fixed replies), with a
few named effects the description asks for (adding workspace members, rotating a key). Reply
templates from the description are rendered here: `id`, `slug`, `version`, `secret` stand for
values of the record at hand, type expressions for a generated value, anything else is literal.
"""

from __future__ import annotations

import json
from typing import Any

from toolgrade.contract.apidesc import RECORD_TOKENS, Api, Endpoint, Resource, is_type_expr
from toolgrade.contract.store import FIXED_TIME, Store, default_value, mask

DEFAULT_PAGE_SIZE = 50


class ApiError(Exception):
    """An error answer: HTTP status, message, and the API's error code (from the status if None)."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


class Behaviour:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.store = Store(api)

    def respond(self, endpoint: Endpoint, params: dict[str, str], query: dict[str, str], body: Any) -> Any:
        if endpoint.resource is None:
            return self._render(endpoint.reply, None, None, endpoint, query)
        res = self.api.resources[endpoint.resource]
        parent_id = self._parent_id(res, params)
        if endpoint.action == "list":
            return self._list(res, parent_id, endpoint, query)
        if endpoint.action == "create":
            return self._create(res, parent_id, endpoint, params, body or {}, query)
        record = self._find(res, params.get(res.param, ""), parent_id)
        if endpoint.action == "get":
            return self._render(endpoint.reply, res, record, endpoint, query)
        if endpoint.action == "update":
            self.store.update(res.name, record, body or {})
            return self._render(endpoint.reply, res, record, endpoint, query)
        if endpoint.action == "delete":
            self.store.delete(res.name, record, parent_id)
            return self._render(endpoint.reply, res, record, endpoint, query)
        return self._action(res, record, endpoint, params, body or {}, query)

    # -- actions --------------------------------------------------------------------------------
    def _parent_id(self, res: Resource, params: dict[str, str]) -> str | None:
        if res.parent is None:
            return None
        parent = self.api.resources[res.parent]
        return self._find(parent, params.get(parent.param, ""), None)["id"]

    def _find(self, res: Resource, ref: str, parent_id: str | None) -> dict[str, Any]:
        record = self.store.find(res.name, ref, parent_id)
        if record is None:
            raise ApiError(404, f"{res.object} '{ref}' not found")
        return record

    def _list(self, res: Resource, parent_id: str | None, endpoint: Endpoint, query: dict[str, str]) -> Any:
        records = [r for r in self.store.all(res.name, parent_id) if _matches(r, query, endpoint.query)]
        page, size = self._page(endpoint, query)
        window = [self._present(res, r) for r in records[page * size:(page + 1) * size]]
        if res.list_shape == "mappings":
            return {"mappings": window, "total_count": len(records)}
        reply: dict[str, Any] = {"object": "list", "total": len(records), "data": window}
        if res.list_shape == "has_more":
            reply["has_more"] = (page + 1) * size < len(records)
        return reply

    def _page(self, endpoint: Endpoint, query: dict[str, str]) -> tuple[int, int]:
        """Zero-based page and page size, from whichever names this endpoint uses."""
        page, size = 0, DEFAULT_PAGE_SIZE
        for names in self.api.paging.values():
            page_name, size_name = names
            if page_name in endpoint.query and query.get(page_name, "").isdigit():
                page = int(query[page_name])
            if size_name in endpoint.query and query.get(size_name, "").isdigit():
                size = max(1, int(query[size_name]))
        return page, size

    def _create(self, res: Resource, parent_id: str | None, endpoint: Endpoint, params: dict[str, str],
                body: dict[str, Any], query: dict[str, str]) -> Any:
        if endpoint.effect == "add_members":
            return self._add_members(parent_id or "", body)
        if res.unique and body.get(res.unique) is not None:
            taken = [r for r in self.store.all(res.name, parent_id) if r.get(res.unique) == body[res.unique]]
            if taken:
                raise ApiError(409, f"{res.object} with {res.unique} '{body[res.unique]}' already exists")
        for name, allowed in endpoint.path_values:
            if params.get(name) not in allowed:
                raise ApiError(400, f"'{params.get(name)}' is not a valid {name}; use one of {', '.join(allowed)}")
        values = dict(body)
        for field, template in endpoint.fill_from_path:
            values[field] = template.format_map(params)
        record = self.store.create(res.name, values, parent_id)
        return self._render(endpoint.reply, res, record, endpoint, query, raw_secret=True)

    def _add_members(self, workspace_id: str, body: dict[str, Any]) -> Any:
        for entry in body.get("users", []):
            user_id = entry.get("id") if isinstance(entry, dict) else None
            user = self.store.find("user", str(user_id or ""))
            if user is None:
                raise ApiError(404, f"user '{user_id}' not found")
            if self.store.find("workspace_member", user["id"], workspace_id) is not None:
                raise ApiError(409, f"user '{user_id}' is already a member of this workspace")
            self.store.add_member(workspace_id, user, entry.get("role") or "member")
        return {}

    def _action(self, res: Resource, record: dict[str, Any], endpoint: Endpoint, params: dict[str, str],
                body: dict[str, Any], query: dict[str, str]) -> Any:
        if "versionId" in params:
            versions = self.store.history(res.name, record)
            if not any(v["id"] == params["versionId"] for v in versions):
                raise ApiError(404, f"version '{params['versionId']}' not found")
        for field, wanted in endpoint.require:
            if record.get(field) != wanted:
                raise ApiError(409, f"{res.object} '{record['id']}' has {field} {record.get(field)!r}; "
                                    f"this needs {field} {wanted!r}")
        if endpoint.effect == "rotate":
            self.store.rotate(record)
            return self._render(endpoint.reply, res, record, endpoint, query, raw_secret=True)
        if endpoint.effect == "known_version":
            number = body.get("version")
            if not any(v["number"] == number for v in self.store.history(res.name, record)):
                raise ApiError(404, f"version {number} of {res.object} '{record['id']}' not found")
        return self._render(endpoint.reply, res, record, endpoint, query)

    # -- rendering ------------------------------------------------------------------------------
    def _present(self, res: Resource, record: dict[str, Any], wrap: bool = False) -> dict[str, Any]:
        shown = dict(record)
        if res.secret and res.secret in shown:
            secret = self.store.secrets.get(record["id"], str(shown[res.secret]))
            for field in (res.secret, "masked_api_key", "masked_key"):
                if field in shown:
                    shown[field] = mask(secret)
        if wrap and res.wrap_get:  # flat (live) and wrapped with JSON text parsed (spec) at once
            return {**shown, "success": True, "data": {k: _json_object(v) for k, v in shown.items()}}
        return shown

    def _render(self, template: Any, res: Resource | None, record: dict[str, Any] | None, endpoint: Endpoint,
                query: dict[str, str], raw_secret: bool = False) -> Any:
        if template == "record":
            assert res is not None and record is not None
            return self._present(res, record, wrap=endpoint.action == "get")
        if template == "versions":
            assert res is not None and record is not None
            items = [self._version(res, record, v) for v in self.store.history(res.name, record)]
            return {"object": "list", "total": len(items), "data": items}
        if template == "version":
            assert res is not None and record is not None
            return {**self._present(res, record), "prompt_version_id": record.get("prompt_version_id")}
        if isinstance(template, dict) and set(template) == {"graph"}:
            return {"object": "analytics-graph", "summary": dict(template["graph"]), "data_points": []}
        if template == "group":
            return {"object": "list", "total": 0, "data": []}
        if template == "log":
            assert record is not None
            return {"_id": record["id"], "request": record.get("request", {}), "response": record.get("response", {}),
                    "organisation_id": record.get("organisation_id") or "org", "created_at": FIXED_TIME}
        return self._fill(template, res, record, raw_secret)

    def _fill(self, value: Any, res: Resource | None, record: dict[str, Any] | None, raw_secret: bool) -> Any:
        if isinstance(value, dict):
            return {k: self._fill(v, res, record, raw_secret) for k, v in value.items()}
        if isinstance(value, list):
            return [self._fill(v, res, record, raw_secret) for v in value]
        if isinstance(value, str) and value in RECORD_TOKENS and record is not None:
            if value == "secret":
                secret = self.store.secrets.get(record["id"], "")
                return secret if raw_secret else mask(secret)
            if value == "version":
                history = self.store.history(res.name, record) if res else []
                return history[-1]["id"] if history else record["id"]
            return record.get(value) or record["id"]
        if is_type_expr(value):
            return default_value(value, "value", res.name if res else "api")
        return value

    def _version(self, res: Resource, record: dict[str, Any], version: dict[str, Any]) -> dict[str, Any]:
        """One entry of a version history: the version's number and id, and the text it holds."""
        text = str(record.get("string") or record.get("config") or "")
        return {"id": version["id"], f"{res.name}_id": record["id"], f"{res.name}_version_id": version["id"],
                "version": version["number"], "prompt_version": version["number"], "slug": record.get("slug", ""),
                "string": text, "prompt_template": {"string": text}, "description": "", "prompt_description": "",
                "created_at": FIXED_TIME, "status": "active", "prompt_version_status": "active",
                "object": res.object}


def _json_object(value: Any) -> Any:
    """A JSON object written as text (how the live API sends a config), as the object itself."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _matches(record: dict[str, Any], query: dict[str, str], documented: tuple[str, ...]) -> bool:
    """Filter a list by the documented query parameters that name a field of the record."""
    for name, value in query.items():
        if name in documented and value and name in record and isinstance(record[name], str | int):
            if str(record[name]) != value:
                return False
    return True
