"""20 concurrent duplicates of one refund-bearing write over the mesh have one effect."""

from __future__ import annotations

import asyncio

from a2a.client import Client
from google.protobuf.json_format import MessageToDict

from store import Store
from tests.agents.support import COMPLETED, call, result, text

LIAM = "liam_chen_1002"
DUPLICATES = 20


async def test_concurrent_duplicate_cancellations_refund_once(
    clients: dict[str, Client], demo: Store
) -> None:
    # #W1000004 was paid 198.71 with Liam's gift card (balance 96.00): a cancellation refunds
    # the gift card at once, so a second effect would show in the balance and the history.
    before = await demo.get_payment_method(LIAM, "gift_card_7312081")
    assert before is not None and before["balance"] == 96.0
    args = {"order_id": "#W1000004", "reason": "no longer needed"}
    tasks = await asyncio.gather(
        *(
            call(
                clients["orders"],
                "cancel_pending_order",
                args,
                customer=LIAM,
                ticket_id="tk-dup",
                step="s1",
            )
            for _ in range(DUPLICATES)
        )
    )
    assert len({t.id for t in tasks}) == DUPLICATES  # twenty distinct A2A tasks
    assert all(t.status.state == COMPLETED for t in tasks), [text(t) for t in tasks]
    results = [MessageToDict(t.artifacts[0].parts[0].data) for t in tasks]
    assert all(r == results[0] for r in results)
    assert len({text(t) for t in tasks}) == 1

    order = await demo.get_order("#W1000004")
    assert order is not None and order["status"] == "cancelled"
    refunds = [e for e in order["payment_history"] if e["transaction_type"] == "refund"]
    assert refunds == [
        {"transaction_type": "refund", "amount": 198.71, "payment_method_id": "gift_card_7312081"}
    ]
    after = await demo.get_payment_method(LIAM, "gift_card_7312081")
    assert after is not None and after["balance"] == 294.71
    log = await demo.action_log(ticket_id="tk-dup")
    assert [(e["idempotency_key"], e["outcome"]) for e in log] == [("tk-dup:s1", "ok")]
    assert result(tasks[0]).data["refunds"] == refunds  # type: ignore[index]

    # A later retry of the same step (another delegation attempt) replays the same result.
    retry = await call(
        clients["orders"],
        "cancel_pending_order",
        args,
        customer=LIAM,
        ticket_id="tk-dup",
        step="s1",
    )
    assert retry.status.state == COMPLETED
    assert MessageToDict(retry.artifacts[0].parts[0].data) == results[0]
    assert (await demo.get_payment_method(LIAM, "gift_card_7312081"))["balance"] == 294.71  # type: ignore[index]
