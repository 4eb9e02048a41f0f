"""Resolvers of the write skills: each turns a request into one write, a question or a refusal."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from agents.triage import clarify
from agents.triage.customer import CustomerData
from agents.triage.item_choice import item_matches, new_variant, pick_items
from agents.triage.nlu.entities import ADDRESS_FIELDS, ships_to
from agents.triage.nlu.meaning import cancel_reason
from agents.triage.nlu.order_ids import order_spans
from agents.triage.resolution import (
    Resolution,
    find_item_step,
    order_details_read,
    out_of_policy,
    payment_read,
    write_step,
)
from agents.triage.targeting import one_order, orders_for, payment_for
from agents.triage.understanding import Request
from domain import (
    CANCEL,
    EXCHANGE,
    MODIFY_ITEMS,
    MODIFY_PAYMENT,
    ORDER_ADDRESS,
    RETURN,
    SKILLS,
    USER_ADDRESS,
)
from router.plan import Step

if TYPE_CHECKING:
    from agents.triage.planner import OfflinePlanner

MODIFY = MODIFY_ITEMS
PAYMENT_CHANGE = MODIFY_PAYMENT


def _needs(*skills: str) -> tuple[str, ...]:
    """The order statuses the skills act on, from the registry."""
    return tuple(dict.fromkeys(SKILLS[skill].requires_status for skill in skills))


def cancel(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    orders = orders_for(request, customer, res, statuses=_needs(CANCEL), purpose="cancelled")
    if not orders:
        return
    own_reasons = _reason_per_order(request, customer) if len(orders) > 1 else {}
    for order in orders:
        reason = own_reasons.get(order["order_id"]) or request.entities.reason
        if order["status"] == "cancelled":
            res.notes.append(f"{order['order_id']} is already cancelled.")
            res.steps.append(Step.of("", "get_order_details", {"order_id": order["order_id"]}))
            continue
        if order["status"] != "pending":
            out_of_policy(
                res,
                f"{order['order_id']} is {order['status']}, so it can't be cancelled",
                order_details_read(order),
            )
            continue
        if reason is None:
            res.gaps.append(clarify.cancel_reason(order["order_id"]))
            continue
        res.steps.append(write_step(CANCEL, {"order_id": order["order_id"], "reason": reason}))


def _reason_per_order(request: Request, customer: CustomerData) -> dict[str, str]:
    """ "cancel #W1, which I placed by mistake, and #W2, which I no longer need": the reason
    said between an order id and the next one is that order's."""
    text = request.text
    spans = order_spans(text, customer.orders)
    reasons: dict[str, str] = {}
    ends = [start for start, _, _ in spans[1:]] + [len(text)] if spans else []
    for (_, end, order_id), until in zip(spans, ends, strict=True):
        reason = cancel_reason(text[end:until])
        if reason is not None:
            reasons[order_id] = reason
    return reasons


