"""SkillDef and SkillRegistry: every skill of the mesh described once, read by every layer.

A ``SkillDef`` says who owns a skill, whether it writes, its typed arguments, the order status it
needs and leaves, the money it moves, how it is shown to a customer and to an LLM, and the
shape of its result. Handlers are not here: an agent binds its handlers to its entries
(``agents.runtime.skills.Handlers``), so the domain stays free of IO.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

from domain.errors import RegistryError
from domain.money import MoneyEffect

SkillKind = Literal["read", "write"]
ResultShape = Mapping[str, type | tuple[type, ...]]


@dataclass(frozen=True, slots=True)
class SkillDef:
    """One skill, as every layer sees it (cards, planners, policy, gate, store, validation)."""

    id: str
    agent: str
    """The agent that owns it (orders, billing, escalation)."""
    kind: SkillKind
    arguments: type[BaseModel]
    name: str
    """Short title on the agent card."""
    description: str
    """What it does, for the card, a customer and an LLM."""
    examples: tuple[str, ...] = ()
    """Requests a customer might write (card examples)."""
    keywords: tuple[str, ...] = ()
    """Words that point a specialist's free-text request at it (matched at word starts)."""
    action: str = ""
    """The verb phrase a question uses ("cancel the order"); default: the name."""
    reply: str = ""
    """How a reply names it being done, with ``{order_id}`` ("cancel {order_id}")."""
    llm_arguments: str = ""
    """The arguments as an LLM planner is told them."""
    requires_status: str | None = None
    """The order status it needs, exactly (None: no order status)."""
    leaves_status: str | None = None
    """The order status it leaves (None: unchanged)."""
    money: MoneyEffect = MoneyEffect.NONE
    reversible: bool = True
    """False for writes no later write can undo (a cancel, a return, …)."""
    item_change: bool = False
    """It changes the order's items: at most one item change (of any kind) per order."""
    excludes: frozenset[str] = frozenset()
    """Writes that must not meet it on one order."""
    excludes_all: bool = False
    """It must be the only write on its order (a cancel)."""
    anonymous: bool = False
    """A write that may run without a verified customer (a handoff to a human)."""
    result: ResultShape = field(default_factory=dict)
    """What a successful result holds: required keys and their JSON types."""
    store_extras: tuple[str, ...] = ()
    """Optional arguments the handler adds when it calls the store (e.g. the customer's id)."""

    @property
    def is_write(self) -> bool:
        return self.kind == "write"

    @property
    def order_statuses(self) -> tuple[str, ...]:
        """The statuses it works on (free text offers only such orders as candidates)."""
        return (self.requires_status,) if self.requires_status else ()

    def store_arguments(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(required, optional) argument names of the store action it runs."""
        fields = self.arguments.model_fields
        required = tuple(name for name, f in fields.items() if f.is_required())
        optional = tuple(name for name, f in fields.items() if not f.is_required())
        return required, (*optional, *self.store_extras)

    def conflicts_with(self, other: str) -> bool:
        """Whether it and ``other`` must not both write to one order."""
        return other in self.excludes


class SkillRegistry:
    """The skills of the mesh by id, in the order they were registered."""

    def __init__(self, skills: tuple[SkillDef, ...] = ()) -> None:
        self._skills: dict[str, SkillDef] = {}
        for skill in skills:
            self.register(skill)

    def register(self, skill: SkillDef) -> SkillDef:
        if skill.id in self._skills:
            raise RegistryError(f"skill {skill.id!r} is defined twice")
        self._skills[skill.id] = skill
        return skill

    def unregister(self, skill_id: str) -> None:
        self._skills.pop(skill_id, None)

    @contextmanager
    def added(self, skill: SkillDef) -> Iterator[SkillDef]:
        """``skill`` registered for the duration of the block (extensions, tests)."""
        self.register(skill)
        try:
            yield skill
        finally:
            self.unregister(skill.id)

    def __getitem__(self, skill_id: str) -> SkillDef:
        try:
            return self._skills[skill_id]
        except KeyError:
            raise RegistryError(f"no skill {skill_id!r} in the registry") from None

    def get(self, skill_id: str) -> SkillDef | None:
        return self._skills.get(skill_id)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._skills

    def __iter__(self) -> Iterator[SkillDef]:
        return iter(tuple(self._skills.values()))

    def __len__(self) -> int:
        return len(self._skills)

    def of_agent(self, agent: str) -> tuple[SkillDef, ...]:
        return tuple(s for s in self._skills.values() if s.agent == agent)

    def writes(self) -> tuple[SkillDef, ...]:
        return tuple(s for s in self._skills.values() if s.is_write)

    def ids(self, *, kind: SkillKind | None = None) -> frozenset[str]:
        return frozenset(s.id for s in self._skills.values() if kind in (None, s.kind))

    def agent_of(self, skill_id: str) -> str | None:
        skill = self._skills.get(skill_id)
        return skill.agent if skill else None

    def required_status(self, skill_id: str) -> str | None:
        skill = self._skills.get(skill_id)
        return skill.requires_status if skill else None

    def status_after(self, skill_id: str, current: str) -> str:
        skill = self._skills.get(skill_id)
        return skill.leaves_status if skill and skill.leaves_status else current

    def money(self, skill_id: str) -> MoneyEffect:
        skill = self._skills.get(skill_id)
        return skill.money if skill else MoneyEffect.NONE
