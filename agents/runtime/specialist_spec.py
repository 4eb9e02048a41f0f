"""The AgentSpec of a specialist: its card's skills and its executor, bound from the registry."""

from __future__ import annotations

from agents.runtime.capability_gate import capability_gate
from agents.runtime.skills import Handlers, skill_specs
from agents.runtime.spec import AgentSpec
from agents.runtime.specialist import SpecialistExecutor
from deskmesh import __version__
from protocol.cards import CardSpec


def specialist_spec(name: str, description: str, handlers: Handlers) -> AgentSpec:
    """The spec of agent ``name``: every registry skill it owns, bound to ``handlers``.

    Built at call time, so a skill registered before the call is on the card and runs.
    """
    skills = handlers.skills()
    return AgentSpec(
        name=name,
        card=CardSpec(
            name=name, description=description, version=__version__, skills=skill_specs(skills)
        ),
        create_executor=lambda r: SpecialistExecutor(
            name, skills, r.store, gate=capability_gate(r, name), metrics=r.metrics
        ),
    )
