"""router.plan.validate_plan and chain_writes on the catalog of the real agent cards."""

from __future__ import annotations

import pytest

from router.plan import Plan, PlanError, Step, chain_writes, levels, validate_plan
from tests.triage.support import catalog

CATALOG = catalog()


def read(skill: str, agent: str, **arguments: object) -> Step:
    return Step.of(agent, skill, arguments)


def write(
    skill: str, agent: str = "orders", *, after: tuple[Step, ...] = (), **args: object
) -> Step:
    return Step.of(agent, skill, args, kind="write", depends_on=[s.id for s in after])


def rejected(plan: Plan) -> str:
    with pytest.raises(PlanError) as caught:
        validate_plan(plan, CATALOG)
    return caught.value.code


def test_a_chained_multi_agent_plan_is_valid() -> None:
    status = read("get_order_details", "orders", order_id="#W1000001")
    methods = read("get_payment_methods", "billing")
    address = write("modify_pending_order_address", order_id="#W1000001", zip="10001")
    cancel = write("cancel_pending_order", order_id="#W1000001", after=(address,), reason="x")
    plan = Plan(steps=(status, methods, address, cancel))
    validate_plan(plan, CATALOG)
    assert [[s.skill for s in wave] for wave in levels(plan.steps)] == [
        ["get_order_details", "get_payment_methods", "modify_pending_order_address"],
        ["cancel_pending_order"],
    ]


def test_a_cycle_is_rejected() -> None:
    a = Step("a", "orders", "get_order_details", {"order_id": "#W1"}, ("b",))
    b = Step("b", "billing", "get_payment_methods", {}, ("a",))
    assert rejected(Plan(steps=(a, b))) == "cycle"


def test_an_unknown_dependency_is_rejected() -> None:
    a = Step("a", "orders", "get_order_details", {"order_id": "#W1"}, ("nowhere",))
    assert rejected(Plan(steps=(a,))) == "unknown_dependency"


def test_a_skill_no_live_agent_offers_is_rejected() -> None:
    assert rejected(Plan(steps=(read("refund_everything", "billing"),))) == "unknown_skill"


def test_a_skill_on_the_wrong_agent_is_rejected() -> None:
    assert rejected(Plan(steps=(read("get_order_details", "billing", order_id="#W1"),))) == (
        "wrong_agent"
    )


@pytest.mark.parametrize(
    ("step", "why"),
    [
        (Step.of("orders", "cancel_pending_order", {"order_id": "#W1"}, kind="read"), "write"),
        (Step.of("orders", "get_order_details", {"order_id": "#W1"}, kind="write"), "read"),
    ],
)
def test_a_read_write_kind_mismatch_is_rejected(step: Step, why: str) -> None:
    assert rejected(Plan(steps=(step,))) == "kind_mismatch"


def test_unchained_writes_on_one_order_are_rejected() -> None:
    address = write("modify_pending_order_address", order_id="#W1000001", zip="10001")
    cancel = write("cancel_pending_order", order_id="#W1000001", reason="x")
    assert rejected(Plan(steps=(address, cancel))) == "unchained_writes"
    # chained against the plan's order is not enough: the later write must follow the earlier
    backwards = write("cancel_pending_order", order_id="#W1000001", reason="x")
    first = write("modify_pending_order_address", order_id="#W1000001", after=(backwards,))
    assert rejected(Plan(steps=(first, backwards))) == "unchained_writes"
    validate_plan(Plan(steps=chain_writes([address, cancel])), CATALOG)


def test_two_item_changes_on_one_order_are_rejected() -> None:
    args = {"order_id": "#W1000001", "payment_method_id": "credit_card_1"}
    one = write("modify_pending_order_items", item_ids=["1"], new_item_ids=["2"], **args)
    two = write(
        "modify_pending_order_items", after=(one,), item_ids=["3"], new_item_ids=["4"], **args
    )
    assert rejected(Plan(steps=(one, two))) == "two_item_changes"


def test_too_many_writes_are_rejected() -> None:
    writes = [write("cancel_pending_order", order_id=f"#W{n:07d}", reason="x") for n in range(13)]
    assert rejected(Plan(steps=tuple(writes))) == "too_many_writes"
    validate_plan(Plan(steps=tuple(writes[:12])), CATALOG)


def test_duplicate_steps_are_rejected() -> None:
    step = read("get_order_details", "orders", order_id="#W1000001")
    assert rejected(Plan(steps=(step, step))) == "duplicate_step"


def test_writes_on_one_gift_card_are_chained_in_order() -> None:
    one = write("modify_pending_order_items", order_id="#W1", payment_method_id="gift_card_1")
    other = write("cancel_pending_order", order_id="#W2", reason="x")
    two = write("modify_pending_order_items", order_id="#W3", payment_method_id="gift_card_1")
    chained = chain_writes(
        [one, other, two], lambda s: {str(s.arguments.get("payment_method_id", ""))} - {""}
    )
    assert [s.depends_on for s in chained] == [(), (), (one.id,)]
