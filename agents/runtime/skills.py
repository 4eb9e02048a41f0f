"""Skill: one typed operation of a specialist (pydantic input, a handler, read or write)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from agents.runtime.write_scope import MoneyLimits
from domain import SKILLS, RegistryError, SkillDef, SkillRegistry
from domain.arguments import (  # noqa: F401  (the skills' argument types, re-exported)
    ITEM_ID_PATTERN,
    ORDER_ID_PATTERN,
    PAYMENT_METHOD_ID_PATTERN,
    AddressLine,
    Arguments,
    ItemId,
    ItemIds,
    NoArguments,
    OrderId,
    OrderRef,
    PaymentMethodId,
    ProductId,
)
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
    limits: MoneyLimits | None = None
    """The ticket capability's money limits for a write (None: none to keep)."""

    def write_context(self) -> WriteContext:
        """The store's write context. The idempotency key is the ticket step's; a request
        without a ticket (a third-party agent) is keyed by its A2A task, so a retried follow-up
        on the same task cannot write twice."""
        key = self.ticket.idempotency_key if self.ticket else f"task:{self.task_id}"
        return WriteContext(
            customer_id=self.customer_id,
            ticket_id=self.ticket.ticket_id if self.ticket else None,
            task_id=self.task_id,
            idempotency_key=key,
            max_refund_cents=self.limits.max_refund_cents if self.limits else None,
            max_charge_cents=self.limits.max_charge_cents if self.limits else None,
        )


SkillHandler = Callable[[Any, SkillContext], Awaitable[SkillOutcome]]
FreeTextHook = Callable[[str, Any, dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Skill:
    """A registry entry bound to the handler that carries it out in one agent."""

    id: str
    name: str
    description: str
    kind: Literal["read", "write"]
    input_model: type[BaseModel]
    handler: SkillHandler
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    """Words or phrases that point a free-text request at this skill (matched at word starts)."""
    order_statuses: tuple[str, ...] = ()
    """Order statuses the skill works on; free text offers only such orders as candidates."""
    action: str = ""
    """The verb phrase a question uses ("cancel the order"); default: the name."""
    free_text_hook: FreeTextHook | None = None
    """Extra free-text understanding: (text, resolver, arguments so far) -> arguments."""
    anonymous: bool = False
    """A write that may run without a verified customer (only a handoff to a human)."""

    @classmethod
    def bind(
        cls, definition: SkillDef, handler: SkillHandler, hook: FreeTextHook | None = None
    ) -> Skill:
        return cls(
            id=definition.id,
            name=definition.name,
            description=definition.description,
            kind=definition.kind,
            input_model=definition.arguments,
            handler=handler,
            examples=definition.examples,
            keywords=definition.keywords,
            order_statuses=definition.order_statuses,
            action=definition.action,
            free_text_hook=hook,
            anonymous=definition.anonymous,
        )

    def spec(self) -> SkillSpec:
        return SkillSpec(
            id=self.id,
            name=self.name,
            description=self.description,
            tags=(self.kind, *self.id.split("_")[:1]),
            examples=self.examples,
        )

    @property
    def verb(self) -> str:
        return self.action or self.name[:1].lower() + self.name[1:]


class Handlers:
    """One agent's skill handlers by skill id; the registry says what each skill is.

    ``skills()`` binds every registry entry the agent owns to its handler, and refuses an
    entry without one (a skill on the card must be able to run).
    """

    def __init__(self, agent: str) -> None:
        self.agent = agent
        self._handlers: dict[str, SkillHandler] = {}
        self._hooks: dict[str, FreeTextHook] = {}

    def handles(
        self, skill_id: str, *, free_text: FreeTextHook | None = None
    ) -> Callable[[SkillHandler], SkillHandler]:
        """Decorator: the function carries out ``skill_id``."""

        def register(handler: SkillHandler) -> SkillHandler:
            self.add(skill_id, handler, free_text=free_text)
            return handler

        return register

    def add(
        self, skill_id: str, handler: SkillHandler, *, free_text: FreeTextHook | None = None
    ) -> None:
        if skill_id in self._handlers:
            raise RegistryError(f"{self.agent} has two handlers for {skill_id!r}")
        self._handlers[skill_id] = handler
        if free_text is not None:
            self._hooks[skill_id] = free_text

    def remove(self, skill_id: str) -> None:
        self._handlers.pop(skill_id, None)
        self._hooks.pop(skill_id, None)

    def skills(self, registry: SkillRegistry = SKILLS) -> tuple[Skill, ...]:
        bound = []
        for definition in registry.of_agent(self.agent):
            handler = self._handlers.get(definition.id)
            if handler is None:
                raise RegistryError(f"{self.agent} has no handler for {definition.id!r}")
            bound.append(Skill.bind(definition, handler, self._hooks.get(definition.id)))
        return tuple(bound)

    @property
    def table(self) -> Mapping[str, SkillHandler]:
        return dict(self._handlers)


def skill_specs(skills: Sequence[Skill]) -> tuple[SkillSpec, ...]:
    return tuple(skill.spec() for skill in skills)
