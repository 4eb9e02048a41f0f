"""HTTP edge auth: an API key or bearer token on every HTTP route but the public ones.

Off by default (``make run``); the compose mesh turns it on. Deny by default: every path the app
serves needs the key except the ``public`` ones ``build_app`` names (the agent card,
``/directory``, ``/healthz``, ``/readyz``, ``/metrics``), so the SDK's tenant-prefixed REST routes
(``/{tenant}/a2a/rest/...``) and any route added later are covered without a prefix list.

An accepted key becomes the request's principal (``scope["user"]``): the SDK's call-context
builder turns it into ``ServerCallContext.user``, and the task store scopes every task to it.
A refusal answers 401 with ``WWW-Authenticate`` and a body in the binding's own error format: a
JSON-RPC error object on the JSON-RPC route, the REST ``google.rpc.Status`` shape elsewhere.
The NATS binding is guarded by the broker's per-agent users instead.
The card declares the scheme (``securitySchemes`` + ``securityRequirements``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from agents.runtime.asgi_replies import send_refusal
from protocol.cards import API_KEY_HEADER, JSONRPC_PATH
from protocol.principal import Principal

EDGE_AUTH_ENV = "DESKMESH_EDGE_API_KEY"
"""The key a client (``deskmesh ask``, tests) sends, from its environment."""
SCHEME_NAME = {"api_key": "apiKey", "bearer": "bearer"}
UNAUTHENTICATED_JSONRPC_CODE = -32000
"""JSON-RPC has no standard code for a missing credential (A2A §3.3.2: "JSON-RPC custom error");
-32000 is the implementation-defined server-error code A2A leaves unused."""
UNAUTHENTICATED_MESSAGE = "this endpoint needs an accepted credential"


def parse_keys(raw: str | None) -> tuple[str, ...]:
    return tuple(k.strip() for k in (raw or "").split(",") if k.strip())


def client_headers(mode: str, key: str | None) -> dict[str, str]:
    """The header a client sends for ``mode`` (none when there is no key)."""
    if not key:
        return {}
    if mode == "bearer":
        return {"Authorization": f"Bearer {key}"}
    return {API_KEY_HEADER: key}


def principal_of(mode: str, key: str) -> str:
    """The principal an accepted key stands for: a stable id that does not reveal the key."""
    prefix = "apikey" if mode == "api_key" else "bearer"
    return f"{prefix}:{hashlib.sha256(key.encode()).hexdigest()[:16]}"


class EdgeAuth:
    """ASGI middleware: 401 for a request to a non-public path without an accepted key."""

    def __init__(
        self, app: ASGIApp, *, mode: str, keys: tuple[str, ...], public: Iterable[str] = ()
    ) -> None:
        if mode not in SCHEME_NAME:
            raise ValueError(f"unknown edge auth mode {mode!r}")
        if not keys:
            raise ValueError("edge auth is on but no keys are configured")
        self.app = app
        self._mode = mode
        self._keys = tuple((k.encode(), principal_of(mode, k)) for k in keys)
        self._public = frozenset(public)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self._public:
            await self.app(scope, receive, send)
            return
        principal = self._principal(_header(scope, self._header_name()))
        if principal is not None:
            scope["user"] = Principal(principal)
            await self.app(scope, receive, send)
            return
        challenge = 'Bearer realm="deskmesh"' if self._mode == "bearer" else "ApiKey"
        body = json.dumps(refusal_body(scope["path"], SCHEME_NAME[self._mode])).encode()
        await send_refusal(
            send, 401, body, b"application/json", (b"www-authenticate", challenge.encode())
        )

    def _header_name(self) -> bytes:
        return b"authorization" if self._mode == "bearer" else API_KEY_HEADER.lower().encode()

    def _principal(self, value: bytes | None) -> str | None:
        if value is None:
            return None
        if self._mode == "bearer":
            scheme, _, value = value.partition(b" ")
            if scheme.lower() != b"bearer":
                return None
        # compare with every key, in constant time per key, so timing does not tell which matched
        found = None
        for key, principal in self._keys:
            if hmac.compare_digest(value.strip(), key):
                found = principal
        return found


def refusal_body(path: str, scheme: str) -> dict[str, object]:
    """The 401 body in the format of the binding ``path`` belongs to."""
    info = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "UNAUTHENTICATED",
        "domain": "deskmesh",
        "metadata": {"scheme": scheme},
    }
    if path == JSONRPC_PATH:
        # The request id is not read: an unauthenticated body is not parsed at all.
        error = {"code": UNAUTHENTICATED_JSONRPC_CODE, "message": UNAUTHENTICATED_MESSAGE}
        return {"jsonrpc": "2.0", "id": None, "error": {**error, "data": [info]}}
    status = {"code": 401, "status": "UNAUTHENTICATED", "message": UNAUTHENTICATED_MESSAGE}
    return {"error": {**status, "details": [info]}}


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value)
    return None
