"""Give a tool ids of objects that exist in the mock, learnt from where its arguments went.

The first call of a tool uses marker strings (`tg-<arg>`) for free-text arguments. If a marker
shows up as a path parameter of a documented endpoint, the description says which resource that
parameter names; if it shows up in a body or query field named `<resource>_id`, the name says
it. For each such argument a fresh object is created in the mock's store (so one tool's delete
never starves the next tool) and its id or slug replaces the marker for the real call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolgrade.contract.apidesc import Api
from toolgrade.contract.args import is_sentinel
from toolgrade.contract.mock import MockApi, RecordedRequest


@dataclass(frozen=True)
class Placement:
    """Where an argument's marker landed: a path parameter of an endpoint, or a named reference."""

    argument: str
    resource: str | None
    param: str | None = None
    endpoint: str | None = None
    order: int = 0


def placements(args: dict[str, Any], requests: list[RecordedRequest], api: Api) -> list[Placement]:
    """For each marker argument, where the server put it (path first, then references by name)."""
    endpoints = api.by_key
    found: dict[str, Placement] = {}
    for name, value in args.items():
        if not is_sentinel(value):
            continue
        for request in requests:
            endpoint = endpoints.get(request.endpoint or "")
            if endpoint is None:
                continue
            resources = dict(endpoint.param_resources)
            for order, (param, got) in enumerate(request.path_params.items()):
                if got == value:
                    found[name] = Placement(name, resources.get(param), param, endpoint.key, order)
            if name not in found and value in request.body + " ".join(v for _, v in request.query):
                resource = resource_for_argument(name, api)
                if resource:
                    found[name] = Placement(name, resource, order=99)
    return sorted(found.values(), key=lambda p: p.order)


def resource_for_argument(name: str, api: Api) -> str | None:
    """`workspace_id` -> workspace, `mcp_integration_id` -> mcp_integration; None if no such resource."""
    stem = name[:-3] if name.endswith("_id") else name[:-2] if name.endswith("Id") else None
    if stem and stem in api.resources and api.resources[stem].parent is None:
        return stem
    return None


def provide(placed: list[Placement], args: dict[str, Any], mock: MockApi) -> dict[str, Any]:
    """Arguments with markers replaced by ids of fresh objects created in the mock's store."""
    api = mock.api
    fresh = dict(args)
    made: dict[str, dict[str, Any]] = {}  # resource -> record created for this call
    with mock.state() as store:
        for place in placed:
            resource = place.resource
            if resource is None:
                continue
            if resource.endswith("#version"):
                owner = resource.split("#")[0]
                record = made.get(owner)
                history = store.history(owner, record) if record else []
                if history:
                    fresh[place.argument] = history[-1]["id"]
                continue
            res = api.resources[resource]
            if res.key_from:
                parent = made.get(res.parent or "") or store.create(res.parent or "", {})
                user = store.create(res.key_from, {})
                member = store.add_member(parent["id"], user, "member")
                made[resource] = member
                fresh[place.argument] = member["id"]
                continue
            parent_id = made[res.parent]["id"] if res.parent and res.parent in made else None
            record = store.create(resource, {}, parent_id)
            made[resource] = record
            fresh[place.argument] = res.address(record)
    return fresh
