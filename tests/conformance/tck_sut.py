"""TCK plugin: talk to the agent the way its card says, on the TCK's own requests.

Loaded by ``make conformance`` with ``-p tck_sut`` into the TCK's pytest (the TCK's venv; this
module imports nothing from deskmesh). Two corrections, both limited to requests for the
agent under test (the ``--sut-host`` origin):

- the TCK's JSON-RPC client posts to ``<interface url>/`` (httpx joins the path ``/`` onto the
  card's URL); A2A 1.0 §9 says the client sends to the interface's ``url``, so a request for
  ``<jsonrpc url>/`` goes to ``<jsonrpc url>``;
- A2A 1.0 §3.6.1: a client MUST send ``A2A-Version`` with each request, and an agent reads a
  request without one as 0.3 (§3.6.2); the TCK's clients send ``1.0`` on A2A calls but not when
  they fetch the agent card, so a request without the header gets ``A2A-Version: 1.0`` (the
  TCK's own value; requests that set another, such as its unsupported-version tests, keep it);
- the card names an API-key security scheme (A2A 1.0 §4.5, ``securityRequirements``) that the TCK
  does not implement; every request carries the key from ``DESKMESH_TCK_API_KEY`` in the header
  the card names, unless the request already sets that header.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
from tck.transport._helpers import A2A_VERSION
from tck.transport._helpers import A2A_VERSION_HEADER as VERSION_HEADER

_original_send = httpx.Client.send


def _card(sut_host: str) -> dict[str, Any]:
    response = httpx.get(f"{sut_host.rstrip('/')}/.well-known/agent-card.json", timeout=10)
    response.raise_for_status()
    card: dict[str, Any] = response.json()
    return card


def _api_key_header(card: dict[str, Any]) -> str | None:
    for scheme in (card.get("securitySchemes") or {}).values():
        api_key = scheme.get("apiKeySecurityScheme")
        if api_key and api_key.get("location") == "header":
            return str(api_key["name"])
    return None


def pytest_configure(config: pytest.Config) -> None:
    sut_host = str(config.getoption("--sut-host"))
    card = _card(sut_host)
    origin = httpx.URL(sut_host)
    jsonrpc_paths = {
        httpx.URL(i["url"]).path
        for i in card.get("supportedInterfaces", [])
        if i.get("protocolBinding") == "JSONRPC"
    }
    slashed = {path.rstrip("/") + "/": path for path in jsonrpc_paths}
    header = _api_key_header(card)
    key = os.environ.get("DESKMESH_TCK_API_KEY")
    if header and not key:
        raise pytest.UsageError(f"the card asks for {header}: set DESKMESH_TCK_API_KEY")

    def send(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        if (request.url.host, request.url.port) == (origin.host, origin.port):
            if request.url.path in slashed:
                request.url = request.url.copy_with(path=slashed[request.url.path])
            request.headers.setdefault(VERSION_HEADER, A2A_VERSION)
            if header and key and header not in request.headers:
                request.headers[header] = key
        return _original_send(self, request, **kwargs)

    httpx.Client.send = send  # type: ignore[method-assign]
