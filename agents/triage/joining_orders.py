"""The ticket's only order for the requests that name none ("For #W…: ship it to … and pay
with PayPal instead"), unless a request points elsewhere ("and from my old order that
arrived, the black toothbrush …")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from agents.triage.customer import CustomerData
from agents.triage.joining import guessed_from_little

if TYPE_CHECKING:
    from agents.triage.understanding import Request

_ORDER_SCOPED = frozenset(
    {
        "get_order_details",
        "get_receipt",
        "get_refund_status",
        "cancel_pending_order",
        "modify_pending_order_items",
        "exchange_delivered_order_items",
        "return_delivered_order_items",
        "modify_pending_order_address",
        "modify_pending_order_payment",
    }
)


def with_ticket_orders(requests: Sequence[Request], customer: CustomerData | None) -> list[Request]:
    """Requests that name no order use the ticket's only order id, when it names exactly one
    ("For #W…: ship it to … and pay with PayPal instead")."""
    ids = {o for r in requests for o in r.entities.order_ids}
    if len(ids) != 1:
        return list(requests)
    (only,) = ids
    out: list[Request] = []
    for r in requests:
        e = r.entities
        gives_reason = r.label == "cancel_pending_order" and e.reason is not None
        bare = not (e.names_something or gives_reason)
        if bare and r.label in _ORDER_SCOPED and any(o.label == r.label for o in out):
            continue  # "… I won't be home at the old address": the same request again
        if (
            r.label in _ORDER_SCOPED
            and not r.entities.order_ids
            and not r.entities.others
            and not guessed_from_little(r)  # "Please just process it.": no read of its own
            and not _points_elsewhere(r, customer.orders.get(only) if customer else None)
        ):
            r = replace(r, entities=replace(r.entities, order_ids=(only,)))
        out.append(r)
    return out


_ANOTHER_ORDER = re.compile(
    r"\b(?:another|other|different|old|older|previous|earlier|second|separate)\s+"
    r"(?:order|purchase|package|shipment|delivery)\b",
    re.IGNORECASE,
)
_STATUSES_OF_HINT = {"pending": ("pending",), "delivered": ("delivered",)}


def _points_elsewhere(request: Request, order: Mapping[str, Any] | None) -> bool:
    """The request is about another order than the ticket's only one: it says so ("my other
    order"), none of the products it names is in that order, or what it says of its order's
    state ("the one that arrived") is not that order's status."""
    e = request.entities
    if _ANOTHER_ORDER.search(request.text):
        return True
    if order is None:
        return False
    held = {item.get("name") for item in order.get("items", ())}
    if e.items and not any(m.name in held for m in e.items):
        return True
    statuses = _STATUSES_OF_HINT.get(e.status_hint or "")
    return bool(statuses) and not str(order.get("status", "")).startswith(statuses)
