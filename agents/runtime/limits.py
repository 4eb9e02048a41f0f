"""BodySizeLimit: an ASGI middleware refusing request bodies over the binding's size limit.

JSON-RPC callers get the same JSON-RPC error the NATS binding returns; other routes get 413.
"""

from __future__ import annotations

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from protocol.cards import JSONRPC_PATH
from protocol.server import payload_too_large_body


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self._app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self._max_bytes:
                    raise _TooLarge
            return message

        try:
            await self._app(scope, limited_receive, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response: Response
        if scope.get("path", "").rstrip("/") == JSONRPC_PATH:
            response = Response(payload_too_large_body(), media_type="application/json")
        else:
            response = JSONResponse(
                {
                    "error": {
                        "code": 413,
                        "status": "INVALID_ARGUMENT",
                        "message": "Payload too large",
                    }
                },
                status_code=413,
            )
        await response(scope, receive, send)
