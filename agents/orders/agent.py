"""The orders agent: order and product reads and order changes."""

from __future__ import annotations

from agents.orders.skills import HANDLERS
from agents.runtime.spec import AgentSpec
from agents.runtime.specialist_spec import specialist_spec

DESCRIPTION = (
    "deskmesh orders agent: order status, products, cancellations, changes, "
    "returns and exchanges for the verified customer."
)


def build_spec() -> AgentSpec:
    """The orders agent with every registry skill it owns (bound to its handlers now)."""
    return specialist_spec("orders", DESCRIPTION, HANDLERS)


SPEC = build_spec()

__all__ = ["DESCRIPTION", "SPEC", "build_spec"]
