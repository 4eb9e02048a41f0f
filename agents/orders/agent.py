"""The orders agent: order and product reads and order changes."""

from __future__ import annotations

from agents.orders.skills import SKILLS
from agents.runtime.capability_gate import capability_gate
from agents.runtime.skills import skill_specs
from agents.runtime.spec import AgentSpec
from agents.runtime.specialist import SpecialistExecutor
from deskmesh import __version__
from protocol.cards import CardSpec

SPEC = AgentSpec(
    name="orders",
    card=CardSpec(
        name="orders",
        description="deskmesh orders agent: order status, products, cancellations, changes, "
        "returns and exchanges for the verified customer.",
        version=__version__,
        skills=skill_specs(SKILLS),
    ),
    create_executor=lambda r: SpecialistExecutor(
        "orders", SKILLS, r.store, gate=capability_gate(r, "orders"), metrics=r.metrics
    ),
)

__all__ = ["SPEC"]
