"""A mock of an upstream HTTP API (Portkey's Admin API first), served for real on loopback.

`MockApi` is the ASGI application: it matches each request to a documented endpoint of the
API description, authenticates it, validates its body, answers from the `Store`, records it,
and injects faults on demand. `MockServer` runs it under uvicorn on a background thread, so a
test, the contract runner and `toolgrade mock portkey` all use the same server.

Control endpoint (no auth; loopback only), under `/__toolgrade/`:
  GET    requests        the request log as JSON
  POST   faults          add a fault: {"route": "GET /v1/admin/users" | "*", "status": 429,
                         "latency": 0.5, "body": "malformed" | "empty", "drop": true, "times": 1}
  DELETE faults          clear all faults
  POST   reset           back to the seed data, empty log, no faults
  POST   egress          the Node preload reports a blocked request to another host here
"""

from __future__ import annotations

import asyncio
import functools
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

import jsonschema
import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from toolgrade.contract.apidesc import Api, Endpoint, load_api
from toolgrade.contract.behaviour import ApiError, Behaviour
from toolgrade.contract.store import Store
from toolgrade.resources import schema_error
from toolgrade.sources.target import MASK, mask_json

CONTROL_PREFIX = "/__toolgrade/"
#: Distinct reasons per injected status, so a check can see whether a tool passed the API's reason on.
FAULT_MESSAGES = {
    400: "Invalid request: field 'name' is not allowed here (injected by toolgrade)",
    401: "Invalid API key: the key was revoked (injected by toolgrade)",
    403: "Forbidden: this key lacks the admin scope (injected by toolgrade)",
    404: "Resource not found: it was deleted (injected by toolgrade)",
    409: "Conflict: the resource already exists (injected by toolgrade)",
    429: "Too many requests: rate limit of 60 per minute exceeded (injected by toolgrade)",
    500: "Internal server error: upstream database unavailable (injected by toolgrade)",
}


@dataclass
class Fault:
    """What to do instead of answering normally, for one route or all (`*`)."""

    route: str = "*"
    status: int | None = None
    latency: float = 0.0
    body: str | None = None  # "malformed" | "empty"
    drop: bool = False
    times: int | None = None
    message: str | None = None

    def describe(self) -> str:
        parts = [f"status {self.status}" if self.status else "", f"latency {self.latency:g}s" if self.latency else "",
                 f"{self.body} body" if self.body else "", "dropped connection" if self.drop else ""]
        return ", ".join(p for p in parts if p) or "none"


@dataclass
class RecordedRequest:
    """One request as the mock saw it, and what it answered."""

    seq: int
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: str
    endpoint: str | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    status: int = 0
    reply: Any = None
    fault: str | None = None
    egress: str | None = None

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None

    def to_dict(self, key: str | None = None) -> dict[str, Any]:
        """A JSON-ready copy with credentials masked: auth-like headers always, `key` anywhere."""
        data = asdict(self)
        data["headers"] = {k: MASK if _secret_header(k) else v for k, v in data["headers"].items()}
        return mask_json(data, [key] if key else [])


def _secret_header(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in ("key", "token", "auth", "secret", "cookie"))


