"""The escalation agent: handoffs to human support."""

from __future__ import annotations

from agents.escalation.skills import SKILLS
from agents.runtime.capability_gate import capability_gate
from agents.runtime.skills import skill_specs
from agents.runtime.spec import AgentSpec
from agents.runtime.specialist import SpecialistExecutor
from deskmesh import __version__
from protocol.cards import CardSpec

SPEC = AgentSpec(
    name="escalation",
    card=CardSpec(
        name="escalation",
        description="deskmesh escalation agent: hands tickets to human support with a summary, "
        "reason and priority, and reports handoff status.",
        version=__version__,
        skills=skill_specs(SKILLS),
    ),
    create_executor=lambda r: SpecialistExecutor(
        "escalation", SKILLS, r.store, gate=capability_gate(r, "escalation"), metrics=r.metrics
    ),
)

__all__ = ["SPEC"]
