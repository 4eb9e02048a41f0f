"""From an Understanding and the customer's data to delegation steps or one question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agents.triage.understanding import Understanding
from protocol.parts import SkillCall


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    agent: str
    call: SkillCall


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[Step, ...] = ()
    question: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def plan_ticket(
    understanding: Understanding,
    *,
    text: str,
    customer_id: str | None,
    orders: list[dict[str, Any]],
) -> Plan:
    steps: list[Step] = []
    notes: list[str] = []
    for intent in understanding.intents:
        if intent == "order_status":
            order_ids = list(understanding.order_ids)
            if not order_ids:
                if len(orders) == 1:
                    order_ids = [orders[0]["order_id"]]
                else:
                    return Plan(question=_which_order(orders, customer_id))
            steps += [
                Step(
                    f"s{len(steps) + i + 1}",
                    "orders",
                    SkillCall(skill="get_order_details", arguments={"order_id": order_id}),
                )
                for i, order_id in enumerate(order_ids)
            ]
        elif intent == "payment_methods":
            if customer_id is None:
                notes.append("Payment methods can only be shown to a verified customer.")
                continue
            steps.append(
                Step(f"s{len(steps) + 1}", "billing", SkillCall(skill="get_payment_methods"))
            )
        elif intent == "handoff":
            priority = "urgent" if understanding.urgent else "normal"
            steps.append(
                Step(
                    f"s{len(steps) + 1}",
                    "escalation",
                    SkillCall(
                        skill="transfer_to_human_agents",
                        arguments={
                            "summary": text[:4000],
                            "reason": "customer asked for a human",
                            "priority": priority,
                        },
                    ),
                )
            )
    return Plan(steps=tuple(steps), notes=tuple(notes))


def _which_order(orders: list[dict[str, Any]], customer_id: str | None) -> str:
    if customer_id is None or not orders:
        return "Which order is this about? Please give the order id (it looks like #W1234567)."
    candidates = "; ".join(
        f"{o['order_id']} ({o['status']}: {', '.join(i['name'] for i in o['items'])})"
        for o in orders
    )
    return f"Which order do you mean? Your orders: {candidates}. Please reply with the order id."
