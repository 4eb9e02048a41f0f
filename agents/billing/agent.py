"""The billing agent: payment methods, payment history, refunds and payment changes."""

from __future__ import annotations

from agents.billing.skills import SKILLS
from agents.runtime.capability_gate import capability_gate
from agents.runtime.skills import skill_specs
from agents.runtime.spec import AgentSpec
from agents.runtime.specialist import SpecialistExecutor
from deskmesh import __version__
from protocol.cards import CardSpec

SPEC = AgentSpec(
    name="billing",
    card=CardSpec(
        name="billing",
        description="deskmesh billing agent: payment methods, payment history, receipts, "
        "refund status and payment changes for the verified customer.",
        version=__version__,
        skills=skill_specs(SKILLS),
    ),
    create_executor=lambda r: SpecialistExecutor(
        "billing", SKILLS, r.store, gate=capability_gate(r, "billing"), metrics=r.metrics
    ),
)

__all__ = ["SPEC"]
