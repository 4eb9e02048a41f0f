"""BodySizeLimit: an ASGI middleware that reads A2A request bodies in full before the app does.

Bodies over the binding's size limit are refused whether declared (``Content-Length``) or sent
in chunks: JSON-RPC callers get the same JSON-RPC error the NATS binding returns, other routes
413. Bodies of the A2A endpoints that are not UTF-8 or nest too deeply (protocol/request_body.py)
get the JSON-RPC ``-32700`` on ``/a2a/jsonrpc`` and 400 on the REST routes, never a 500. The app
then reads the buffered body, so it never sees an over-long stream. A body that does not
arrive within ``read_timeout_s`` of the request head is answered 408.
"""

from __future__ import annotations

import asyncio

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import DeskmeshError
from protocol.cards import JSONRPC_PATH, REST_PATH
from protocol.request_body import BodyError, parse_body, parse_error_body
from protocol.server import payload_too_large_body


class _TooLarge(DeskmeshError):
    pass


class BodySizeLimit:
    def __init__(
        self, app: ASGIApp, *, max_bytes: int, read_timeout_s: float | None = None
    ) -> None:
        self._app = app
        self._max_bytes = max_bytes
        self._read_timeout_s = read_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max_bytes:
            await _refuse_too_large(scope, receive, send)
            return
        try:
            async with asyncio.timeout(self._read_timeout_s):
                body, disconnected = await self._read(receive)
        except _TooLarge:
            await _refuse_too_large(scope, receive, send)
            return
        except TimeoutError:
            await _rest_error(408, "Request body not received in time")(scope, receive, send)
            return
        path = scope.get("path", "").rstrip("/")
        if body and (path == JSONRPC_PATH or path.startswith(REST_PATH)):
            try:
                parse_body(body)
            except BodyError as e:
                await _refuse_unreadable(scope, receive, send, str(e))
                return
        await self._app(scope, _replay(body, disconnected, receive), send)

    async def _read(self, receive: Receive) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"".join(chunks), True
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self._max_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), False


def _replay(body: bytes, disconnected: bool, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if disconnected:
                return {"type": "http.disconnect"}
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse_too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response: Response
    if scope.get("path", "").rstrip("/") == JSONRPC_PATH:
        response = Response(payload_too_large_body(), media_type="application/json")
    else:
        response = _rest_error(413, "Payload too large")
    await response(scope, receive, send)


async def _refuse_unreadable(scope: Scope, receive: Receive, send: Send, why: str) -> None:
    response: Response
    if scope.get("path", "").rstrip("/") == JSONRPC_PATH:
        response = Response(parse_error_body(why), media_type="application/json")
    else:
        response = _rest_error(400, why)
    await response(scope, receive, send)


def _rest_error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": status, "status": "INVALID_ARGUMENT", "message": message}},
        status_code=status,
    )
