"""HTTP edge auth: an API key or bearer token on the A2A HTTP endpoints.

Off by default (``make run``); the compose mesh turns it on. Only the A2A bindings under
``/a2a/`` are protected: the agent card, ``/directory``, ``/healthz``, ``/readyz`` and
``/metrics`` stay public. The NATS binding is guarded by the broker's per-agent users instead.
The card declares the scheme (``securitySchemes`` + ``securityRequirements``).
"""

from __future__ import annotations

import hmac
import json

from starlette.types import ASGIApp, Receive, Scope, Send

from protocol.cards import API_KEY_HEADER

EDGE_AUTH_ENV = "DESKMESH_EDGE_API_KEY"
"""The key a client (``deskmesh ask``, tests) sends, from its environment."""
PROTECTED_PREFIX = "/a2a/"
SCHEME_NAME = {"api_key": "apiKey", "bearer": "bearer"}


def parse_keys(raw: str | None) -> tuple[str, ...]:
    return tuple(k.strip() for k in (raw or "").split(",") if k.strip())


def client_headers(mode: str, key: str | None) -> dict[str, str]:
    """The header a client sends for ``mode`` (none when there is no key)."""
    if not key:
        return {}
    if mode == "bearer":
        return {"Authorization": f"Bearer {key}"}
    return {API_KEY_HEADER: key}


class EdgeAuth:
    """ASGI middleware: 401 for an A2A HTTP request without an accepted key."""

    def __init__(self, app: ASGIApp, *, mode: str, keys: tuple[str, ...]) -> None:
        if mode not in SCHEME_NAME:
            raise ValueError(f"unknown edge auth mode {mode!r}")
        if not keys:
            raise ValueError("edge auth is on but no keys are configured")
        self.app = app
        self._mode = mode
        self._keys = tuple(k.encode() for k in keys)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PROTECTED_PREFIX):
            await self.app(scope, receive, send)
            return
        if self._accepted(_header(scope, self._header_name())):
            await self.app(scope, receive, send)
            return
        challenge = 'Bearer realm="deskmesh"' if self._mode == "bearer" else "ApiKey"
        body = json.dumps({"error": "unauthorized", "scheme": SCHEME_NAME[self._mode]}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", challenge.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _header_name(self) -> bytes:
        return b"authorization" if self._mode == "bearer" else API_KEY_HEADER.lower().encode()

    def _accepted(self, value: bytes | None) -> bool:
        if value is None:
            return False
        if self._mode == "bearer":
            scheme, _, value = value.partition(b" ")
            if scheme.lower() != b"bearer":
                return False
        # compare with every key, in constant time per key
        return any(hmac.compare_digest(value.strip(), key) for key in self._keys)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value)
    return None
