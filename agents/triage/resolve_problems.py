"""Delivery problems a customer reports: an order that is marked delivered but did not arrive,
or an item that arrived damaged. No skill can settle these (a colleague checks with the carrier
or decides on a replacement), so the request becomes a handoff carrying the facts — which order,
its status, which items — and no other write. An order that has not been delivered yet is only
late: the customer gets its status instead."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from agents.triage.customer import CustomerData
from agents.triage.item_choice import item_matches
from agents.triage.resolution import Resolution
from agents.triage.understanding import Request
from router.plan import Step

PROBLEM_TEXT: Mapping[str, str] = {
    "damaged": "arrived damaged",
    "not_received": "marked delivered but not received",
}
"""How each delivery problem is described to the colleague."""
_ABOUT_A_DELIVERY = re.compile(
    r"\b(?:orders?|package|parcel|delivery|delivered|shipment|arrived|received|recieved)\b",
    re.IGNORECASE,
)
"""A problem report is about something the customer ordered (not "my phone is broken")."""


def is_problem_report(request: Request, write: bool) -> bool:
    """Whether ``request`` reports a delivery problem and asks for nothing the skills can do
    (an explicit return or exchange of the damaged item is resolved as that write)."""
    e = request.entities
    if write or not (e.order_ids or e.items or _ABOUT_A_DELIVERY.search(request.text)):
        return False
    if "cancelled" in e.statuses:
        return False  # "why did my orders get cancelled? I never asked": nothing was to arrive
    return e.problem is not None


def resolve_problem(request: Request, customer: CustomerData, res: Resolution) -> None:
    """A handoff with the facts, or (an order not delivered yet) its status."""
    e = request.entities
    orders = _orders(request, customer)
    if len(orders) == 1 and orders[0]["status"] in ("pending", "processed"):
        # "Never arrived" about an order still on its way: it is late, not lost.
        res.steps.append(Step.of("", "get_order_details", {"order_id": orders[0]["order_id"]}))
        return
    kind = PROBLEM_TEXT.get(e.problem or "", e.problem or "problem")
    facts = [_describe(o, e.items) for o in orders[:3]] or ["order not identified"]
    res.escalation = f"delivery problem, {kind}: " + "; ".join(facts)
    for order in orders[:1]:
        res.steps.append(Step.of("", "get_order_details", {"order_id": order["order_id"]}))


def _orders(request: Request, customer: CustomerData) -> list[Mapping[str, Any]]:
    e = request.entities
    if e.order_ids:
        return [customer.orders[o] for o in e.order_ids if o in customer.orders]
    candidates = customer.orders_with_status("delivered", "processed", "pending")
    if e.items:
        named = [
            o for o in candidates if any(item_matches(i, m) for m in e.items for i in o["items"])
        ]
        candidates = named or candidates
    if len(candidates) == 1:
        return candidates
    return [o for o in candidates if o["status"] == "delivered"]


def _describe(order: Mapping[str, Any], mentions: Sequence[Any]) -> str:
    names = [m.name for m in mentions if any(i["name"] == m.name for i in order["items"])]
    what = ", ".join(dict.fromkeys(names)) or ", ".join(i["name"] for i in order["items"])
    return f"{order['order_id']} ({order['status']}; {what})"
