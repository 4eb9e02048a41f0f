"""The verified customer's data the planner resolves entities against."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from store import Store


@dataclass(frozen=True, slots=True)
class CustomerData:
    """A customer's profile, orders (in the profile's order) and the products in those orders."""

    user_id: str
    user: Mapping[str, Any]
    orders: Mapping[str, Mapping[str, Any]]
    products: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def payment_methods(self) -> Mapping[str, Mapping[str, Any]]:
        return self.user.get("payment_methods", {})

    def orders_with_status(self, *statuses: str) -> list[Mapping[str, Any]]:
        return [o for o in self.orders.values() if not statuses or o["status"] in statuses]


async def load_customer(store: Store, customer_id: str | None) -> CustomerData | None:
    if not customer_id:
        return None
    user = await store.get_user(customer_id)
    if user is None:
        return None
    orders = {o["order_id"]: o for o in await store.list_orders(customer_id)}
    product_ids = {item["product_id"] for o in orders.values() for item in o["items"]}
    products: dict[str, Mapping[str, Any]] = {}
    for product_id in sorted(product_ids):
        product = await store.get_product(product_id)
        if product is not None:
            products[product_id] = product
    return CustomerData(customer_id, user, orders, products)


def customer_from_json(data: Mapping[str, Any], user_id: str) -> CustomerData:
    """The same view over τ-bench-shaped JSON (users/orders/products dicts): tests, benches."""
    user = data["users"][user_id]
    orders = {oid: data["orders"][oid] for oid in user.get("orders", []) if oid in data["orders"]}
    product_ids = {item["product_id"] for o in orders.values() for item in o["items"]}
    products = {pid: data["products"][pid] for pid in product_ids if pid in data["products"]}
    return CustomerData(user_id, user, orders, products)
