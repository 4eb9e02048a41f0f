"""The skill registry: every layer reads it, so one entry plus a handler adds a skill.

The new-skill tests register a toy write on orders (``flag_order_for_review``: needs a pending
order, moves no money) and its handler, and change nothing else: the orders card lists it, a
plan step for it is delegated to the orders agent over real NATS, the plan policy checks its
status, and the orders agent's capability gate refuses it without the ticket's capability.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from agents.orders import agent as orders_agent
from agents.orders.skills import HANDLERS as ORDERS_HANDLERS
from agents.runtime.ownership import owned_order
from agents.runtime.skills import SkillContext, SkillOutcome
from agents.triage.capability import CapabilityMinter
from agents.triage.customer import customer_from_json
from domain import SKILLS, MoneyEffect, RegistryError, SkillDef
from domain.arguments import OrderRef
from domain.statuses import PENDING
from protocol.client import create_client_factory
from protocol.discovery import Directory, open_bucket
from protocol.parts import TicketEnvelope
from router.delegate import A2ADelegate, delegation_capability
from router.engine import PlanEngine
from router.plan import Catalog, Plan, Step, validate_plan
from router.policy import check_plan
from store import Store, generate_demo
from store.contract import check_args
from tests.helpers import TEST_CAPABILITY_KEYS, agent_settings, nats_connection, running_agent

DEMO = generate_demo()
LIAM = customer_from_json(DEMO, "liam_chen_1002")  # #W1000004-6 pending, #W1000007 delivered
PENDING_ORDER, DELIVERED_ORDER = "#W1000004", "#W1000007"

TOY = SkillDef(
    id="flag_order_for_review",
    agent="orders",
    kind="write",
    arguments=OrderRef,
    name="Flag an order for review",
    description="Marks a pending order for a colleague's review before it ships.",
    examples=("Please have someone look at #W1000004 before it ships.",),
    reply="flag {order_id} for review",
    llm_arguments="order_id",
    requires_status=PENDING,
    result={"order": dict},
)


async def flag_order(args: OrderRef, ctx: SkillContext) -> SkillOutcome:
    order = await owned_order(ctx, args.order_id)
    return SkillOutcome(data={"order": order}, text=f"{order['order_id']} is flagged.")


@pytest.fixture
def toy_skill() -> Iterator[SkillDef]:
    """The toy entry and its handler, registered for one test (nothing else is changed)."""
    with SKILLS.added(TOY):
        ORDERS_HANDLERS.add(TOY.id, flag_order)
        try:
            yield TOY
        finally:
            ORDERS_HANDLERS.remove(TOY.id)


def toy_step(order_id: str, agent: str = "orders") -> Step:
    return Step.of(agent, TOY.id, {"order_id": order_id}, kind="write")


# ---------------------------------------------------------------- the registry itself


def test_every_write_is_defined_once_with_its_owner_status_and_money() -> None:
    writes = {s.id: s for s in SKILLS.writes()}
    assert len(writes) == 8
    assert writes["cancel_pending_order"].requires_status == "pending"
    assert writes["cancel_pending_order"].leaves_status == "cancelled"
    assert writes["return_delivered_order_items"].money is MoneyEffect.REFUND_ITEMS
    assert writes["modify_pending_order_payment"].agent == "billing"
    assert writes["transfer_to_human_agents"].anonymous
    with pytest.raises(RegistryError):
        SKILLS.register(writes["cancel_pending_order"])


def test_money_effects_compute_refund_and_charge_one_way() -> None:
    assert MoneyEffect.REFUND_PAYMENTS.amounts(paid_cents=500).refund_cents == 500
    move = MoneyEffect.MOVE_PAYMENT.amounts(paid_cents=500)
    assert (move.refund_cents, move.charge_cents, move.net_refund_cents) == (500, 500, 0)
    up = MoneyEffect.SETTLE_DIFFERENCE.amounts(items_cents=1000, new_items_cents=1250)
    down = MoneyEffect.SETTLE_DIFFERENCE.amounts(items_cents=1000, new_items_cents=900)
    assert (up.refund_cents, up.charge_cents) == (0, 250)
    assert (down.refund_cents, down.charge_cents) == (100, 0)
    assert not MoneyEffect.NONE.amounts(paid_cents=500).moved_cents


def test_a_skill_without_a_handler_is_refused_when_its_agent_is_built() -> None:
    with SKILLS.added(TOY), pytest.raises(RegistryError, match="no handler"):
        orders_agent.build_spec()


# ---------------------------------------------------------------- a new skill, no other change


def test_a_registered_skill_is_on_the_card_in_the_catalog_and_in_the_store_contract(
    toy_skill: SkillDef,
) -> None:
    spec = orders_agent.build_spec()
    assert toy_skill.id in {s.id for s in spec.card.skills}
    assert Catalog.from_registry().agent_of(toy_skill.id) == "orders"
    assert check_args(toy_skill.id, {"order_id": PENDING_ORDER}) == {"order_id": PENDING_ORDER}


def test_a_registered_skill_is_policy_checked_by_its_status(toy_skill: SkillDef) -> None:
    catalog = Catalog.from_registry()
    kept = Plan(steps=(toy_step(PENDING_ORDER),))
    validate_plan(kept, catalog)
    assert check_plan(kept, LIAM).violations == ()

    refused = check_plan(Plan(steps=(toy_step(DELIVERED_ORDER),)), LIAM)
    assert [(v.rule, v.action) for v in refused.violations] == [("status", "drop")]
    assert refused.plan.steps == ()
    with pytest.raises(Exception, match="belongs to orders"):
        validate_plan(Plan(steps=(toy_step(PENDING_ORDER, "billing"),)), catalog)


@pytest.fixture
async def orders_with_toy(
    toy_skill: SkillDef, nats_url: str, tmp_path: Path
) -> AsyncIterator[tuple[A2ADelegate, Catalog]]:
    """The orders agent built with the toy skill, on real NATS and SQLite, and the triage's
    delegate and catalog over its live card."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    async with Store(url) as store:
        await store.reset(DEMO)
    prefix = f"reg{uuid.uuid4().hex[:8]}"
    settings = agent_settings(nats_url, tmp_path / "orders", prefix, url)
    async with (
        running_agent(orders_agent.build_spec(), settings),
        nats_connection(nats_url) as nc,
        httpx.AsyncClient(timeout=30) as http,
    ):
        kv = await open_bucket(nc, settings.cards_bucket, ttl_s=settings.card_ttl_s)
        async with Directory(kv) as directory:
            await directory.wait_for({"orders"}, timeout_s=10)
            factory = create_client_factory(nc, httpx_client=http, streaming=False)
            yield A2ADelegate(factory, directory), Catalog.from_cards(directory.cards().values())


