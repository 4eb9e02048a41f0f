"""Agent cards: building them, the public (HTTP-only) form, validating them, JSON round trips.

An agent has one card with two views. The mesh card (published to the directory bucket, served
by triage's ``/directory``) lists the HTTP interfaces and then the NATS one; mesh clients pick
NATS by their own preference. The public card at ``/.well-known/agent-card.json`` lists only
the HTTP interfaces, JSON-RPC first: clients such as Google ADK refuse a card with any RPC URL of
another origin than the card's, and a ``nats://`` URL is unreachable from outside anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentExtension,
    AgentInterface,
    AgentSkill,
    APIKeySecurityScheme,
    HTTPAuthSecurityScheme,
    SecurityRequirement,
    SecurityScheme,
)
from google.protobuf.json_format import MessageToDict, ParseDict, ParseError

from protocol.binding import NATS_BINDING_URI, PROTOCOL_VERSION
from protocol.capabilities import CAPABILITY_EXTENSION_URI, CAPABILITY_HEADER
from protocol.errors import InvalidCardError
from protocol.parts import SKILL_CALL_MEDIA_TYPE, SKILL_RESULT_MEDIA_TYPE

JSONRPC_PATH = "/a2a/jsonrpc"
REST_PATH = "/a2a/rest"
API_KEY_HEADER = "X-API-Key"
HTTP_BINDINGS = ("JSONRPC", "HTTP+JSON")
INPUT_MODES = ("text/plain", "application/json", SKILL_CALL_MEDIA_TYPE)
"""What a request's parts may be (the handler refuses others): text, JSON data and the mesh's own
structured skill call."""
OUTPUT_MODES = ("text/plain", "application/json", SKILL_RESULT_MEDIA_TYPE)

CAPABILITY_EXTENSION = AgentExtension(
    uri=CAPABILITY_EXTENSION_URI,
    description=(
        "Ticket-scoped capability (biscuit token, Ed25519): message metadata "
        f"['{CAPABILITY_EXTENSION_URI}'].token or the {CAPABILITY_HEADER} header. Writes need "
        "one that covers the customer, ticket, skill, orders, payment methods and amount."
    ),
    required=False,
)
"""Not required: reads work without it; a write without one is refused."""


def security(edge_auth: str) -> tuple[dict[str, SecurityScheme], list[SecurityRequirement]]:
    """The card's security schemes and requirements for an edge auth mode (off: none)."""
    if edge_auth == "api_key":
        scheme = SecurityScheme(
            api_key_security_scheme=APIKeySecurityScheme(
                name=API_KEY_HEADER, location="header", description="deskmesh edge API key"
            )
        )
        name = "apiKey"
    elif edge_auth == "bearer":
        scheme = SecurityScheme(
            http_auth_security_scheme=HTTPAuthSecurityScheme(
                scheme="Bearer", description="deskmesh edge bearer token"
            )
        )
        name = "bearer"
    else:
        return {}, []
    requirement = SecurityRequirement()
    requirement.schemes[name].SetInParent()  # no scopes: an empty list
    return {name: scheme}, [requirement]


@dataclass(frozen=True, slots=True)
class SkillSpec:
    """What a card says about one skill."""

    id: str
    name: str
    description: str
    tags: tuple[str, ...]
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CardSpec:
    """Everything needed to publish an agent's card."""

    name: str
    description: str
    version: str
    skills: tuple[SkillSpec, ...]
    streaming: bool = True
    extensions: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)


