"""A2A 0.3 beside 1.0 on the same JSON-RPC endpoint: the SDK's compatibility adapter, fenced.

a2a-sdk 1.3's ``enable_v0_3_compat`` makes the JSON-RPC dispatcher hand every 0.3 method name
(``message/send``, ``tasks/get`` …) to its 0.3 adapter. A request's version is its
``A2A-Version`` service parameter; none means 0.3 (A2A 1.0 §3.6.2). The SDK's adapter answers a
0.3 method sent with ``A2A-Version: 1.0`` with -32603 (its version error is not an A2AError); in
1.0 that method does not exist, so this adapter answers -32601, as the 1.0-only endpoint did.
"""

from __future__ import annotations

from typing import Any

# The SDK's dispatcher module first: its 0.3 adapter module imports back into it.
import a2a.server.routes.jsonrpc_dispatcher  # noqa: F401
from a2a.compat.v0_3.jsonrpc_adapter import JSONRPC03Adapter
from a2a.server.jsonrpc_models import MethodNotFoundError
from a2a.server.request_handlers import RequestHandler
from a2a.server.routes.jsonrpc_dispatcher import JsonRpcDispatcher
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from protocol.binding import VERSION_HEADER


def requested_version(request: Request) -> str:
    """The request's A2A version (header, else query parameter); '' when it names none."""
    return request.headers.get(VERSION_HEADER) or request.query_params.get(VERSION_HEADER) or ""


class _Fenced03Adapter(JSONRPC03Adapter):
    async def handle_request(
        self, request_id: str | int | None, method: str, body: dict, request: Request
    ) -> Any:
        version = requested_version(request)
        if version and not version.startswith("0."):
            error = MethodNotFoundError(message=f"method {method!r} is not part of A2A {version}")
            return self._generate_error_response(request_id, error)
        return await super().handle_request(request_id, method, body, request)


def compat_dispatcher(handler: RequestHandler) -> JsonRpcDispatcher:
    """A JSON-RPC dispatcher serving A2A 1.0 and 0.3 (the SDK's compat switch, fenced)."""
    dispatcher = JsonRpcDispatcher(request_handler=handler, enable_v0_3_compat=True)
    dispatcher._v03_adapter = _Fenced03Adapter(http_handler=handler)  # noqa: SLF001
    return dispatcher


def jsonrpc_routes(handler: RequestHandler, rpc_url: str) -> list[Route]:
    """The JSON-RPC route, serving A2A 1.0 and 0.3 (``create_jsonrpc_routes`` with compat on)."""
    dispatcher = compat_dispatcher(handler)

    async def endpoint(request: Request) -> Response:
        return await dispatcher.handle_requests(request)

    return [Route(path=rpc_url, endpoint=endpoint, methods=["POST"])]