def item_change(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    order = one_order(
        request,
        customer,
        res,
        _needs(MODIFY, EXCHANGE),
        "changed",
        "{order_id} is {status}, so its items can't be changed",
    )
    if order is None:
        return
    status = order["status"]
    skill = MODIFY if status == "pending" else EXCHANGE
    mentions = request.entities.items
    if not mentions:
        res.gaps.append(clarify.which_items(order, "change"))
        return
    foreign = [m for m in mentions if not any(item_matches(i, m) for i in order["items"])]
    if foreign and len(foreign) < len(mentions):
        out_of_policy(
            res,
            f"an item can only be changed to another option of the same product, not to a "
            f"{foreign[0].name}",
            order_details_read(order),
        )
        return
    picked = pick_items(order, mentions, res, request.answers)
    if picked is None:
        return
    new_ids: list[str] = []
    for item, mention in zip(picked, mentions, strict=True):
        gaps = len(res.gaps)
        new = new_variant(item, mention, customer, res)
        if new is None:
            if len(res.gaps) == gaps and "find_item" in planner.catalog.skills:
                # Sold out: the orders agent lists what is available instead.
                res.steps.append(find_item_step(item["product_id"], request.text, order))
            return
        new_ids.append(new)
    payment = payment_for(request, customer, res, order, purpose="the price difference")
    if payment is None:
        return
    res.steps.append(
        write_step(
            skill,
            {
                "order_id": order["order_id"],
                "item_ids": [i["item_id"] for i in picked],
                "new_item_ids": new_ids,
                "payment_method_id": payment,
            },
        )
    )


_ALL_OF_THEM = re.compile(
    r"\b(?:both|all of (?:them|those|these)|each of them|all (?:two|three|four) of them)\b",
    re.IGNORECASE,
)
"""All of the items just spoken of, not all of the order ("the grill" … "both of them")."""
_WHOLE_ORDER = re.compile(
    r"\b(?:everything|all of it|(?:the|an?) (?:whole|entire|complete) (?:order|thing|lot|package|"
    r"shipment)|the whole of)\b",
    re.IGNORECASE,
)
"""The order itself, whatever items are listed beside it ("the whole thing, both backpacks, the
camera …, I want to return all of it")."""


def return_items(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    order = one_order(
        request,
        customer,
        res,
        _needs(RETURN),
        "returned",
        "{order_id} is {status}, so it can't be returned yet",
    )
    if order is None:
        return
    mentions = request.entities.items
    kept = request.entities.kept
    named = {m.name for m in mentions}
    whole = _WHOLE_ORDER.search(request.text)
    if (
        request.entities.everything
        and mentions
        and not kept
        and not whole
        and _ALL_OF_THEM.search(request.text)
    ):
        # "the grill" → "Which grill?" → "Both of them": every item of the products named
        picked: list[Mapping[str, Any]] | None = [i for i in order["items"] if i["name"] in named]
    elif (request.entities.everything or (kept and not mentions)) and not (mentions and kept):
        # "return everything", "everything except the perfume"
        picked = [i for i in order["items"] if i["name"] not in kept]
    elif not mentions and len(order["items"]) == 1:
        picked = list(order["items"])
    elif not mentions:
        res.gaps.append(clarify.which_items(order, "return"))
        return
    else:
        picked = pick_items(order, mentions, res, request.answers)
    if picked is None:
        return
    payment = payment_for(request, customer, res, order, purpose="the refund", refund=True)
    if payment is None:
        return
    res.steps.append(
        write_step(
            RETURN,
            {
                "order_id": order["order_id"],
                "item_ids": [i["item_id"] for i in picked],
                "payment_method_id": payment,
            },
        )
    )


def order_address(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    if not request.entities.order_ids and not customer.orders_with_status("pending"):
        user_address(planner, request, customer, res)
        return
    statuses = _needs(ORDER_ADDRESS)
    address = request.entities.address
    # an order that already ships to the new address is where it came from, not one to move
    there = [o for o in customer.orders.values() if address and ships_to(o, address)]
    orders = orders_for(
        request,
        customer,
        res,
        statuses=statuses,
        purpose="re-addressed",
        ruled_out=[o["order_id"] for o in there],
    )
    movable = []
    for order in orders:
        if order["status"] in statuses:
            movable.append(order)
            continue
        reason = f"{order['order_id']} has already left, so its address is fixed"
        out_of_policy(res, reason, order_details_read(order))
    if movable and address is None:
        res.gaps.append(clarify.new_address(" and ".join(o["order_id"] for o in movable)))
        return
    for order in movable:
        arguments = {"order_id": order["order_id"], **{k: address[k] for k in ADDRESS_FIELDS}}
        res.steps.append(write_step(ORDER_ADDRESS, arguments))


def user_address(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    if request.entities.order_ids:
        order_address(planner, request, customer, res)
        return
    address = request.entities.address
    if address is None:
        res.gaps.append(clarify.new_address(None))
        return
    res.steps.append(
        write_step(
            USER_ADDRESS, {"user_id": customer.user_id, **{k: address[k] for k in ADDRESS_FIELDS}}
        )
    )


def payment_change(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    order = one_order(
        request,
        customer,
        res,
        _needs(PAYMENT_CHANGE),
        "re-paid",
        "{order_id} is {status}; its payment is final",
        read=payment_read,
    )
    if order is None:
        return
    refs = request.entities.new_payments
    resolved = [p.method_id for p in refs if p.method_id]
    if not resolved:
        res.gaps.append(clarify.which_payment(customer, None, "the order", refs))
        return
    res.steps.append(
        write_step(
            PAYMENT_CHANGE, {"order_id": order["order_id"], "payment_method_id": resolved[-1]}
        )
    )
