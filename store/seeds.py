"""Seed data: the τ-bench retail data (read from ../shared/datasets) and a generated demo set."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from store.exporter import read_dir
from store.money import round_money

REPO_ROOT = Path(__file__).resolve().parents[1]


DATASETS_ENV = "DESKMESH_DATASETS_DIR"
"""The variable an entry point reads to pass ``datasets_dir`` another folder."""


def datasets_dir(override: str | Path | None = None) -> Path:
    """``override`` (an entry point passes DESKMESH_DATASETS_DIR), else the repository's
    sibling ``../shared/datasets``."""
    return Path(override) if override else REPO_ROOT.parent / "shared" / "datasets"


def tau_retail_dir(version: str = "v1", datasets: Path | None = None) -> Path:
    return (datasets or datasets_dir()) / "tau-bench-retail" / version


def load_tau(directory: str | Path | None = None) -> dict[str, Any]:
    """Load τ-bench retail v1 {users, orders, products}; ``directory`` may be the v1 folder or
    the dataset root holding ``v1/`` (default: :func:`tau_retail_dir`)."""
    path = Path(directory) if directory is not None else tau_retail_dir()
    if (path / "v1").is_dir():
        path = path / "v1"
    return read_dir(path)


# ---------------------------------------------------------------------------- demo data
DEMO_PRODUCTS: list[tuple[str, dict[str, list[str]], float]] = [
    ("T-Shirt", {"color": ["black", "white", "blue"], "size": ["S", "M", "L", "XL"]}, 24.0),
    ("Hiking Boots", {"size": ["8", "9", "10", "11"], "material": ["leather", "synthetic"]}, 140.0),
    ("Water Bottle", {"capacity": ["500ml", "1000ml"], "material": ["glass", "steel"]}, 22.0),
    ("Backpack", {"color": ["green", "grey", "black"], "size": ["small", "large"]}, 85.0),
    ("Desk Lamp", {"color": ["white", "black"], "brightness": ["low", "medium", "high"]}, 45.0),
    ("Wireless Earbuds", {"color": ["black", "white"], "battery life": ["6h", "8h"]}, 120.0),
    (
        "Office Chair",
        {"material": ["mesh", "leather", "fabric"], "color": ["black", "grey"]},
        310.0,
    ),
    (
        "Coffee Maker",
        {"capacity": ["4 cups", "8 cups", "12 cups"], "color": ["black", "red"]},
        95.0,
    ),
    ("Yoga Mat", {"thickness": ["4mm", "6mm"], "material": ["rubber", "PVC"]}, 35.0),
    ("Jacket", {"size": ["S", "M", "L"], "color": ["navy", "olive"], "material": ["wool"]}, 180.0),
    ("Smart Watch", {"color": ["black", "silver"], "band": ["leather", "silicone"]}, 260.0),
    ("Sunglasses", {"frame": ["plastic", "metal"], "lens": ["polarized", "standard"]}, 70.0),
]
FIRST = [
    "Noah",
    "Mia",
    "Ethan",
    "Sofia",
    "Lucas",
    "Chloe",
    "Omar",
    "Yara",
    "Ivan",
    "Lena",
    "Mateo",
    "Aisha",
    "Hugo",
    "Nora",
    "Ravi",
    "Elena",
    "Kai",
    "Zoe",
]
LAST = [
    "Garcia",
    "Khan",
    "Novak",
    "Silva",
    "Okafor",
    "Rossi",
    "Berg",
    "Tanaka",
    "Dubois",
    "Moreau",
    "Haddad",
    "Larsen",
    "Costa",
    "Nguyen",
    "Schmidt",
    "Ito",
    "Patel",
    "Walsh",
]
CITIES = [
    ("Denver", "CO", "802"),
    ("Austin", "TX", "787"),
    ("Seattle", "WA", "981"),
    ("Boston", "MA", "021"),
    ("Chicago", "IL", "606"),
    ("Phoenix", "AZ", "850"),
]
STREETS = ["Maple Drive", "River Road", "Hillcrest Avenue", "Cedar Street", "Lakeview Lane"]
BRANDS = ["visa", "mastercard", "amex"]

# Fixed, documented demo users (docs/store.md): (user_id, first, last, statuses of their orders).
FIXED_USERS: list[tuple[str, str, str, list[str]]] = [
    ("ava_moreno_1001", "Ava", "Moreno", ["pending", "delivered", "processed"]),
    ("liam_chen_1002", "Liam", "Chen", ["pending", "pending", "pending", "delivered"]),
    ("sara_okafor_1003", "Sara", "Okafor", ["delivered", "delivered", "cancelled"]),
]
STATUS_CYCLE = ["pending", "delivered", "processed", "delivered", "pending", "cancelled"]


def generate_demo(seed: int = 7) -> dict[str, Any]:
    """A deterministic demo data set in τ-bench shape: 20 users, 60 orders, 12 products.

    ``ava_moreno_1001`` has exactly one pending order ``#W1000001`` (paid by credit card) plus a
    delivered ``#W1000002`` and a processed ``#W1000003``; ``liam_chen_1002`` has three pending
    orders ``#W1000004``–``#W1000006`` and a delivered ``#W1000007``; ``sara_okafor_1003`` has
    delivered orders ``#W1000008``/``#W1000009`` and a cancelled ``#W1000010``.
    """
    rng = random.Random(seed)
    products = _demo_products(rng)
    users: dict[str, Any] = {}
    orders: dict[str, Any] = {}
    plans: list[tuple[str, str, str, list[str]]] = list(FIXED_USERS)
    remaining = 60 - sum(len(statuses) for *_, statuses in FIXED_USERS)
    extra_users = 20 - len(FIXED_USERS)
    for index in range(extra_users):
        first, last = FIRST[index % len(FIRST)], LAST[(index * 7) % len(LAST)]
        count = remaining // (extra_users - index)
        remaining -= count
        statuses = [STATUS_CYCLE[(index + k) % len(STATUS_CYCLE)] for k in range(count)]
        plans.append((f"{first.lower()}_{last.lower()}_{2001 + index}", first, last, statuses))
    order_no = 1000001
    for index, (user_id, first, last, statuses) in enumerate(plans):
        user = _demo_user(rng, index, first, last)
        users[user_id] = user
        for status in statuses:
            order_id = f"#W{order_no}"
            order_no += 1
            orders[order_id] = _demo_order(rng, order_id, user_id, user, status, products)
            user["orders"].append(order_id)
    return {"users": users, "orders": orders, "products": products}


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10 ** (n - 1), 10**n))


def _demo_products(rng: random.Random) -> dict[str, Any]:
    products: dict[str, Any] = {}
    for name, option_values, base in DEMO_PRODUCTS:
        product_id = _digits(rng, 10)
        variants: dict[str, Any] = {}
        for k in range(5):
            options = {
                key: values[(k * (i + 1)) % len(values)]
                for i, (key, values) in enumerate(option_values.items())
            }
            if any(v["options"] == options for v in variants.values()):
                continue
            item_id = _digits(rng, 10)
            price = round_money(base * rng.uniform(0.85, 1.2))
            variants[item_id] = {
                "item_id": item_id,
                "options": options,
                "available": k != 3,
                "price": price,
            }
        products[product_id] = {"name": name, "product_id": product_id, "variants": variants}
    return products


def _demo_user(rng: random.Random, index: int, first: str, last: str) -> dict[str, Any]:
    city, state, zip_prefix = CITIES[index % len(CITIES)]
    methods: dict[str, Any] = {}
    card = f"credit_card_{_digits(rng, 7)}"
    methods[card] = {
        "source": "credit_card",
        "brand": BRANDS[index % len(BRANDS)],
        "last_four": _digits(rng, 4),
        "id": card,
    }
    if index % 2 == 0:
        paypal = f"paypal_{_digits(rng, 7)}"
        methods[paypal] = {"source": "paypal", "id": paypal}
    if index % 3 != 2:
        gift = f"gift_card_{_digits(rng, 7)}"
        methods[gift] = {
            "source": "gift_card",
            "balance": float(rng.randrange(20, 300)),
            "id": gift,
        }
    return {
        "name": {"first_name": first, "last_name": last},
        "address": {
            "address1": f"{rng.randrange(10, 999)} {STREETS[index % len(STREETS)]}",
            "address2": f"Suite {rng.randrange(100, 999)}",
            "city": city,
            "country": "USA",
            "state": state,
            "zip": f"{zip_prefix}{rng.randrange(10, 99)}",
        },
        "email": f"{first.lower()}.{last.lower()}{1000 + index}@example.com",
        "payment_methods": methods,
        "orders": [],
    }


def _demo_order(
    rng: random.Random,
    order_id: str,
    user_id: str,
    user: dict[str, Any],
    status: str,
    products: dict[str, Any],
) -> dict[str, Any]:
    chosen = rng.sample(sorted(products), k=rng.randrange(1, 4))
    items = []
    for product_id in chosen:
        product = products[product_id]
        variant = product["variants"][rng.choice(sorted(product["variants"]))]
        items.append(
            {
                "name": product["name"],
                "product_id": product_id,
                "item_id": variant["item_id"],
                "price": variant["price"],
                "options": dict(variant["options"]),
            }
        )
    total = round_money(sum(item["price"] for item in items))
    methods = list(user["payment_methods"])
    # The first method is always the credit card, so ava's pending #W1000001 is card-paid.
    pm_id = methods[0] if order_id == "#W1000001" else rng.choice(methods)
    history = [{"transaction_type": "payment", "amount": total, "payment_method_id": pm_id}]
    if status == "cancelled":
        history.append({"transaction_type": "refund", "amount": total, "payment_method_id": pm_id})
    fulfillments = []
    if status in ("processed", "delivered"):
        fulfillments.append(
            {"tracking_id": [_digits(rng, 12)], "item_ids": [item["item_id"] for item in items]}
        )
    return {
        "order_id": order_id,
        "user_id": user_id,
        "address": dict(user["address"]),
        "items": items,
        "fulfillments": fulfillments,
        "status": status,
        "payment_history": history,
    }
