"""The specialists' cards: the agreed skill ids, typed inputs, examples that route to the skill."""

from __future__ import annotations

import pytest

from agents.billing.agent import SPEC as BILLING
from agents.billing.skills import SKILLS as BILLING_SKILLS
from agents.escalation.agent import SPEC as ESCALATION
from agents.escalation.skills import SKILLS as ESCALATION_SKILLS
from agents.orders.agent import SPEC as ORDERS
from agents.orders.skills import SKILLS as ORDERS_SKILLS
from agents.runtime.free_text import choose_skill
from agents.runtime.skills import Skill
from store.contract import ACTIONS

ADDRESS = ("address1", "address2", "city", "state", "country", "zip")
TAU_ARGUMENTS = {
    "cancel_pending_order": ("order_id", "reason"),
    "modify_pending_order_items": ("order_id", "item_ids", "new_item_ids", "payment_method_id"),
    "modify_pending_order_address": ("order_id", *ADDRESS),
    "modify_pending_order_payment": ("order_id", "payment_method_id"),
    "return_delivered_order_items": ("order_id", "item_ids", "payment_method_id"),
    "exchange_delivered_order_items": ("order_id", "item_ids", "new_item_ids", "payment_method_id"),
    "modify_user_address": ("user_id", *ADDRESS),
    "transfer_to_human_agents": ("summary",),
}
"""The τ-bench retail actions' required arguments (../shared/spec/retail-actions.md)."""

AGREED = {
    "orders": [
        "get_order_details",
        "list_orders",
        "get_product_details",
        "find_item",
        "cancel_pending_order",
        "modify_pending_order_items",
        "modify_pending_order_address",
        "return_delivered_order_items",
        "exchange_delivered_order_items",
        "modify_user_address",
    ],
    "billing": [
        "get_payment_methods",
        "get_payment_history",
        "get_receipt",
        "modify_pending_order_payment",
        "get_refund_status",
        "get_gift_card_balance",
    ],
    "escalation": ["transfer_to_human_agents", "get_handoff_status"],
}
AGENTS = {
    "orders": (ORDERS, ORDERS_SKILLS),
    "billing": (BILLING, BILLING_SKILLS),
    "escalation": (ESCALATION, ESCALATION_SKILLS),
}
ALL = [(agent, skill) for agent, (_, skills) in AGENTS.items() for skill in skills]


@pytest.mark.parametrize("agent", AGREED)
def test_cards_list_the_agreed_skills(agent: str) -> None:
    spec, skills = AGENTS[agent]
    assert [s.id for s in spec.card.skills] == AGREED[agent]
    assert [s.id for s in skills] == AGREED[agent]


@pytest.mark.parametrize(("agent", "skill"), ALL, ids=[s.id for _, s in ALL])
def test_skill_is_described(agent: str, skill: Skill) -> None:
    assert len(skill.examples) >= 2 and skill.description and skill.keywords
    assert len(set(skill.examples)) == len(skill.examples)
    assert skill.spec().tags[0] == skill.kind
    assert (skill.kind == "write") == (skill.id in ACTIONS)


@pytest.mark.parametrize(("agent", "skill"), ALL, ids=[s.id for _, s in ALL])
def test_examples_route_to_their_skill(agent: str, skill: Skill) -> None:
    for example in skill.examples:
        chosen = choose_skill(example, AGENTS[agent][1])
        assert chosen is not None and chosen.id == skill.id, example


@pytest.mark.parametrize("skill", [s for _, s in ALL if s.kind == "write"], ids=lambda s: s.id)
def test_write_skills_take_exactly_the_tau_bench_arguments(skill: Skill) -> None:
    fields = skill.input_model.model_fields
    required, optional = ACTIONS[skill.id]
    assert {name for name, f in fields.items() if f.is_required()} == set(TAU_ARGUMENTS[skill.id])
    assert set(required) == set(TAU_ARGUMENTS[skill.id])
    assert set(fields) <= set(required) | set(optional)
