"""The escalation agent: handoffs to human support."""

from __future__ import annotations

from agents.escalation.skills import HANDLERS
from agents.runtime.spec import AgentSpec
from agents.runtime.specialist_spec import specialist_spec

DESCRIPTION = (
    "deskmesh escalation agent: hands tickets to human support with a summary, "
    "reason and priority, and reports handoff status."
)


def build_spec() -> AgentSpec:
    """The escalation agent with every registry skill it owns (bound to its handlers now)."""
    return specialist_spec("escalation", DESCRIPTION, HANDLERS)


SPEC = build_spec()

__all__ = ["DESCRIPTION", "SPEC", "build_spec"]
