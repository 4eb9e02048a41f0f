"""One-line messages for the errors a CLI user causes by pointing at the wrong place.

A dead ``--url``, a mesh that stopped, a server that is not triage: the user gets one line that
says what was tried and what to do, not the traceback of the HTTP client. Library modules are
looked up in ``sys.modules`` only: an error of a library that was never imported cannot occur,
and the CLI stays lazy about its imports.
"""

from __future__ import annotations

import sys

_HINT = "is the mesh running? `make run`, or pass --url"


def one_line(error: BaseException) -> str | None:
    """The message for a connection-level error, or None for anything else (a real bug)."""
    httpx = sys.modules.get("httpx")
    if httpx is not None:
        if isinstance(error, httpx.TransportError):
            reason = str(error) or type(error).__name__
            return _squash(f"cannot reach {_request_url(error)}: {reason}; {_HINT}")
        if isinstance(error, httpx.HTTPStatusError):
            status = error.response.status_code
            return _squash(f"{error.request.url} answered HTTP {status}; {_HINT}")
    a2a_errors = sys.modules.get("a2a.client.errors")
    if a2a_errors is not None and isinstance(error, a2a_errors.A2AClientError):
        return _squash(f"{error}; {_HINT}")
    return None


def _request_url(error: BaseException) -> str:
    try:
        return str(error.request.url)  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):  # httpx raises RuntimeError when no request is set
        return "the server"


def _squash(text: str) -> str:
    return " ".join(text.split())