async def test_a_registered_skill_is_routed_to_its_agent_and_capability_gated(
    orders_with_toy: tuple[A2ADelegate, Catalog],
) -> None:
    delegate, catalog = orders_with_toy
    assert catalog.agent_of(TOY.id) == "orders" and catalog.is_write(TOY.id)
    plan = Plan(steps=(toy_step(PENDING_ORDER, catalog.agent_of(TOY.id) or ""),))
    validate_plan(plan, catalog)
    plan = check_plan(plan, LIAM).plan
    engine = PlanEngine(delegate)

    ticket = TicketEnvelope(ticket_id="tk-toy-1", customer_id=LIAM.user_id)
    [ungated] = await engine.run(plan, ticket)
    assert ungated.delegation is not None and ungated.delegation.state == "rejected"
    assert ungated.delegation.result is not None
    assert ungated.delegation.result.error_code == "capability_required"

    ticket = TicketEnvelope(ticket_id="tk-toy-2", customer_id=LIAM.user_id)
    token = CapabilityMinter(TEST_CAPABILITY_KEYS).mint(plan, ticket.ticket_id, LIAM)
    with delegation_capability(token):
        [done] = await engine.run(plan, ticket)
    assert done.status == "done", done.reason
    assert done.delegation is not None and done.delegation.agent == "orders"
    assert done.delegation.result is not None
    assert done.delegation.result.data["order"]["order_id"] == PENDING_ORDER
