"""What one τ-bench customer's data says, for the everyday suite's builder.

Lookups (orders by status, variants, payment methods), the ways a customer names things (order
numbers in four forms, products, options, payment methods) and the scenario/expectation builders
shared by ``everyday_writes.py`` and ``everyday_talk.py``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import everyday_phrasing as ph

from evaluation.public import OWNER

READS = ["billing", "orders"]

CHANGE_KEYS = (
    "color",
    "size",
    "material",
    "capacity",
    "thickness",
    "storage",
    "features",
    "dial color",
    "battery life",
    "length",
    "screen size",
    "band material",
    "type",
)

Data = dict[str, Any]
Raw = dict[str, Any]


class Tau:
    """The τ-bench retail data with the lookups the build needs."""

    def __init__(self, data: Data) -> None:
        self.users: Data = data["users"]
        self.orders: Data = data["orders"]
        self.products: Data = data["products"]
        self.data = data

    def user_orders(self, user_id: str, *statuses: str) -> list[Data]:
        orders = [self.orders[o] for o in self.users[user_id]["orders"] if o in self.orders]
        return [o for o in orders if not statuses or o["status"] in statuses]

    def orders_with(self, user_id: str, product_id: str, *statuses: str) -> list[Data]:
        return [
            o
            for o in self.user_orders(user_id, *statuses)
            if any(i["product_id"] == product_id for i in o["items"])
        ]

    def variant(self, product_id: str, options: dict[str, str]) -> Data | None:
        for v in self.products[product_id]["variants"].values():
            if v["options"] == options:
                return v
        return None


def customer_name(product_name: str) -> str:
    return product_name if product_name.isupper() else product_name.lower()


def order_ref(order_id: str, form: str) -> str:
    return {
        "hash": order_id,
        "w": order_id[1:],
        "lower": order_id[1:].lower(),
        "digits": order_id[2:],
    }[form]


def single_items(order: Data) -> list[Data]:
    """Items whose product occurs once in the order (so the product's name is enough)."""
    counts: dict[str, int] = {}
    for item in order["items"]:
        counts[item["product_id"]] = counts.get(item["product_id"], 0) + 1
    return [i for i in order["items"] if counts[i["product_id"]] == 1]


def method_phrases(tau: Tau, user_id: str, method_id: str) -> list[str]:
    """Ways a customer names one of their payment methods that fit no other of their methods."""
    methods = tau.users[user_id]["payment_methods"]
    method = methods[method_id]
    same_source = [m for m in methods.values() if m["source"] == method["source"]]
    if method["source"] == "paypal":
        return ["my PayPal", "paypal"]
    if method["source"] == "gift_card":
        return ["my gift card", "the gift card"] if len(same_source) == 1 else []
    brand, last_four = method["brand"], method["last_four"]
    phrases = [f"the card ending in {last_four}", f"my card ending {last_four}"]
    if sum(m.get("brand") == brand for m in same_source) == 1:
        label = "Visa" if brand == "visa" else brand.title()
        phrases += [f"my {label}"] + ([f"my {label} card"] if brand == "visa" else [])
    if len(same_source) == 1:
        phrases.append("my credit card")
    return phrases


def original_method(order: Data) -> str:
    return str(order["payment_history"][0]["payment_method_id"])


def return_destinations(
    tau: Tau, user_id: str, order: Data, rng: random.Random
) -> list[tuple[str, str]]:
    """(phrase, method id) refund destinations a return allows: original method or a gift card."""
    original = original_method(order)
    options = [("the card I paid with", original)] if original.startswith("credit_card") else []
    options += [("the original payment method", original)]
    options += [(p, original) for p in method_phrases(tau, user_id, original)]
    for method_id, method in tau.users[user_id]["payment_methods"].items():
        if method["source"] == "gift_card" and method_id != original:
            options += [(p, method_id) for p in method_phrases(tau, user_id, method_id)]
    rng.shuffle(options)
    return options


def gift_balance(tau: Tau, user_id: str, method_id: str) -> float:
    return float(tau.users[user_id]["payment_methods"][method_id].get("balance", 0.0))


def can_pay(tau: Tau, user_id: str, method_id: str, amount: float) -> bool:
    if not method_id.startswith("gift_card"):
        return True
    return gift_balance(tau, user_id, method_id) >= round(amount, 2)


def expect(
    actions: list[Raw], *, agents: set[str] | None = None, turns: int = 1, extra: Raw | None = None
) -> Raw:
    owners = {OWNER[a["name"]] for a in actions} | (agents or set())
    body: Raw = {
        "agents": sorted(owners),
        "agents_allowed": READS,
        "actions": actions,
        "final_state": "completed",
    }
    if turns > 1:
        body["first_turn_state"] = "input-required"
        body["clarifications"] = turns - 1
    return {**body, **(extra or {})}


def scenario(
    family: str,
    number: int,
    style: str,
    user_id: str,
    turns: list[str],
    expectation: Raw,
    tags: list[str],
) -> Raw:
    return {
        "id": f"{family}-{number:02d}",
        "tags": ["everyday", family, style, *tags],
        "seed": "tau-retail",
        "customer": {"user_id": user_id},
        "turns": turns,
        "expect": expectation,
    }


def users_shuffled(tau: Tau, salt: str) -> list[str]:
    users = sorted(tau.users)
    random.Random(f"everyday-{salt}").shuffle(users)
    return users


def first_fit(tau: Tau, salt: str, used: set[str], fit: Callable[[str], Raw | None]) -> Raw:
    """The first customer (in a salted order) not used yet in the family for whom ``fit`` works."""
    for user_id in users_shuffled(tau, salt):
        if user_id in used:
            continue
        made = fit(user_id)
        if made is not None:
            used.add(user_id)
            return made
    raise LookupError(f"no customer fits {salt}")


def cancel(order_id: str, reason: str) -> Raw:
    return {"name": "cancel_pending_order", "args": {"order_id": order_id, "reason": reason}}


def handoff() -> Raw:
    return {"name": "transfer_to_human_agents", "args": {}}


def return_items(order_id: str, item_ids: list[str], method_id: str) -> Raw:
    return {
        "name": "return_delivered_order_items",
        "args": {"order_id": order_id, "item_ids": item_ids, "payment_method_id": method_id},
    }


def unique_product_item(
    tau: Tau, user_id: str, order: Data, statuses: tuple[str, ...]
) -> Data | None:
    """An item whose product is in no other of the customer's orders (of those statuses)."""
    for item in single_items(order):
        if len(tau.orders_with(user_id, item["product_id"], *statuses)) == 1:
            return item
    return None


def item_name(item: Data) -> str:
    return customer_name(item["name"])


def change_phrase(key: str, value: str) -> str:
    if key in ("color", "material", "band material"):
        return f"in {value}"
    if key == "size":
        return f"in size {value}"
    if key == "dial color":
        return f"with the {value} dial"
    return f"in the {value} version"


def option_changes(tau: Tau, item: Data) -> list[tuple[str, str, Data]]:
    """(key, value, variant): available variants that differ from the item in one option only."""
    found = []
    for key in CHANGE_KEYS:
        if key not in item["options"]:
            continue
        for variant in tau.products[item["product_id"]]["variants"].values():
            options = variant["options"]
            if not variant["available"] or options.get(key) == item["options"][key]:
                continue
            if {k: v for k, v in options.items() if k != key} == {
                k: v for k, v in item["options"].items() if k != key
            }:
                found.append((key, options[key], variant))
    return found


def change_methods(
    tau: Tau, user_id: str, order: Data, kind: str, difference: float
) -> list[tuple[str, str]]:
    if kind in ("original", "original-card"):
        original = original_method(order)
        if kind == "original-card" and not original.startswith("credit_card"):
            return []  # "same card as before" must be a card
        return [("", original)] if can_pay(tau, user_id, original, difference) else []
    return [
        (phrase, method_id)
        for method_id in tau.users[user_id]["payment_methods"]
        if can_pay(tau, user_id, method_id, difference)
        for phrase in method_phrases(tau, user_id, method_id)
    ]


def distinguishing(item: Data, others: list[Data]) -> list[str] | None:
    """One or two of the item's option keys whose values no other item of the list has together."""
    keys = list(item["options"])
    for size in (1, 2):
        for start in range(len(keys) - size + 1):
            chosen = keys[start : start + size]
            if not any(
                all(o["options"].get(k) == item["options"][k] for k in chosen) for o in others
            ):
                return chosen
    return None


SELF_DESCRIBING = ("color", "material", "type", "features", "style", "design", "theme")


def option_words(key: str, value: str) -> str:
    """An option value as a customer says it: "black", "size 8", "4 hours battery life"."""
    if value in ("yes", "no"):
        return f"{'with' if value == 'yes' else 'without'} {key}"
    if any(word in key for word in SELF_DESCRIBING):
        return value
    if key == "size":
        return f"size {value}"
    return f"{value} {key}"


def described(item: Data, keys: list[str], rng: random.Random) -> str:
    name = item_name(item)
    key = keys[0]
    if len(keys) == 1 and any(w in key for w in SELF_DESCRIBING) and rng.random() < 0.5:
        return f"the {item['options'][key]} {name}"
    return f"the {name} ({', '.join(option_words(k, item['options'][k]) for k in keys)})"


def language_destination(tau: Tau, user_id: str, order: Data) -> tuple[str, str]:
    original = original_method(order)
    gift_cards = [
        m for m, v in tau.users[user_id]["payment_methods"].items() if v["source"] == "gift_card"
    ]
    if len(gift_cards) == 1:
        return "gift_card", gift_cards[0]
    if original.startswith("paypal"):
        return "paypal", original
    return "original", original


def new_address(index: int) -> tuple[str, Raw]:
    address1, address2, city, state, zip_code = ph.NEW_ADDRESSES[index % len(ph.NEW_ADDRESSES)]
    text = f"{address1}, {address2}, {city}, {state} {zip_code}, USA"
    args = {
        "address1": address1,
        "address2": address2,
        "city": city,
        "state": state,
        "country": "USA",
        "zip": zip_code,
    }
    return text, args
