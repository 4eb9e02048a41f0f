"""Plan checks (router.policy) on the demo customers' data, and in the mesh: a write above the
approval amount is held and handed to a human instead of running."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.triage.customer import customer_from_json
from router.plan import Plan, Step, chain_writes
from router.policy import HANDOFF, PolicySettings, check_plan, write_amount
from store import generate_demo

DEMO = generate_demo()
AVA = customer_from_json(DEMO, "ava_moreno_1001")  # #W1000001 pending, #W1000002 delivered
LIAM = customer_from_json(DEMO, "liam_chen_1002")  # #W1000004-6 pending, #W1000007 delivered


def write(skill: str, **arguments: object) -> Step:
    agent = "escalation" if skill == HANDOFF else "orders"
    return Step.of(agent, skill, arguments, kind="write")


def plan(*steps: Step) -> Plan:
    return Plan(steps=chain_writes(steps))


def cancel(order: str) -> Step:
    return write("cancel_pending_order", order_id=order, reason="no longer needed")


def test_a_clean_plan_passes_unchanged() -> None:
    p = plan(cancel("#W1000004"), cancel("#W1000005"))
    decision = check_plan(p, LIAM, handoff_agent="escalation")
    assert decision.violations == () and decision.plan is p


def test_writes_on_another_customers_order_or_payment_method_are_dropped() -> None:
    foreign_method = next(iter(AVA.payment_methods))
    p = plan(
        cancel("#W1000001"),  # Ava's, asked by Liam
        write(
            "modify_pending_order_payment", order_id="#W1000004", payment_method_id=foreign_method
        ),
        cancel("#W1000005"),
    )
    decision = check_plan(p, LIAM, handoff_agent="escalation")
    assert [(v.rule, v.action) for v in decision.violations] == [("ownership", "drop")] * 2
    assert [s.order_id for s in decision.plan.steps] == ["#W1000005"]
    assert any("not one of your orders" in n for n in decision.plan.notes)


def test_no_verified_customer_means_no_write_but_a_handoff() -> None:
    handoff = write(HANDOFF, summary="help")
    decision = check_plan(plan(cancel("#W1000004"), handoff), None, handoff_agent="escalation")
    assert [s.skill for s in decision.plan.steps] == [HANDOFF]


def test_status_follows_the_plans_earlier_writes() -> None:
    delivered_cancel = cancel("#W1000007")
    items = LIAM.orders["#W1000004"]["items"]
    modify = write(
        "modify_pending_order_items",
        order_id="#W1000004",
        item_ids=[items[0]["item_id"]],
        new_item_ids=[items[0]["item_id"]],
        payment_method_id=next(iter(LIAM.payment_methods)),
    )
    address = write("modify_pending_order_address", order_id="#W1000004", address1="1 Main St")
    decision = check_plan(plan(delivered_cancel, modify, address), LIAM)
    assert {(v.step.skill, v.rule) for v in decision.violations} == {
        ("cancel_pending_order", "status"),
        ("modify_pending_order_address", "status"),  # after the item change: not pending any more
    }
    assert [s.skill for s in decision.plan.steps] == ["modify_pending_order_items"]
    assert decision.plan.steps[0].depends_on == ()


def test_refunds_never_exceed_what_was_paid() -> None:
    order = AVA.orders["#W1000002"]
    item = order["items"][0]["item_id"]
    ok = write("return_delivered_order_items", order_id="#W1000002", item_ids=[item])
    doubled = write("return_delivered_order_items", order_id="#W1000002", item_ids=[item, item])
    assert check_plan(plan(ok), AVA).violations == ()
    (violation,) = check_plan(plan(doubled), AVA).violations
    assert violation.rule == "unknown_item"  # the order holds the item once
    assert write_amount(ok, AVA) == pytest.approx(order["items"][0]["price"])


def test_conflicting_writes_on_one_order_are_held_for_a_human() -> None:
    address = write("modify_pending_order_address", order_id="#W1000004", address1="1 Main St")
    decision = check_plan(plan(address, cancel("#W1000004")), LIAM, handoff_agent="escalation")
    assert {(v.rule, v.action) for v in decision.violations} == {("conflict", "hold")}
    (handoff,) = decision.plan.steps
    assert handoff.skill == HANDOFF and "#W1000004" in handoff.arguments["summary"]


def test_irreversible_writes_beyond_the_limit_are_held() -> None:
    steps = [cancel(o) for o in ("#W1000004", "#W1000005", "#W1000006")]
    settings = PolicySettings(max_irreversible_writes=2)
    decision = check_plan(plan(*steps), LIAM, settings, handoff_agent="escalation")
    assert [(v.step.order_id, v.rule) for v in decision.violations] == [
        ("#W1000006", "irreversible_limit")
    ]
    assert [s.skill for s in decision.plan.steps].count(HANDOFF) == 1


def test_a_write_above_the_approval_amount_is_held_and_merged_into_an_existing_handoff() -> None:
    amount = write_amount(cancel("#W1000004"), LIAM)
    settings = PolicySettings(approval_amount=amount - 1)
    existing = write(HANDOFF, summary="customer asked for a human", reason="asked")
    decision = check_plan(
        plan(cancel("#W1000004"), existing), LIAM, settings, handoff_agent="escalation"
    )
    (held,) = decision.held
    assert held.rule == "approval" and held.amount == pytest.approx(amount)
    (handoff,) = decision.plan.steps
    assert handoff.arguments["summary"].startswith("customer asked for a human | Held for approval")
    assert any("approve" in n for n in decision.plan.notes)


def test_default_limits_leave_tau_train_gold_untouched() -> None:
    from tests.triage.support import tau_data, tau_tasks

    data = tau_data()
    for task in tau_tasks():
        customer = customer_from_json(data, task["user_id"])
        steps = [
            write(a["name"], **a["kwargs"])
            for a in task["actions"]
            if a["name"] != HANDOFF and a["name"] != "modify_user_address"
        ]
        decision = check_plan(plan(*steps), customer, handoff_agent="escalation")
        assert decision.violations == (), (task["user_id"], decision.record())


# -- in the mesh ------------------------------------------------------------------------------


async def test_in_the_mesh_a_large_cancel_is_held_and_escalated(
    nats_url: str, tmp_path: Path
) -> None:
    from agents.triage.agent import build_spec
    from agents.triage.plan_guard import GuardrailSettings
    from deskmesh.ask import ticket_message
    from store import Store
    from tests.guardrails.mesh import mesh_client, reply_data, send

    spec = build_spec(guardrails=GuardrailSettings(approval_amount=10))
    async with mesh_client(nats_url, tmp_path, DEMO, spec) as (triage, url):
        task = await send(
            triage,
            ticket_message("Cancel #W1000005, I ordered it by mistake.", "liam_chen_1002", None),
        )
        data = reply_data(task)
        async with Store(url) as store:
            assert (await store.get_order("#W1000005"))["status"] == "pending"
            handoffs = await store.list_handoffs(ticket_id=task.id)
    assert [a["action"] for a in data["actions"]] == [HANDOFF]
    assert "#W1000005" in data["actions"][0]["arguments"]["summary"]
    assert data["policy"]["violations"][0]["rule"] == "approval"
    assert len(handoffs) == 1
