"""The verified customer's data the planner resolves entities against."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from agents.triage.nlu.text import fold, words
from store import Store

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CustomerData:
    """A customer's profile, orders (in the profile's order) and the products in those orders."""

    user_id: str
    user: Mapping[str, Any]
    orders: Mapping[str, Mapping[str, Any]]
    products: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Values derived from the data above, computed once per ticket turn (the data is fixed)."""

    def option_values(self, product_name: str) -> frozenset[str]:
        """Every option value (folded) of the products named ``product_name``."""
        key = ("options", product_name)
        if key not in self._memo:
            self._memo[key] = frozenset(
                fold(str(value))
                for product in self.products.values()
                if product["name"] == product_name
                for variant in product["variants"].values()
                for value in variant["options"].values()
            )
        return self._memo[key]

    def option_keys(self, product_name: str) -> Mapping[str, frozenset[str]]:
        """Option value (lower case) → the options of ``product_name`` that have it."""
        key = ("keys", product_name)
        if key not in self._memo:
            by_value: dict[str, set[str]] = {}
            for product in self.products.values():
                if product["name"] != product_name:
                    continue
                for variant in product["variants"].values():
                    for option, value in variant["options"].items():
                        by_value.setdefault(str(value).lower(), set()).add(option)
            self._memo[key] = {v: frozenset(k) for v, k in by_value.items()}
        return self._memo[key]

    def derived(self, key: Any, compute: Callable[[], T]) -> T:
        """A value derived from this view's data, computed once per view (``key`` names it)."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    def known_words(self) -> frozenset[str]:
        """Words of the customer's own data (product names and option values, their name and
        addresses): words a ticket may use as they are."""
        if "words" not in self._memo:
            texts = [name for name in self.product_names()]
            texts += list({t for p in self.products.values() for t in _option_texts(p)})
            texts += [str(v) for v in (self.user.get("name") or {}).values()]
            addresses = [self.user.get("address") or {}]
            addresses += [o.get("address") or {} for o in self.orders.values()]
            texts += [str(v) for a in addresses for v in a.values()]
            self._memo["words"] = frozenset(w for t in texts for w in words(t))
        return self._memo["words"]

    def product_names(self) -> frozenset[str]:
        """The names of the products in the customer's orders."""
        if "names" not in self._memo:
            self._memo["names"] = frozenset(p["name"] for p in self.products.values())
        return self._memo["names"]

    @property
    def payment_methods(self) -> Mapping[str, Mapping[str, Any]]:
        return self.user.get("payment_methods", {})

    def orders_with_status(self, *statuses: str) -> list[Mapping[str, Any]]:
        return [o for o in self.orders.values() if not statuses or o["status"] in statuses]


def _option_texts(product: Mapping[str, Any]) -> set[str]:
    """Every option name and value of ``product``, once each (variants repeat them)."""
    return {
        str(text)
        for variant in product["variants"].values()
        for option, value in variant["options"].items()
        for text in (option, value)
    }


async def load_customer(store: Store, customer_id: str | None) -> CustomerData | None:
    if not customer_id:
        return None
    record = await store.get_customer(customer_id)
    if record is None:
        return None
    orders = {o["order_id"]: o for o in record.orders}
    products = {pid: record.products[pid] for pid in sorted(record.products)}
    return CustomerData(customer_id, record.user, orders, products)


def customer_from_json(data: Mapping[str, Any], user_id: str) -> CustomerData:
    """The same view over τ-bench-shaped JSON (users/orders/products dicts): tests, benches."""
    user = data["users"][user_id]
    orders = {oid: data["orders"][oid] for oid in user.get("orders", []) if oid in data["orders"]}
    product_ids = {item["product_id"] for o in orders.values() for item in o["items"]}
    products = {pid: data["products"][pid] for pid in product_ids if pid in data["products"]}
    return CustomerData(user_id, user, orders, products)