class MockApi:
    """The ASGI app of one mocked API, with its state, request log and faults."""

    def __init__(self, api: Api | str = "portkey", key: str | None = None) -> None:
        self.api = load_api(api) if isinstance(api, str) else api
        self.key = key or f"pk-toolgrade-{secrets.token_hex(12)}"
        self.behaviour = Behaviour(self.api)
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()

    @property
    def store(self) -> Store:
        """The state; while a server thread serves requests, use `with mock.state()` instead."""
        return self.behaviour.store

    @contextmanager
    def state(self) -> Iterator[Store]:
        """The store, locked against the server thread (to seed objects or take a snapshot)."""
        with self._lock:
            yield self.behaviour.store

    # -- Python control API ---------------------------------------------------------------------
    def add_fault(self, route: str = "*", **kwargs: Any) -> Fault:
        fault = Fault(route=route, **kwargs)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def reset(self) -> None:
        with self._lock:
            self.faults.clear()
            self.requests.clear()
            self.behaviour.store.reset()

    def mark(self) -> int:
        """A position in the request log; `since(mark)` gives what came after it."""
        return len(self.requests)

    def since(self, mark: int) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests[mark:])

    # -- ASGI -----------------------------------------------------------------------------------
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        raw_path = scope.get("raw_path") or scope["path"].encode()
        path = "/" + "/".join(unquote(s) for s in raw_path.decode("latin-1").split("?")[0].split("/") if s)
        if path.startswith(CONTROL_PREFIX):
            response = await self._control(request, path[len(CONTROL_PREFIX):])
            await response(scope, receive, send)
            return
        body = (await request.body()).decode("utf-8", errors="replace")
        with self._lock:
            record = RecordedRequest(
                seq=len(self.requests) + 1, method=request.method, path=path,
                query=parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True),
                headers={k.lower(): v for k, v in request.headers.items()}, body=body,
            )
            self.requests.append(record)
        endpoint, params = self.api.match(request.method, path)
        record.endpoint = endpoint.key if endpoint else None
        record.path_params = params
        fault = self._take_fault(endpoint)
        if fault is not None:
            record.fault = fault.describe()
            if fault.latency:
                await asyncio.sleep(fault.latency)
            if fault.drop:
                await _drop(send)
                record.status = 0
                return
            if fault.body or fault.status:
                response = self._faulty(fault)
                record.status = response.status_code
                await response(scope, receive, send)
                return
        status, reply = self._answer(request.method, path, endpoint, params, record)
        record.status, record.reply = status, reply
        await JSONResponse(reply, status_code=status)(scope, receive, send)

    def _answer(self, method: str, path: str, endpoint: Endpoint | None, params: dict[str, str],
                record: RecordedRequest) -> tuple[int, Any]:
        try:
            if record.headers.get(self.api.auth_header) != self.key:
                raise ApiError(401, "Invalid API key" if self.api.auth_header in record.headers
                               else f"Missing {self.api.auth_header} header")
            if endpoint is None:
                raise ApiError(404, f"No route {method} {path}", code="AB02")
            payload = _parse_body(endpoint, record.body, method)
            with self._lock:
                return 200, self.behaviour.respond(endpoint, params, dict(record.query), payload)
        except ApiError as exc:
            return exc.status, self.error_body(exc.status, exc.message, exc.code)

    def error_body(self, status: int, message: str, code: str | None = None) -> dict[str, Any]:
        """The API's error shape: {"success": false, "data": {"message", "errorCode"}}."""
        return {"success": False, "data": {"message": message, "errorCode": code or self.api.error_codes.get(status, "AB04")}}

    def _take_fault(self, endpoint: Endpoint | None) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.route == "*" or (endpoint is not None and fault.route == endpoint.key):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self.faults.remove(fault)
                    return fault
        return None

    def _faulty(self, fault: Fault) -> Response:
        status = fault.status or 200
        if fault.body == "empty":
            return Response(b"", status_code=status, media_type="application/json")
        if fault.body == "malformed":
            return Response(b'{"success": true, "data": [', status_code=status, media_type="application/json")
        message = fault.message or FAULT_MESSAGES.get(status, f"Injected failure with status {status}")
        return JSONResponse(self.error_body(status, message), status_code=status)

    async def _control(self, request: Request, action: str) -> Response:
        if action == "requests" and request.method == "GET":
            with self._lock:
                return JSONResponse([r.to_dict(self.key) for r in self.requests])
        if action == "faults" and request.method == "POST":
            try:
                spec = json.loads(await request.body() or b"{}")
                fault = self.add_fault(**spec)
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": f"bad fault: {exc}"}, status_code=400)
            return JSONResponse(asdict(fault))
        if action == "faults" and request.method == "DELETE":
            self.clear_faults()
            return JSONResponse({"faults": 0})
        if action == "reset" and request.method == "POST":
            self.reset()
            return JSONResponse({"reset": True})
        if action == "egress" and request.method == "POST":
            target = (await request.body()).decode("utf-8", errors="replace")[:500]
            with self._lock:
                self.requests.append(RecordedRequest(seq=len(self.requests) + 1, method="", path="", query=[],
                                                     headers={}, body="", egress=target))
            return JSONResponse({"blocked": target})
        return JSONResponse({"error": f"unknown control action {request.method} {action}"}, status_code=404)


def _parse_body(endpoint: Endpoint, body: str, method: str) -> Any:
    if endpoint.body is None or method not in ("POST", "PUT"):
        return None
    if not body.strip():
        if endpoint.body_required:
            raise ApiError(400, "Request body is required")
        return {}
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise ApiError(400, f"Request body is not valid JSON: {exc.msg}") from None
    problem = schema_error(_body_validator(endpoint), payload, "body")
    if problem is not None:
        raise ApiError(400, f"Invalid request body at {problem[0]}: {problem[1]}")
    return payload


@functools.cache
def _body_validator(endpoint: Endpoint) -> jsonschema.Draft202012Validator:
    """Compiled once per endpoint (endpoints hash by identity)."""
    return jsonschema.Draft202012Validator(endpoint.body or {},
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


async def _drop(send: Any) -> None:
    """A dropped connection as a client sees it: headers promise a body that never comes."""
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"1000")]})
    await send({"type": "http.response.body", "body": b'{"partial', "more_body": True})
    raise ConnectionAbortedError("toolgrade mock dropped the connection on purpose")


class MockServer:
    """Run a MockApi on a loopback port in a background thread (a context manager).

    `port=0` (the default) takes a free port; a requested port that is taken falls back to a
    free one, and `port` tells which was used.
    """

    def __init__(self, app: MockApi, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.requested_port = port
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> MockServer:
        sock = _bind(self.host, self.requested_port)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="critical", lifespan="off", access_log=False,
                                timeout_keep_alive=30)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="toolgrade-mock", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._server.started:
                return self
            time.sleep(0.01)
        raise TimeoutError(f"the mock did not start within {timeout:g}s")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _bind(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose protocol
    # says TCP, and without it every answer waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        if port == 0:
            sock.close()
            raise
        sock.bind((host, 0))
    sock.listen(128)
    sock.setblocking(False)
    return sock
