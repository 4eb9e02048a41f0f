"""What a write touches and how much money it may move: one function for minting and checking.

Triage computes it over the customer's data when it mints a capability (and a specialist over the
store when a holder narrowed the money limits). The store computes the same amounts inside the
write's transaction and refuses a write over ``MoneyLimits``. Amounts are upper bounds in integer
cents (a return's refund is the returned items' prices, a cancellation's the order's payment
history).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain import SKILLS, cents

VariantPrice = Callable[[str, str], float | None]
"""(product_id, item_id) → the variant's price, or None when unknown."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What one write touches (orders, payment methods) and the money it moves, in cents."""

    orders: tuple[str, ...] = ()
    payment_methods: tuple[str, ...] = ()
    refund_cents: int = 0
    charge_cents: int = 0


@dataclass(frozen=True, slots=True)
class MoneyLimits:
    """The most one write may refund and charge; the store enforces them in the write's
    transaction (``WriteContext``), where the amounts are computed anyway."""

    max_refund_cents: int
    max_charge_cents: int


def write_scope(
    skill: str,
    arguments: Mapping[str, Any],
    order: Mapping[str, Any] | None,
    variant_price: VariantPrice,
) -> Scope:
    """The orders, payment methods and money of one write (``order``: its order, if any)."""
    order_id = arguments.get("order_id")
    method = arguments.get("payment_method_id")
    orders = (order_id,) if isinstance(order_id, str) else ()
    methods = (method,) if isinstance(method, str) else ()
    refund = charge = 0
    if order is not None:
        refund, charge = _money(skill, arguments, order, variant_price)
    return Scope(orders, methods, refund, charge)


def _money(
    skill: str, arguments: Mapping[str, Any], order: Mapping[str, Any], price: VariantPrice
) -> tuple[int, int]:
    """The registry's money effect of the write over this order (gross paid, as the store)."""
    effect = SKILLS.money(skill)
    if not effect.moves_money:
        return 0, 0
    paid = sum(cents(float(e.get("amount", 0))) for e in order.get("payment_history") or [])
    old = _picked(order, arguments.get("item_ids") or []) if effect.prices_items else []
    new_total = 0
    for item, new_id in zip(old, arguments.get("new_item_ids") or [], strict=False):
        new_price = price(str(item.get("product_id")), str(new_id))
        new_total += cents(new_price) if new_price is not None else 0
    money = effect.amounts(
        paid_cents=paid,
        items_cents=sum(cents(float(item.get("price", 0))) for item in old),
        new_items_cents=new_total,
    )
    return money.refund_cents, money.charge_cents


def _picked(order: Mapping[str, Any], item_ids: list[Any]) -> list[Mapping[str, Any]]:
    """The order's items named by ``item_ids`` (a repeated id picks a further copy)."""
    remaining = list(order.get("items") or [])
    picked = []
    for item_id in item_ids:
        for index, item in enumerate(remaining):
            if item.get("item_id") == item_id:
                picked.append(remaining.pop(index))
                break
    return picked


def price_in(products: Mapping[str, Mapping[str, Any]]) -> VariantPrice:
    """A VariantPrice over τ-bench ``products`` dicts."""

    def price(product_id: str, item_id: str) -> float | None:
        variant = (products.get(product_id) or {}).get("variants", {}).get(item_id)
        return None if variant is None else float(variant["price"])

    return price
