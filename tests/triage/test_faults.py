"""Honest outcomes on an in-process mesh (issue 14): a specialist that is away fails the ticket
(never completed), the reply says what ran and what did not, a human gets the ticket, and the
fault is counted; a specialist never seen, or an oversized ticket, is a clear error at once."""

from __future__ import annotations

from pathlib import Path

from a2a.helpers import get_message_text
from a2a.types import TaskState

from agents.triage.agent import build_spec
from agents.triage.settings import TriageSettings
from deskmesh.ask import ticket_message
from store import Store, generate_demo
from tests.guardrails.mesh import in_process_mesh, reply_data, send

CUSTOMER = "ava_moreno_1001"
CANCEL = "Please cancel my order #W1000001 because I no longer need it."


def _degraded(service: object, reason: str) -> float:
    registry = service.metrics.registry  # type: ignore[attr-defined]
    labels = {"agent": "triage", "reason": reason}
    return registry.get_sample_value("deskmesh_degraded_tickets_total", labels) or 0.0


async def test_a_write_whose_specialist_is_gone_fails_and_goes_to_a_human(
    nats_url: str, tmp_path: Path
) -> None:
    triage = build_spec(TriageSettings(step_timeout_s=2, step_attempts=1))
    async with in_process_mesh(nats_url, tmp_path, generate_demo(), triage) as mesh:
        await mesh.services["orders"].__aexit__(None, None, None)  # withdraws its card
        task = await send(mesh.triage, ticket_message(CANCEL, CUSTOMER, None))
        async with Store(mesh.store_url) as store:
            order = await store.get_order("#W1000001")
            handoffs = await store.list_handoffs(ticket_id=task.id)
        not_done = _degraded(mesh.services["triage"], "not_done")
    assert task.status.state == TaskState.TASK_STATE_FAILED
    assert order is not None and order["status"] == "pending"
    outcome = reply_data(task)["outcome"]
    assert outcome["state"] == "failed" and outcome["humanHasIt"] is True
    assert [(s["agent"], s["skill"]) for s in outcome["notRun"]] == [
        ("orders", "cancel_pending_order")
    ]
    assert outcome["handoff"]["agent"] == "escalation"
    assert len(handoffs) == 1 and "cancel_pending_order" in handoffs[0]["summary"]
    text = get_message_text(task.status.message)
    assert "A human colleague has this ticket" in text
    assert not_done == 1


async def test_a_specialist_never_seen_fails_the_ticket_instead_of_shrinking_the_catalog(
    nats_url: str, tmp_path: Path
) -> None:
    triage = build_spec(
        TriageSettings(expected_agents="billing,orders,escalation,warehouse", specialist_wait_s=0.5)
    )
    async with in_process_mesh(nats_url, tmp_path, generate_demo(), triage) as mesh:
        task = await send(mesh.triage, ticket_message(CANCEL, CUSTOMER, None))
        async with Store(mesh.store_url) as store:
            order = await store.get_order("#W1000001")
        missing = _degraded(mesh.services["triage"], "missing_specialist")
    assert task.status.state == TaskState.TASK_STATE_FAILED
    assert "warehouse" in get_message_text(task.status.message)
    assert order is not None and order["status"] == "pending"
    assert missing == 1


async def test_an_oversized_ticket_is_rejected_before_it_is_read(
    nats_url: str, tmp_path: Path
) -> None:
    triage = build_spec(TriageSettings(max_ticket_chars=200))
    async with in_process_mesh(nats_url, tmp_path, generate_demo(), triage) as mesh:
        text = CANCEL + " More about it." * 20
        task = await send(mesh.triage, ticket_message(text, CUSTOMER, None))
        async with Store(mesh.store_url) as store:
            order = await store.get_order("#W1000001")
        ordinary = await send(
            mesh.triage, ticket_message("Where is my order #W1000002?", CUSTOMER, None)
        )
    assert task.status.state == TaskState.TASK_STATE_REJECTED
    assert "the limit is 200" in get_message_text(task.status.message)
    assert order is not None and order["status"] == "pending"
    assert ordinary.status.state == TaskState.TASK_STATE_COMPLETED
