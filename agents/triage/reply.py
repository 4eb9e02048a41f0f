"""The customer-facing reply and the structured record of a ticket turn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from router.engine import StepOutcome
from router.plan import Plan

HELP_TEXT = (
    "I can check an order's status, cancel or change pending orders, return or exchange "
    "delivered items, show your payment methods and invoices, or pass you to a human colleague. "
    "What can I do for you?"
)
_VERBS = {
    "cancel_pending_order": "cancel {order_id}",
    "modify_pending_order_items": "change the items of {order_id}",
    "exchange_delivered_order_items": "exchange items of {order_id}",
    "return_delivered_order_items": "return items of {order_id}",
    "modify_pending_order_address": "change the address of {order_id}",
    "modify_pending_order_payment": "change the payment of {order_id}",
    "modify_user_address": "change your default address",
    "transfer_to_human_agents": "pass you to a human colleague",
}


def describe(outcome: StepOutcome) -> str:
    step = outcome.step
    template = _VERBS.get(step.skill)
    if template is None:
        return f"{step.skill.replace('_', ' ')}" + (
            f" for {step.order_id}" if step.order_id else ""
        )
    return template.format(order_id=step.order_id or "the order")


def compose(plan: Plan, outcomes: Sequence[StepOutcome]) -> str:
    sentences: list[str] = []
    for o in outcomes:
        if o.status == "done":
            sentences.append(o.text or f"Done: {describe(o)}.")
        elif o.status == "needs_input":
            continue
        else:
            sentences.append(f"I could not {describe(o)}: {o.reason.rstrip('.')}.")
    sentences.extend(plan.notes)
    if not sentences:
        sentences.append(HELP_TEXT)
    return " ".join(s for s in sentences if s)


def specialist_questions(outcomes: Sequence[StepOutcome]) -> list[str]:
    return [o.text or o.reason for o in outcomes if o.status == "needs_input"]


def record(outcome: StepOutcome) -> dict[str, Any]:
    step, d = outcome.step, outcome.delegation
    entry: dict[str, Any] = {
        "agent": step.agent,
        "skill": step.skill,
        "arguments": dict(step.arguments),
        "step": step.id,
        "depends_on": list(step.depends_on),
        "status": outcome.status,
        "ok": outcome.status == "done",
    }
    if d is not None:
        entry |= {
            "task_id": d.task_id,
            "state": d.state,
            "data": d.result.data if d.result else None,
        }
    if outcome.reason:
        entry["reason"] = outcome.reason
    return entry


def actions(outcomes: Sequence[StepOutcome], ticket_id: str) -> list[dict[str, Any]]:
    """The writes that were carried out, in plan order."""
    return [
        {
            "agent": o.step.agent,
            "action": o.step.skill,
            "arguments": dict(o.step.arguments),
            "step": o.step.id,
            "idempotency_key": o.step.idempotency_key(ticket_id),
        }
        for o in outcomes
        if o.step.kind == "write" and o.status == "done"
    ]
