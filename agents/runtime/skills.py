"""Skill: one typed operation of a specialist (pydantic input, a handler, read or write)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agents.runtime.write_scope import MoneyLimits
from protocol.cards import SkillSpec
from protocol.parts import TicketEnvelope
from store import Store, WriteContext

ORDER_ID_PATTERN = r"^#W\d{7}$"
ITEM_ID_PATTERN = r"^\d{10}$"
PAYMENT_METHOD_ID_PATTERN = r"^(credit_card|paypal|gift_card)_\d+$"

OrderId = Annotated[str, Field(pattern=ORDER_ID_PATTERN, description="order id, e.g. #W1234567")]
ItemId = Annotated[str, Field(pattern=ITEM_ID_PATTERN, description="10-digit item (variant) id")]
ProductId = Annotated[str, Field(pattern=ITEM_ID_PATTERN, description="10-digit product id")]
PaymentMethodId = Annotated[
    str,
    Field(
        pattern=PAYMENT_METHOD_ID_PATTERN,
        description="payment method id: credit_card_…, paypal_… or gift_card_… and digits",
    ),
]
ItemIds = Annotated[list[ItemId], Field(min_length=1, max_length=50)]
AddressLine = Annotated[str, Field(max_length=200)]


class Arguments(BaseModel):
    """Base of every skill input: unknown arguments are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class NoArguments(Arguments):
    pass


class OrderRef(Arguments):
    order_id: OrderId


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


def skill_specs(skills: Sequence[Skill]) -> tuple[SkillSpec, ...]:
    return tuple(skill.spec() for skill in skills)
