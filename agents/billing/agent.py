"""The billing agent: payment methods, payment history, refunds and payment changes."""

from __future__ import annotations

from agents.billing.skills import HANDLERS
from agents.runtime.spec import AgentSpec
from agents.runtime.specialist_spec import specialist_spec

DESCRIPTION = (
    "deskmesh billing agent: payment methods, payment history, receipts, "
    "refund status and payment changes for the verified customer."
)


def build_spec() -> AgentSpec:
    """The billing agent with every registry skill it owns (bound to its handlers now)."""
    return specialist_spec("billing", DESCRIPTION, HANDLERS)


SPEC = build_spec()

__all__ = ["DESCRIPTION", "SPEC", "build_spec"]
