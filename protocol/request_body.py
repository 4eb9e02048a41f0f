"""Checks every binding runs on a JSON-RPC request body before the SDK's dispatcher sees it.

The SDK's dispatcher turns JSON it cannot decode into ``-32700`` only when ``json`` raises
``JSONDecodeError``; a body that is not UTF-8 (``UnicodeDecodeError``) or nests deeper than the
parser's recursion limit (``RecursionError``) lands in its catch-all as ``-32603``, and on NATS
the latter escaped before any reply. Both are parse errors of the request: ``-32700`` on every
binding, decided here once.
"""

from __future__ import annotations

import json
from typing import Any

from a2a.server.jsonrpc_models import JSONParseError
from a2a.server.request_handlers.response_helpers import build_error_response
from a2a.utils.errors import InternalError

from domain.errors import DeskmeshError

NOT_UTF8 = "Request body is not valid UTF-8"
TOO_DEEP = "Request body nests too deeply"
MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted. Explicit, because where Python's own
recursion limit strikes depends on how deep the parsing code already is (HTTP middleware adds
frames NATS does not have), which would make the answer differ between bindings."""


class BodyError(DeskmeshError, ValueError):
    """A body no binding can parse; ``message`` says why (the JSON-RPC error message)."""


def parse_body(body: bytes) -> Any:
    """The decoded JSON document; ``None`` for text that is not JSON (the dispatcher answers
    that itself, with its own message); ``BodyError`` for what it would answer wrongly."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BodyError(NOT_UTF8) from e
    try:
        document = json.loads(text)
    except RecursionError as e:
        raise BodyError(TOO_DEEP) from e
    except ValueError:
        return None
    if _deeper_than(document, MAX_DEPTH):
        raise BodyError(TOO_DEEP)
    return document


def _deeper_than(document: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_error_body(message: str) -> bytes:
    """The JSON-RPC ``-32700`` error document (no id: the request could not be read)."""
    return json.dumps(build_error_response(None, JSONParseError(message=message))).encode()


def internal_error_body(request_id: Any = None) -> bytes:
    """The JSON-RPC ``-32603`` document of the last-resort error path (details only in logs)."""
    if isinstance(request_id, bool) or not isinstance(request_id, str | int | None):
        request_id = None
    error = build_error_response(request_id, InternalError(message="Internal error"))
    return json.dumps(error).encode()
