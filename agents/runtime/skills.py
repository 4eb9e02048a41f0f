"""Skill: one typed operation of a specialist (pydantic input, a handler, read or write)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from protocol.cards import SkillSpec
from protocol.parts import TicketEnvelope
from store import Store, WriteContext


@dataclass(frozen=True, slots=True)
class SkillOutcome:
    """What a skill hands back: structured data plus a sentence for people."""

    data: dict[str, Any]
    text: str


@dataclass(frozen=True, slots=True)
class SkillContext:
    """Who a skill runs for. ``customer_id`` is the verified customer; None means unknown."""

    store: Store
    customer_id: str | None
    ticket: TicketEnvelope | None
    task_id: str

    def write_context(self) -> WriteContext:
        return WriteContext(
            customer_id=self.customer_id,
            ticket_id=self.ticket.ticket_id if self.ticket else None,
            task_id=self.task_id,
            idempotency_key=self.ticket.idempotency_key if self.ticket else None,
        )


SkillHandler = Callable[[Any, SkillContext], Awaitable[SkillOutcome]]


@dataclass(frozen=True, slots=True)
class Skill:
    id: str
    name: str
    description: str
    kind: Literal["read", "write"]
    input_model: type[BaseModel]
    handler: SkillHandler
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    """Words that point a free-text request at this skill."""

    def spec(self) -> SkillSpec:
        return SkillSpec(
            id=self.id,
            name=self.name,
            description=self.description,
            tags=(self.kind, *self.id.split("_")[:1]),
            examples=self.examples,
        )


def skill_specs(skills: Sequence[Skill]) -> tuple[SkillSpec, ...]:
    return tuple(skill.spec() for skill in skills)
