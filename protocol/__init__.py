"""A2A over NATS: the binding, cards, discovery and the mesh's message parts.

The names below are imported on first use (PEP 562), so that importing a light module such as
``protocol.binding`` does not pull in the SDK's server and client (the CLI starts fast).
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "NATS_BINDING_URI": "protocol.binding",
    "PROTOCOL_VERSION": "protocol.binding",
    "interface_url": "protocol.binding",
    "queue_group": "protocol.binding",
    "rpc_subject": "protocol.binding",
    "CardSpec": "protocol.cards",
    "SkillSpec": "protocol.cards",
    "build_card": "protocol.cards",
    "card_from_dict": "protocol.cards",
    "card_to_dict": "protocol.cards",
    "NatsTransport": "protocol.client",
    "create_client_factory": "protocol.client",
    "CardHeartbeat": "protocol.discovery",
    "Directory": "protocol.discovery",
    "DirectoryEntry": "protocol.discovery",
    "open_bucket": "protocol.discovery",
    "DeskmeshError": "protocol.errors",
    "InvalidCardError": "protocol.errors",
    "ProtocolError": "protocol.errors",
    "TransportError": "protocol.errors",
    "NatsA2AServer": "protocol.server",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'protocol' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
