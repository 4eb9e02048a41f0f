"""Resolvers of the read skills (and of a complaint that names no remedy)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agents.triage import clarify
from agents.triage.customer import CustomerData
from agents.triage.resolution import (
    Resolution,
    find_item_step,
    order_details_read,
)
from agents.triage.targeting import orders_for
from agents.triage.understanding import Request
from router.plan import Step

if TYPE_CHECKING:
    from agents.triage.planner import OfflinePlanner

RETURN = "return_delivered_order_items"


def order_read(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    assert request.label is not None
    purpose = "checked" if request.label == "get_order_details" else "looked up"
    for order in orders_for(request, customer, res, purpose=purpose):
        res.steps.append(Step.of("", request.label, {"order_id": order["order_id"]}))


def no_argument_read(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    assert request.label is not None
    named = [o for o in request.entities.order_ids if o in customer.orders]
    if request.label == "list_orders" and named:
        # "Could you check on #W… and #W…?": the orders named are what to look at.
        res.steps.extend(Step.of("", "get_order_details", {"order_id": o}) for o in named)
        return
    res.steps.append(Step.of("", request.label, {}))


def payment_history(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    ids = request.entities.order_ids
    orders = [o for o in ids if o in customer.orders]
    if not orders and len(customer.orders) == 1:
        orders = list(customer.orders)
    if not orders:
        res.steps.append(Step.of("", "get_payment_history", {}))
    for order_id in orders:
        res.steps.append(Step.of("", "get_payment_history", {"order_id": order_id}))


def gift_card_balance(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    ids = [p.method_id for p in request.entities.payments if p.method_id]
    gift = [i for i in ids if i.startswith("gift_card")]
    res.steps.append(
        Step.of("", "get_gift_card_balance", {"payment_method_id": gift[0]} if gift else {})
    )


def find_item(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    by_name = {p["name"]: pid for pid, p in customer.products.items()}
    by_name |= planner.understander.product_ids
    names = [m.name for m in request.entities.items if m.name in by_name]
    ids = request.entities.product_ids
    if not names and not ids:
        res.gaps.append("Which product are you looking for?")
        return
    order = None
    if request.entities.order_ids and request.entities.order_ids[0] in customer.orders:
        order = customer.orders[request.entities.order_ids[0]]
    for pid in dict.fromkeys([*(by_name[n] for n in names), *ids]):
        res.steps.append(find_item_step(pid, request.text, order))


def product(
    planner: OfflinePlanner, request: Request, customer: CustomerData, res: Resolution
) -> None:
    by_name = {p["name"]: pid for pid, p in customer.products.items()}
    by_name |= planner.understander.product_ids
    ids = [by_name[m.name] for m in request.entities.items if m.name in by_name]
    ids += list(request.entities.product_ids)
    if not ids:
        res.gaps.append("Which product would you like to know about?")
        return
    for pid in dict.fromkeys(ids):
        res.steps.append(Step.of("", "get_product_details", {"product_id": pid}))


def remedy(
    planner: OfflinePlanner, request: Request, customer: CustomerData | None, res: Resolution
) -> None:
    """An item that is not right, no remedy named: ask which one the order's status allows."""
    if RETURN in planner.catalog.skills:
        res.targets.append(planner.catalog.skills[RETURN].agent)
    if customer is None:
        res.gaps.append(clarify.who_are_you())
        return
    orders = orders_for(
        request,
        customer,
        res,
        statuses=("delivered", "pending"),
        purpose="returned or changed",
        single=True,
    )
    if not orders:
        return
    order = orders[0]
    names = [m.name for m in request.entities.items]
    if order["status"] in ("delivered", "pending"):
        res.gaps.append(clarify.remedy(order, names))
    else:
        res.steps.append(planner.bind(Step.of("", *order_details_read(order))))
