"""Cross-customer access over the mesh: refused, the data untouched, and logged as refused."""

from __future__ import annotations

from typing import Any

import pytest
from a2a.client import Client

from store import Store
from tests.agents.support import REJECTED, call, result

AVA, LIAM = "ava_moreno_1001", "liam_chen_1002"
ADDRESS = {
    "address1": "1 Intruder Way",
    "address2": "",
    "city": "Nowhere",
    "state": "NV",
    "country": "USA",
    "zip": "89001",
}

# (agent, skill, arguments, error code) — every call is made by AVA on LIAM's data.
ATTEMPTS: list[tuple[str, str, dict[str, Any], str]] = [
    ("orders", "get_order_details", {"order_id": "#W1000004"}, "not_owner"),
    (
        "orders",
        "cancel_pending_order",
        {"order_id": "#W1000004", "reason": "no longer needed"},
        "order_not_owned",
    ),
    (
        "orders",
        "modify_pending_order_address",
        {"order_id": "#W1000005", **ADDRESS},
        "order_not_owned",
    ),
    (
        "orders",
        "return_delivered_order_items",
        {
            "order_id": "#W1000007",
            "item_ids": ["8166808862"],
            "payment_method_id": "credit_card_2179699",
        },
        "order_not_owned",
    ),
    ("orders", "modify_user_address", {"user_id": LIAM, **ADDRESS}, "user_not_owned"),
    (
        "orders",
        "find_item",
        {"product": "T-Shirt", "description": "white", "order_id": "#W1000006"},
        "not_owner",
    ),
    ("billing", "get_receipt", {"order_id": "#W1000004"}, "not_owner"),
    ("billing", "get_refund_status", {"order_id": "#W1000007"}, "not_owner"),
    ("billing", "get_payment_history", {"order_id": "#W1000005"}, "not_owner"),
    (
        "billing",
        "modify_pending_order_payment",
        {"order_id": "#W1000001", "payment_method_id": "gift_card_7312081"},
        "payment_method_not_owned",
    ),
]


@pytest.mark.parametrize(
    ("agent", "skill", "arguments", "code"), ATTEMPTS, ids=[a[1] for a in ATTEMPTS]
)
async def test_cross_customer_access_is_refused_and_logged(
    clients: dict[str, Client],
    demo: Store,
    agent: str,
    skill: str,
    arguments: dict[str, Any],
    code: str,
) -> None:
    before = await demo.export()
    task = await call(clients[agent], skill, arguments, customer=AVA, ticket_id="tk-own")
    assert task.status.state == REJECTED
    outcome = result(task)
    assert (outcome.ok, outcome.error_code, outcome.data) == (False, code, None)
    assert await demo.export() == before
    refused = await demo.action_log(outcome="refused")
    assert [(r["action"], r["customer_id"], r["error_code"]) for r in refused] == [
        (skill, AVA, code)
    ]
    assert refused[0]["ticket_id"] == "tk-own" and refused[0]["task_id"] == task.id


async def test_another_customers_handoff_is_refused_and_logged(
    clients: dict[str, Client], demo: Store
) -> None:
    made = await call(
        clients["escalation"], "transfer_to_human_agents", {"summary": "x"}, customer=LIAM
    )
    handoff_id = int(result(made).data["handoff"]["id"])  # type: ignore[index]
    task = await call(
        clients["escalation"], "get_handoff_status", {"handoff_id": handoff_id}, customer=AVA
    )
    assert task.status.state == REJECTED
    assert result(task).error_code == "not_owner"
    refused = await demo.action_log(outcome="refused", customer_id=AVA)
    assert [r["action"] for r in refused] == ["get_handoff_status"]


async def test_write_without_a_verified_customer_is_refused(
    clients: dict[str, Client], demo: Store
) -> None:
    before = await demo.export()
    task = await call(
        clients["orders"],
        "cancel_pending_order",
        {"order_id": "#W1000004", "reason": "no longer needed"},
        customer=None,
    )
    assert task.status.state == REJECTED
    assert result(task).error_code == "customer_required"
    assert await demo.export() == before
    handoff = await call(
        clients["escalation"], "transfer_to_human_agents", {"summary": "who am I?"}, customer=None
    )
    assert result(handoff).ok
