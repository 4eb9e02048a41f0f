"""The media types of the HTTP bindings: what a JSON-RPC request must be, what REST answers with.

- **JSON-RPC requests are JSON** (A2A 1.0 §9.1: ``application/json`` for requests and
  responses). A POST to the JSON-RPC endpoint whose ``Content-Type`` is another media type
  (``text/plain``, a form) is answered ``415 Unsupported Media Type`` (RFC 9110 §15.5.16) with
  ``Accept-Post: application/json`` before its body is read. ``application/json``, any
  ``+json`` type (RFC 6839) and a request without a ``Content-Type`` are served.
- **REST answers in the JSON type the client speaks** (RFC 9110 §12.5.1 proactive negotiation).
  a2a-sdk 1.3 labels HTTP+JSON responses ``application/a2a+json``, A2A 1.0.1's SHOULD for the
  binding; the A2A 1.0.0 text of §11.1 names ``application/json``, and clients written to it
  may accept only that. So a response the SDK labels ``application/a2a+json`` goes out as
  ``application/json`` when the request's ``Accept`` prefers ``application/json`` or, with no
  preference (``*/*`` or none), when the request body was sent as ``application/json``. The
  bytes are the same JSON either way; ``Vary: Accept, Content-Type``.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agents.runtime.asgi_replies import send_refusal

A2A_JSON = "application/a2a+json"
JSON = "application/json"
_REFUSAL = b"JSON-RPC requests must be sent as application/json (A2A 1.0 section 9.1)\n"


def media_type(value: str) -> str:
    """The ``type/subtype`` of a Content-Type or Accept item, lower case, without parameters."""
    return value.split(";", 1)[0].strip().lower()


def is_json(value: str) -> bool:
    kind = media_type(value)
    return kind == JSON or (kind.startswith("application/") and kind.endswith("+json"))


def _quality(item: str) -> float:
    for param in item.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def preferred_json(accept: str, content_type: str) -> str:
    """The JSON media type to answer with: ``Accept``'s choice of the two, else the request's."""
    ranked = {media_type(i): _quality(i) for i in accept.split(",") if i.strip()}
    named = {kind: q for kind, q in ranked.items() if kind in (JSON, A2A_JSON) and q > 0}
    if named:
        return max(named, key=lambda kind: (named[kind], kind == A2A_JSON))
    refused = ranked.get(JSON) == 0
    return JSON if media_type(content_type) == JSON and not refused else A2A_JSON


class JsonRpcContentType:
    """415 for a POST to the JSON-RPC path whose body is declared as something other than JSON."""

    def __init__(self, app: ASGIApp, *, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == self.path:
            content_type = Headers(scope=scope).get("content-type")
            if content_type is not None and not is_json(content_type):
                await _refuse(send)
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send) -> None:
    await send_refusal(
        send, 415, _REFUSAL, b"text/plain; charset=utf-8", (b"accept-post", JSON.encode())
    )


class RestMediaType:
    """Relabels the SDK's ``application/a2a+json`` REST responses for ``application/json``
    clients (module docstring); every other response passes untouched."""

    def __init__(self, app: ASGIApp, *, path_part: str) -> None:
        self.app = app
        self.path_part = path_part
        """Requests whose path contains this (the REST prefix, tenant-prefixed or not)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.path_part not in scope["path"]:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        wanted = preferred_json(headers.get("accept", ""), headers.get("content-type", ""))

        async def relabel(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _negotiated(message.get("headers", []), wanted)
            await send(message)

        await self.app(scope, receive, relabel)


def _negotiated(raw: list[tuple[bytes, bytes]], wanted: str) -> list[tuple[bytes, bytes]]:
    out: list[tuple[bytes, bytes]] = []
    relabelled = False
    for name, value in raw:
        if name.lower() == b"content-type" and media_type(value.decode("latin-1")) == A2A_JSON:
            relabelled = True
            if wanted == JSON:
                params = value.decode("latin-1").partition(";")[2]
                value = (JSON + (";" + params if params else "")).encode("latin-1")
        out.append((name, value))
    if relabelled:
        out.append((b"vary", b"Accept, Content-Type"))
    return out
