"""What one request resolves to, and the small builders every resolver shares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from router.plan import Step


@dataclass(slots=True)
class Resolution:
    """What one request turned into."""

    steps: list[Step] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    escalation: str | None = None


def out_of_policy(
    res: Resolution, why: str, read: tuple[str, Mapping[str, Any]] | None = None
) -> None:
    """Explain, escalate, and (``read``) show the customer the record the refusal is about."""
    res.notes.append(f"I can't do that: {why}.")
    res.escalation = f"out of policy: {why}"
    if read is not None:
        res.steps.append(Step.of("", read[0], dict(read[1])))


def order_details_read(order: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    return ("get_order_details", {"order_id": order["order_id"]})


def payment_read(order: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    return ("get_payment_history", {"order_id": order["order_id"]})


def find_item_step(product_id: str, text: str, order: Mapping[str, Any] | None) -> Step:
    """Ask the orders agent what is available of a product (for the order, when it holds it)."""
    arguments: dict[str, Any] = {"product": product_id, "description": text[:500]}
    if order is not None and any(i["product_id"] == product_id for i in order["items"]):
        arguments["order_id"] = order["order_id"]
    return Step.of("", "find_item", arguments)


def write_step(skill: str, arguments: Mapping[str, Any]) -> Step:
    """A write of ``skill`` (its agent is bound by the planner from the live catalog)."""
    return Step.of("", skill, dict(arguments), kind="write")
