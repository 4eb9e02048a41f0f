"""The agent card route: one card, in the view of the A2A version the request names.

A2A 1.0 §3.6.1: a client sends ``A2A-Version`` (header, or a query parameter of that name) with
each request; §3.6.2: none means 0.3. So
- ``A2A-Version: 1.0`` gets the 1.0 card: the 1.0 interfaces only, nothing outside the 1.0
  AgentCard (``cards.card_for_version``);
- any other request gets the card of both versions, with the 0.3 fields the SDK derives from the
  0.3 interfaces (``url``, ``preferredTransport``, ``protocolVersion``), which 0.3 clients read and
  unversioned 1.0 clients ignore.
Both views are the SDK's own card route (ETag, Cache-Control, 304); responses say
``Vary: A2A-Version`` so a cache keeps them apart.
"""

from __future__ import annotations

from a2a.server.routes import create_agent_card_routes
from a2a.types import AgentCard
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from protocol.binding import PROTOCOL_VERSION
from protocol.cards import card_for_version

VERSION_PARAMETER = "A2A-Version"


def _major_minor(version: str) -> str:
    return ".".join(version.strip().split(".")[:2])  # patch versions do not count (§3.6)


def versioned_card_routes(card: AgentCard, *, cache_control: str) -> list[Route]:
    current = create_agent_card_routes(
        card_for_version(card, PROTOCOL_VERSION), cache_control=cache_control
    )[0]
    compatible = create_agent_card_routes(card, cache_control=cache_control)[0]

    async def agent_card(request: Request) -> Response:
        asked = request.headers.get(VERSION_PARAMETER) or request.query_params.get(
            VERSION_PARAMETER, ""
        )
        route = current if _major_minor(asked) == PROTOCOL_VERSION else compatible
        response: Response = await route.endpoint(request)
        response.headers["Vary"] = VERSION_PARAMETER
        return response

    return [Route(compatible.path, agent_card, methods=["GET"])]
