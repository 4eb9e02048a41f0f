"""Closed-world targeting: which of the customer's orders, items and payment methods a request
acts on. Each function either returns its candidates, or leaves a question (several truly fit)
or a note (none fits) on the ``Resolution``."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from agents.triage import clarify
from agents.triage.customer import CustomerData
from agents.triage.item_choice import best_item_matches, covering, has_items
from agents.triage.resolution import Resolution, order_details_read, out_of_policy
from agents.triage.understanding import Request


def orders_for(
    request: Request,
    customer: CustomerData,
    res: Resolution,
    *,
    statuses: tuple[str, ...] = (),
    purpose: str,
    single: bool = False,
    ruled_out: Collection[str] = (),
) -> list[Mapping[str, Any]]:
    """The orders a request acts on: the ones it names, else the one its items, status words or
    size pick among those in ``statuses``; ``ruled_out``: ids it cannot mean."""
    explicit = request.entities.order_ids
    if explicit:
        found = [customer.orders[o] for o in explicit if o in customer.orders]
        missing = [o for o in explicit if o not in customer.orders]
        if missing:
            res.notes.append(
                f"I could not find {', '.join(missing)} among your orders, so I left it alone."
            )
        return found[:1] if single else found
    candidates = customer.orders_with_status(*statuses)
    if request.entities.statuses:
        # "my pending order": the orders in that status (a status the request can't act on
        # is explained by the handler).
        candidates = customer.orders_with_status(*request.entities.statuses)
    candidates = [o for o in candidates if o["order_id"] not in ruled_out]
    acted_on, locating = request.entities.items, request.entities.order_items
    named = (*acted_on, *(m for m in locating if m not in acted_on))
    if named:
        with_items = [o for o in candidates if has_items(o, named)]
        if not with_items:
            # "the pet bed in another colour" when the pet bed's order has shipped: that
            # order, whose status the write then explains, not a question about the others
            with_items = [o for o in customer.orders.values() if has_items(o, named)]
        candidates = with_items or candidates
        several = request.entities.everything or len(_ONE_WITH.findall(request.text)) > 1
        if len(candidates) > 1 and several and not single:
            # "the one with the toothbrush and the camera, and the one with the umbrella.
            # Cancel both.": the fewest orders that hold every item named
            candidates = covering(candidates, named)
        elif len(candidates) > 1:
            # "the one with the water bottle and the desk lamp": the order holding the
            # most of the items named, when one does.
            candidates = best_item_matches(candidates, named)
    hint = request.entities.status_hint
    if len(candidates) > 1 and hint and any(o["status"] == hint for o in candidates):
        # "the hiking boots I received": of two orders with boots, the delivered one
        candidates = [o for o in candidates if o["status"] == hint]
    if len(candidates) > 1:
        candidates = _by_size(candidates, request.text)
    if len(candidates) == 1 or (candidates and request.entities.everything and not single):
        return candidates  # the only one, or "all of them"
    if not candidates:
        if statuses and customer.orders:
            res.notes.append(
                f"None of your orders can be {purpose}: only {' or '.join(statuses)} orders can."
            )
        else:
            res.notes.append("I could not find a matching order on your account.")
        return []
    res.gaps.append(clarify.which_order(candidates, purpose))
    return []


_ONE_WITH = re.compile(r"\b(?:the|my) (?:one|order)s? (?:with|that has|containing)\b", re.I)
"""Each "the one with …" describes one more order ("the one with the skateboard and the one
with the headphones")."""
_BIGGER = re.compile(r"\b(?:bigger|larger|biggest|largest|big|large) (?:one|order)\b", re.I)
_SMALLER = re.compile(r"\b(?:smaller|smallest|small|little) (?:one|order)\b", re.I)


def _by_size(candidates: list[Mapping[str, Any]], text: str) -> list[Mapping[str, Any]]:
    """ "The bigger one": of several orders, the one with the most items (the fewest for "the
    smaller one"), when one has; otherwise all of them still."""
    want = max if _BIGGER.search(text) else min if _SMALLER.search(text) else None
    if want is None:
        return candidates
    size = want(len(o["items"]) for o in candidates)
    chosen = [o for o in candidates if len(o["items"]) == size]
    return chosen if len(chosen) == 1 else candidates


def one_order(
    request: Request,
    customer: CustomerData,
    res: Resolution,
    statuses: tuple[str, ...],
    purpose: str,
    refusal: str,
    *,
    read: Callable[[Mapping[str, Any]], tuple[str, Mapping[str, Any]]] | None = None,
) -> Mapping[str, Any] | None:
    """The one order a write acts on, when its status allows the write. None when not: a
    question, or the ``refusal`` ({order_id}, {status}) with a read of the order, is on
    ``res``."""
    orders = orders_for(request, customer, res, statuses=statuses, purpose=purpose, single=True)
    if not orders:
        return None
    order = orders[0]
    if order["status"] not in statuses:
        reason = refusal.format(order_id=order["order_id"], status=order["status"])
        out_of_policy(res, reason, (read or order_details_read)(order))
        return None
    return order


def payment_for(
    request: Request,
    customer: CustomerData,
    res: Resolution,
    order: Mapping[str, Any],
    *,
    purpose: str,
    refund: bool = False,
) -> str | None:
    refs = request.entities.new_payments
    original = original_method(order, customer)
    if original and any(p.original for p in refs):
        return original
    resolved = [p.method_id for p in refs if p.method_id]
    if resolved:
        return resolved[-1]
    if refs:
        res.gaps.append(clarify.which_payment(customer, order, purpose, refs))
        return None
    if refund:
        # Where the money goes back is the customer's call (the original method or a gift
        # card) when there is a choice; with one place it can go, there is nothing to ask.
        options = clarify.refund_options(customer, original)
        if len(options) == 1:
            return options[0]
        res.gaps.append(clarify.refund_method(customer, order, options))
        return None
    if original:
        return original
    res.gaps.append(clarify.which_payment(customer, order, purpose, refs))
    return None


def original_method(order: Mapping[str, Any], customer: CustomerData) -> str | None:
    """The method of the order's first payment, when the customer still has it."""
    history = order.get("payment_history") or []
    original = history[0]["payment_method_id"] if history else None
    return original if original in customer.payment_methods else None
