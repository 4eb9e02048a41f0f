"""deskmesh's exception tree (protocol side); the root ``DeskmeshError`` is ``domain.errors``'.

    DeskmeshError
    ├── ProtocolError          a peer broke the binding's contract (bad frame, bad card)
    │   └── InvalidCardError   an agent card that fails validation
    └── TransportError         the carrier failed (NATS unreachable, no responders)
        └── TransportTimeout   (also a TimeoutError)

A2A errors themselves (TaskNotFoundError, …) are the SDK's ``a2a.utils.errors`` classes; both
bindings map them to JSON-RPC codes through the SDK's ``JSON_RPC_ERROR_CODE_MAP`` so that one
table serves HTTP and NATS.
"""

from __future__ import annotations

from domain.errors import DeskmeshError

__all__ = [
    "DeskmeshError",
    "InvalidCardError",
    "ProtocolError",
    "TransportError",
    "TransportTimeout",
]


class ProtocolError(DeskmeshError):
    """A peer sent something the binding does not allow."""


class InvalidCardError(ProtocolError, ValueError):
    """An agent card is missing required fields or is otherwise unusable."""


class TransportError(DeskmeshError):
    """The NATS carrier failed to deliver a request or a stream."""


class TransportTimeout(TransportError, TimeoutError):
    """No answer arrived in time."""
