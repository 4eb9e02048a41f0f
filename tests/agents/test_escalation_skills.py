"""The escalation skills over the NATS binding, and the priority derived from a summary."""

from __future__ import annotations

import pytest
from a2a.client import Client

from agents.escalation.priority import derive_priority
from store import Store
from tests.agents.support import COMPLETED, REJECTED, call, result, text

AVA, LIAM = "ava_moreno_1001", "liam_chen_1002"


@pytest.fixture
def escalation(clients: dict[str, Client]) -> Client:
    return clients["escalation"]


@pytest.mark.parametrize(
    ("summary", "priority"),
    [
        ("Customer wants to change the delivery date; no rush.", "low"),
        ("Customer asks about a product that we do not carry.", "normal"),
        ("Customer is angry, the parcel is late again.", "high"),
        ("I need this fixed immediately, it is unacceptable and ridiculous!!", "urgent"),
        ("Someone made unauthorized charges on my card.", "urgent"),
        ("WHY IS MY ORDER STILL NOT HERE", "high"),
    ],
)
def test_derive_priority(summary: str, priority: str) -> None:
    assert derive_priority(summary) == priority


async def test_transfer_to_human_agents(escalation: Client, demo: Store) -> None:
    summary = "Customer is furious: the order arrived broken twice and wants a manager."
    task = await call(
        escalation, "transfer_to_human_agents", {"summary": summary}, customer=AVA, step="s1"
    )
    assert task.status.state == COMPLETED
    handoff = result(task).data["handoff"]  # type: ignore[index]
    handoff["id"] = int(handoff["id"])  # a data part is a protobuf Struct: numbers are floats
    assert (handoff["priority"], handoff["user_id"], handoff["status"]) == ("high", AVA, "open")
    assert handoff["reason"] == "customer asked for a human"
    assert (
        text(task) == f"A human colleague will take over (handoff {handoff['id']}, priority high)."
    )
    stored = await demo.get_handoff(handoff["id"])
    assert stored is not None and stored["summary"] == summary
    explicit = {
        "summary": "Policy exception requested.",
        "reason": "out of policy",
        "priority": "low",
    }
    task = await call(escalation, "transfer_to_human_agents", explicit, customer=AVA)
    assert result(task).data["handoff"]["priority"] == "low"  # type: ignore[index]
    bad = {"summary": "help", "priority": "critical"}
    task = await call(escalation, "transfer_to_human_agents", bad, customer=AVA)
    assert task.status.state == REJECTED
    assert result(task).error_code == "invalid_arguments"
    assert len(await demo.list_handoffs()) == 2


async def test_get_handoff_status(escalation: Client, demo: Store) -> None:
    task = await call(escalation, "get_handoff_status", {}, customer=AVA)
    assert task.status.state == REJECTED
    assert result(task).error_code == "handoff_not_found"
    first = await call(escalation, "transfer_to_human_agents", {"summary": "a"}, customer=AVA)
    second = await call(escalation, "transfer_to_human_agents", {"summary": "b"}, customer=AVA)
    latest = int(result(second).data["handoff"]["id"])  # type: ignore[index]
    task = await call(escalation, "get_handoff_status", {}, customer=AVA)
    assert task.status.state == COMPLETED
    assert result(task).data["handoff"]["id"] == latest  # type: ignore[index]
    assert text(task) == f"Handoff {latest} (normal priority) is waiting for a colleague."
    earlier = int(result(first).data["handoff"]["id"])  # type: ignore[index]
    await demo.set_handoff_status(earlier, "claimed")
    task = await call(escalation, "get_handoff_status", {"handoff_id": earlier}, customer=AVA)
    assert "is being handled by a colleague" in text(task)
    task = await call(escalation, "get_handoff_status", {"handoff_id": earlier}, customer=LIAM)
    assert task.status.state == REJECTED
    assert result(task).error_code == "not_owner"