def build_card(
    spec: CardSpec,
    *,
    http_base_url: str,
    nats_interface_url: str | None,
    edge_auth: str = "off",
) -> AgentCard:
    """The agent's mesh card: JSON-RPC, HTTP+JSON, then NATS (``public_card`` drops NATS).

    No ``provider``: A2A requires its ``url`` and deskmesh has no organisation page to name."""
    base = http_base_url.rstrip("/")
    interfaces = [
        AgentInterface(
            url=base + JSONRPC_PATH, protocol_binding="JSONRPC", protocol_version=PROTOCOL_VERSION
        ),
        AgentInterface(
            url=base + REST_PATH, protocol_binding="HTTP+JSON", protocol_version=PROTOCOL_VERSION
        ),
    ]
    # The same HTTP endpoints speak A2A 0.3 (the SDK's compatibility adapters); from these
    # entries the SDK card route derives the 0.3 fields (url, preferredTransport) for 0.3 clients.
    interfaces += [
        AgentInterface(url=i.url, protocol_binding=i.protocol_binding, protocol_version="0.3")
        for i in list(interfaces)
    ]
    if nats_interface_url is not None:
        interfaces.append(
            AgentInterface(
                url=nats_interface_url,
                protocol_binding=NATS_BINDING_URI,
                protocol_version=PROTOCOL_VERSION,
            )
        )
    schemes, requirements = security(edge_auth)
    return AgentCard(
        name=spec.name,
        description=spec.description,
        version=spec.version,
        supported_interfaces=interfaces,
        capabilities=AgentCapabilities(
            streaming=spec.streaming,
            push_notifications=True,  # webhooks: agents/runtime/push.py
            extensions=[CAPABILITY_EXTENSION, *(_extension(e) for e in spec.extensions)],
        ),
        security_schemes=schemes,
        security_requirements=requirements,
        default_input_modes=list(INPUT_MODES),
        default_output_modes=list(OUTPUT_MODES),
        skills=[
            AgentSkill(
                id=s.id,
                name=s.name,
                description=s.description,
                tags=list(s.tags),
                examples=list(s.examples),
            )
            for s in spec.skills
        ],
    )


def public_card(card: AgentCard) -> AgentCard:
    """The card as served over HTTP: only its HTTP interfaces, in the card's order."""
    public = AgentCard()
    public.CopyFrom(card)
    del public.supported_interfaces[:]
    public.supported_interfaces.extend(
        i for i in card.supported_interfaces if i.protocol_binding in HTTP_BINDINGS
    )
    return public


def card_for_version(card: AgentCard, version: str) -> AgentCard:
    """The card with only the interfaces that speak ``version`` of A2A.

    Served to a client that asked for A2A 1.0: with no 0.3 interface left, the SDK's card route
    adds none of its 0.3 fields (``url``, ``preferredTransport``, …), which the 1.0 AgentCard
    does not have."""
    view = AgentCard()
    view.CopyFrom(card)
    del view.supported_interfaces[:]
    view.supported_interfaces.extend(
        i for i in card.supported_interfaces if i.protocol_version == version
    )
    return view


def _extension(raw: Mapping[str, Any]) -> AgentExtension:
    return ParseDict(dict(raw), AgentExtension())


def card_to_dict(card: AgentCard) -> dict[str, Any]:
    return MessageToDict(card)


def card_from_dict(data: Mapping[str, Any]) -> AgentCard:
    """Parse and validate a card received from a peer."""
    try:
        card = ParseDict(dict(data), AgentCard(), ignore_unknown_fields=True)
    except (ParseError, TypeError, ValueError) as e:
        raise InvalidCardError(f"not an agent card: {e}") from e
    validate_card(card)
    return card


def validate_card(card: AgentCard) -> None:
    """Raise InvalidCardError unless the card has what A2A 1.0 marks REQUIRED."""
    missing = [name for name in ("name", "description", "version") if not getattr(card, name)]
    if missing:
        raise InvalidCardError(f"card lacks {', '.join(missing)}")
    if not card.supported_interfaces:
        raise InvalidCardError(f"card of {card.name!r} lists no interfaces")
    for interface in card.supported_interfaces:
        if not (interface.url and interface.protocol_binding and interface.protocol_version):
            raise InvalidCardError(f"card of {card.name!r} has an incomplete interface")
    for skill in card.skills:
        if not (skill.id and skill.name and skill.description):
            raise InvalidCardError(f"card of {card.name!r} has an incomplete skill")


def interface_url(card: AgentCard, binding: str) -> str | None:
    """The url of the card's first interface with ``binding``, if any."""
    for interface in card.supported_interfaces:
        if interface.protocol_binding == binding:
            return interface.url
    return None


def skill_ids(cards: Iterable[AgentCard]) -> dict[str, str]:
    """Map every skill id to the name of the agent whose card lists it."""
    return {skill.id: card.name for card in cards for skill in card.skills}
