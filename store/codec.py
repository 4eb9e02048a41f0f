"""Conversion between τ-bench JSON dicts and table rows (both directions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from store.money import from_cents, to_cents

ADDRESS_KEYS = ("address1", "address2", "city", "country", "state", "zip")
Row = dict[str, Any]


def address_of(row: Mapping[str, Any]) -> dict[str, str]:
    return {key: row[key] for key in ADDRESS_KEYS}


def address_columns(address: Mapping[str, Any]) -> Row:
    return {key: address[key] for key in ADDRESS_KEYS}


# --------------------------------------------------------------------------- JSON → rows
def data_to_rows(data: Mapping[str, Any]) -> dict[str, list[Row]]:
    """Split a τ-bench data set into row lists keyed by table name."""
    rows: dict[str, list[Row]] = {
        "users": [],
        "payment_methods": [],
        "products": [],
        "variants": [],
        "orders": [],
        "order_items": [],
        "fulfillments": [],
        "payment_history": [],
    }
    for pos, (product_id, product) in enumerate(data["products"].items()):
        rows["products"].append(
            {"product_id": product_id, "position": pos, "name": product["name"]}
        )
        for vpos, (item_id, variant) in enumerate(product["variants"].items()):
            rows["variants"].append(
                {
                    "item_id": item_id,
                    "product_id": product_id,
                    "position": vpos,
                    "options": variant["options"],
                    "available": bool(variant["available"]),
                    "price_cents": to_cents(variant["price"]),
                }
            )
    for pos, (user_id, user) in enumerate(data["users"].items()):
        rows["users"].append(
            {
                "user_id": user_id,
                "position": pos,
                "first_name": user["name"]["first_name"],
                "last_name": user["name"]["last_name"],
                "email": user["email"],
                **address_columns(user["address"]),
                "order_ids": list(user.get("orders", [])),
            }
        )
        for ppos, (pm_id, pm) in enumerate(user["payment_methods"].items()):
            balance = pm.get("balance")
            rows["payment_methods"].append(
                {
                    "id": pm_id,
                    "user_id": user_id,
                    "position": ppos,
                    "source": pm["source"],
                    "brand": pm.get("brand"),
                    "last_four": pm.get("last_four"),
                    "balance_cents": None if balance is None else to_cents(balance),
                }
            )
    for pos, (order_id, order) in enumerate(data["orders"].items()):
        extras = {key: value for key, value in order.items() if key not in _ORDER_KEYS}
        rows["orders"].append(
            {
                "order_id": order_id,
                "user_id": order["user_id"],
                "position": pos,
                "status": order["status"],
                **address_columns(order["address"]),
                "extras": extras,
            }
        )
        for ipos, item in enumerate(order["items"]):
            rows["order_items"].append(
                {
                    "order_id": order_id,
                    "position": ipos,
                    "name": item["name"],
                    "product_id": item["product_id"],
                    "item_id": item["item_id"],
                    "price_cents": to_cents(item["price"]),
                    "options": item["options"],
                }
            )
        for fpos, fulfillment in enumerate(order["fulfillments"]):
            rows["fulfillments"].append(
                {
                    "order_id": order_id,
                    "position": fpos,
                    "tracking_ids": list(fulfillment["tracking_id"]),
                    "item_ids": list(fulfillment["item_ids"]),
                }
            )
        for hpos, entry in enumerate(order["payment_history"]):
            rows["payment_history"].append(
                {
                    "order_id": order_id,
                    "position": hpos,
                    "transaction_type": entry["transaction_type"],
                    "amount_cents": to_cents(entry["amount"]),
                    "payment_method_id": entry["payment_method_id"],
                }
            )
    return rows


_ORDER_KEYS = frozenset(
    {"order_id", "user_id", "address", "items", "fulfillments", "status", "payment_history"}
)


# --------------------------------------------------------------------------- rows → JSON
def payment_method_json(row: Mapping[str, Any]) -> dict[str, Any]:
    pm: dict[str, Any] = {"source": row["source"]}
    if row["brand"] is not None:
        pm["brand"] = row["brand"]
    if row["last_four"] is not None:
        pm["last_four"] = row["last_four"]
    if row["balance_cents"] is not None:
        pm["balance"] = from_cents(row["balance_cents"])
    pm["id"] = row["id"]
    return pm


def user_json(row: Mapping[str, Any], payment_methods: Iterable[Mapping[str, Any]]) -> dict:
    return {
        "name": {"first_name": row["first_name"], "last_name": row["last_name"]},
        "address": address_of(row),
        "email": row["email"],
        "payment_methods": {pm["id"]: payment_method_json(pm) for pm in payment_methods},
        "orders": list(row["order_ids"]),
    }


def item_json(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": row["name"],
        "product_id": row["product_id"],
        "item_id": row["item_id"],
        "price": from_cents(row["price_cents"]),
        "options": row["options"],
    }


def order_json(
    row: Mapping[str, Any],
    items: Iterable[Mapping[str, Any]],
    fulfillments: Iterable[Mapping[str, Any]],
    history: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    order: dict[str, Any] = {
        "order_id": row["order_id"],
        "user_id": row["user_id"],
        "address": address_of(row),
        "items": [item_json(item) for item in items],
        "fulfillments": [
            {"tracking_id": list(f["tracking_ids"]), "item_ids": list(f["item_ids"])}
            for f in fulfillments
        ],
        "status": row["status"],
        "payment_history": [
            {
                "transaction_type": entry["transaction_type"],
                "amount": from_cents(entry["amount_cents"]),
                "payment_method_id": entry["payment_method_id"],
            }
            for entry in history
        ],
    }
    order.update(row["extras"] or {})
    return order


def product_json(row: Mapping[str, Any], variants: Iterable[Mapping[str, Any]]) -> dict:
    return {
        "name": row["name"],
        "product_id": row["product_id"],
        "variants": {
            v["item_id"]: {
                "item_id": v["item_id"],
                "options": v["options"],
                "available": bool(v["available"]),
                "price": from_cents(v["price_cents"]),
            }
            for v in variants
        },
    }
