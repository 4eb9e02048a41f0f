"""A2A over NATS: the binding, cards, discovery and the mesh's message parts."""

from protocol.binding import (
    NATS_BINDING_URI,
    PROTOCOL_VERSION,
    interface_url,
    queue_group,
    rpc_subject,
)
from protocol.cards import CardSpec, SkillSpec, build_card, card_from_dict, card_to_dict
from protocol.client import NatsTransport, create_client_factory
from protocol.discovery import CardHeartbeat, Directory, DirectoryEntry, open_bucket
from protocol.errors import DeskmeshError, InvalidCardError, ProtocolError, TransportError
from protocol.server import NatsA2AServer

__all__ = [
    "NATS_BINDING_URI",
    "PROTOCOL_VERSION",
    "CardHeartbeat",
    "CardSpec",
    "DeskmeshError",
    "Directory",
    "DirectoryEntry",
    "InvalidCardError",
    "NatsA2AServer",
    "NatsTransport",
    "ProtocolError",
    "SkillSpec",
    "TransportError",
    "build_card",
    "card_from_dict",
    "card_to_dict",
    "create_client_factory",
    "interface_url",
    "open_bucket",
    "queue_group",
    "rpc_subject",
]
