"""Build the everyday suite (evals/scenarios/everyday/*.jsonl) from its phrasing and τ-bench.

The sentences are ``everyday_phrasing.py``'s, written first. This script only picks, for each
template, a τ-bench customer whose own data gives the sentence exactly one meaning (the item is the
only one of its product in the customer's relevant orders, the payment phrase names one method, the
option change names one available variant), fills the slots and computes the expectations from the
semantics of ``../shared/spec/retail-actions.md``: the expected writes replay without error on a
fresh seed (checked here and by tests/evaluation/test_scenario_gold.py).

    .venv/bin/python evals/everyday_build.py        # rewrites evals/scenarios/everyday/

Deterministic: same data, same files. The files carry ids, prices and our own sentences only.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "evals")]  # run as a script or loaded by its test

import everyday_phrasing as ph  # noqa: E402

from store import load_tau, replay  # noqa: E402
from store.seeds import datasets_dir  # noqa: E402

OUT = ROOT / "evals" / "scenarios" / "everyday"
READS = ["billing", "orders"]
OWNER = {
    "cancel_pending_order": "orders",
    "modify_pending_order_items": "orders",
    "modify_pending_order_address": "orders",
    "modify_user_address": "orders",
    "return_delivered_order_items": "orders",
    "modify_pending_order_payment": "billing",
    "transfer_to_human_agents": "escalation",
}
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


# --- families ------------------------------------------------------------------------------


def cancel_reasons(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    for n, (style, reason, form, text) in enumerate(ph.CANCEL_REASONS, start=1):

        def fit(
            user_id: str,
            n: int = n,
            style: str = style,
            form: str = form,
            text: str = text,
            reason: str = reason,
        ) -> Raw | None:
            pending = tau.user_orders(user_id, "pending")
            if not pending:
                return None
            if form == "item":
                order = pending[0]
                item = unique_product_item(tau, user_id, order, ())
                if item is None:
                    return None
                turn = text.format(item=item_name(item))
            else:
                order = pending[-1]
                turn = text.format(ref=order_ref(order["order_id"], form))
            tags = ["cancel_pending_order", f"id-{form}"]
            return scenario(
                "cancel_reasons",
                n,
                style,
                user_id,
                [turn],
                expect([cancel(order["order_id"], reason)]),
                tags,
            )

        yield first_fit(tau, f"cancel-{n}", used, fit)


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


def item_changes(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    templates = ph.ITEM_CHANGES * 2
    for n, (style, form, pay_kind, text) in enumerate(templates, start=1):
        rng = random.Random(f"item-change-{n}")

        def fit(
            user_id: str,
            n: int = n,
            style: str = style,
            form: str = form,
            pay_kind: str = pay_kind,
            text: str = text,
            rng: random.Random = rng,
        ) -> Raw | None:
            for order in tau.user_orders(user_id, "pending"):
                for item in single_items(order):
                    if (
                        form == "item"
                        and len(tau.orders_with(user_id, item["product_id"], "pending")) != 1
                    ):
                        continue
                    changes = option_changes(tau, item)
                    if not changes:
                        continue
                    key, value, variant = changes[rng.randrange(len(changes))]
                    difference = variant["price"] - item["price"]
                    kind = (
                        f"{pay_kind}-card"
                        if pay_kind == "original" and "card" in text
                        else pay_kind
                    )
                    methods = _change_methods(tau, user_id, order, kind, difference)
                    if not methods:
                        continue
                    pay, method_id = methods[rng.randrange(len(methods))]
                    turn = text.format(
                        item=item_name(item),
                        change=change_phrase(key, value),
                        ref=order_ref(order["order_id"], form) if form != "item" else "",
                        pay=pay,
                    )
                    action = {
                        "name": "modify_pending_order_items",
                        "args": {
                            "order_id": order["order_id"],
                            "item_ids": [item["item_id"]],
                            "new_item_ids": [variant["item_id"]],
                            "payment_method_id": method_id,
                        },
                    }
                    tags = [
                        "modify_pending_order_items",
                        f"option-{key.replace(' ', '-')}",
                        f"pay-{pay_kind}",
                        f"id-{form}",
                    ]
                    return scenario(
                        "item_changes", n, style, user_id, [turn], expect([action]), tags
                    )
            return None

        yield first_fit(tau, f"item-change-{n}", used, fit)


def _change_methods(
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


def items_by_options(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    for n, (style, _kind, text) in enumerate(ph.ITEMS_BY_OPTIONS * 2, start=1):
        rng = random.Random(f"by-options-{n}")

        def fit(
            user_id: str, n: int = n, style: str = style, text: str = text, rng: random.Random = rng
        ) -> Raw | None:
            delivered = [(o, i) for o in tau.user_orders(user_id, "delivered") for i in o["items"]]
            for order, item in delivered:
                same = [i for _, i in delivered if i["product_id"] == item["product_id"]]
                others = [i for i in same if i["item_id"] != item["item_id"]]
                if not others or len(same) - len(others) != 1:
                    continue
                values = distinguishing(item, others)
                if values is None:
                    continue
                dest, method_id = return_destinations(tau, user_id, order, rng)[0]
                turn = text.format(described=described(item, values, rng), dest=dest)
                action = return_items(order["order_id"], [item["item_id"]], method_id)
                return scenario(
                    "items_by_options",
                    n,
                    style,
                    user_id,
                    [turn],
                    expect([action]),
                    ["return_delivered_order_items"],
                )
            return None

        yield first_fit(tau, f"by-options-{n}", used, fit)


def refund_destinations(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    for n, (style, form, text) in enumerate(ph.REFUND_DESTINATIONS * 2, start=1):
        rng = random.Random(f"refund-{n}")

        def fit(
            user_id: str,
            n: int = n,
            style: str = style,
            form: str = form,
            text: str = text,
            rng: random.Random = rng,
        ) -> Raw | None:
            for order in tau.user_orders(user_id, "delivered"):
                item = unique_product_item(
                    tau, user_id, order, ("delivered",) if form != "item" else ()
                )
                if item is None:
                    continue
                dest, method_id = return_destinations(tau, user_id, order, rng)[0]
                turn = text.format(
                    item=item_name(item),
                    dest=dest,
                    ref=order_ref(order["order_id"], form) if form != "item" else "",
                )
                action = return_items(order["order_id"], [item["item_id"]], method_id)
                kind = tau.users[user_id]["payment_methods"][method_id]["source"]
                return scenario(
                    "refund_destinations",
                    n,
                    style,
                    user_id,
                    [turn],
                    expect([action]),
                    ["return_delivered_order_items", f"refund-{kind}", f"id-{form}"],
                )
            return None

        yield first_fit(tau, f"refund-{n}", used, fit)


def return_all(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    templates = [(s, f, [t]) for s, f, t in ph.RETURN_ALL_ONE_TURN]
    templates += [(s, f, [t1, t2]) for s, f, t1, t2 in ph.RETURN_ALL_TWO_TURNS]
    for n, (style, form, texts) in enumerate(templates, start=1):
        rng = random.Random(f"return-all-{n}")

        def fit(
            user_id: str,
            n: int = n,
            style: str = style,
            form: str = form,
            texts: list[str] = texts,
            rng: random.Random = rng,
        ) -> Raw | None:
            for order in tau.user_orders(user_id, "delivered"):
                if len({i["item_id"] for i in order["items"]}) < 2:
                    continue
                dest, method_id = return_destinations(tau, user_id, order, rng)[0]
                turns = [t.format(ref=order_ref(order["order_id"], form), dest=dest) for t in texts]
                action = return_items(
                    order["order_id"], [i["item_id"] for i in order["items"]], method_id
                )
                tags = [
                    "return_delivered_order_items",
                    "two-turn" if len(turns) > 1 else "one-turn",
                ]
                return scenario(
                    "return_all", n, style, user_id, turns, expect([action], turns=len(turns)), tags
                )
            return None

        yield first_fit(tau, f"return-all-{n}", used, fit)


def status_words(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    for n, (style, form, text) in enumerate(ph.STATUS, start=1):

        def fit(
            user_id: str, n: int = n, style: str = style, form: str = form, text: str = text
        ) -> Raw | None:
            for order in tau.user_orders(user_id, "pending", "processed", "delivered"):
                if form == "item":
                    item = unique_product_item(tau, user_id, order, ())
                    if item is None:
                        continue
                    turn = text.format(item=item_name(item))
                else:
                    turn = text.format(ref=order_ref(order["order_id"], form))
                body = expect(
                    [], agents={"orders"}, extra={"reply_contains": [order["order_id"][1:]]}
                )
                return scenario(
                    "status_words",
                    n,
                    style,
                    user_id,
                    [turn],
                    body,
                    ["read", order["status"], f"id-{form}"],
                )
            return None

        yield first_fit(tau, f"status-{n}", used, fit)


def missing_damaged(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    for n, (style, problem, form, text) in enumerate(ph.MISSING_OR_DAMAGED, start=1):

        def fit(
            user_id: str,
            n: int = n,
            style: str = style,
            problem: str = problem,
            form: str = form,
            text: str = text,
        ) -> Raw | None:
            for order in tau.user_orders(user_id, "delivered"):
                item = unique_product_item(tau, user_id, order, ()) if "{item}" in text else None
                if "{item}" in text and item is None:
                    continue
                turn = text.format(
                    item=item_name(item) if item else "",
                    ref=order_ref(order["order_id"], form) if form != "item" else "",
                )
                return scenario(
                    "missing_damaged",
                    n,
                    style,
                    user_id,
                    [turn],
                    expect([handoff()]),
                    ["transfer_to_human_agents", problem, f"id-{form}"],
                )
            return None

        yield first_fit(tau, f"missing-{n}", used, fit)


def cancel_which(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    answers = ph.CANCEL_WHICH_ANSWERS
    forms = ["digits", "lower", "hash", "w"]
    for n in range(1, 25):
        style, reason, first = ph.CANCEL_WHICH[(n - 1) % len(ph.CANCEL_WHICH)]
        kind, answer = answers[(n - 1) % len(answers)]
        rng = random.Random(f"which-{n}")

        def fit(
            user_id: str,
            n: int = n,
            style: str = style,
            kind: str = kind,
            answer: str = answer,
            first: str = first,
            reason: str = reason,
            rng: random.Random = rng,
        ) -> Raw | None:
            pending = tau.user_orders(user_id, "pending")
            if len(pending) < 2:
                return None
            for order in pending:
                if kind == "number":
                    second = answer.format(ref=order_ref(order["order_id"], forms[n % len(forms)]))
                else:
                    item = unique_product_item(tau, user_id, order, ())
                    if item is None:
                        continue
                    if kind == "item":
                        second = answer.format(item=item_name(item))
                    else:
                        values = list(item["options"])[:1]
                        second = answer.format(described=described(item, values, rng))
                body = expect([cancel(order["order_id"], reason)], turns=2)
                return scenario(
                    "cancel_which",
                    n,
                    style,
                    user_id,
                    [first, second],
                    body,
                    [
                        "cancel_pending_order",
                        "two-turn",
                        f"answer-{kind}",
                        f"pending-{len(pending)}",
                    ],
                )
            return None

        yield first_fit(tau, f"which-{n}", used, fit)


LANGUAGE_DEST = {"gift_card": "gift_card", "paypal": "paypal"}


def languages(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    for n, (language, kind, form, text) in enumerate(ph.LANGUAGES, start=1):

        def fit(
            user_id: str,
            n: int = n,
            language: str = language,
            kind: str = kind,
            form: str = form,
            text: str = text,
        ) -> Raw | None:
            status = {
                "status": ("pending", "processed", "delivered"),
                "return-all": ("delivered",),
                "damaged": ("delivered",),
                "missing": ("delivered",),
            }.get(kind, ("pending",))
            orders = tau.user_orders(user_id, *status)
            if not orders:
                return None
            order = orders[0]
            ref = order_ref(order["order_id"], form)
            extra: Raw = {}
            if kind.startswith("cancel"):
                reason = ph.NO_LONGER if kind == "cancel-no-longer" else ph.MISTAKE
                actions, agents = [cancel(order["order_id"], reason)], None
            elif kind == "status":
                actions, agents = [], {"orders"}
                extra = {"reply_contains": [order["order_id"][1:]]}
            elif kind == "return-all":
                dest_kind, method_id = _language_destination(tau, user_id, order)
                text = text.replace("{dest_" + language + "}", ph.DEST_WORDS[language][dest_kind])
                actions = [
                    return_items(
                        order["order_id"], [i["item_id"] for i in order["items"]], method_id
                    )
                ]
                agents = None
            else:
                actions, agents = [handoff()], None
            turn = text.format(ref=ref)
            return scenario(
                "languages",
                n,
                language,
                user_id,
                [turn],
                expect(actions, agents=agents, extra=extra),
                [language, kind],
            )

        yield first_fit(tau, f"language-{n}", used, fit)


def _language_destination(tau: Tau, user_id: str, order: Data) -> tuple[str, str]:
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


ROLE_STATUS = {
    "cancel-no-longer": ("pending",),
    "cancel-mistake": ("pending",),
    "status": ("pending", "processed", "delivered"),
    "return-all": ("delivered",),
    "handoff-damaged": ("delivered",),
    "handoff-missing": ("delivered",),
}


def multi_requests(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    forms = ["hash", "w", "lower", "digits"]
    for n, (style, role_a, role_b, text) in enumerate(ph.MULTI_REQUESTS, start=1):
        rng = random.Random(f"multi-{n}")

        def fit(
            user_id: str,
            n: int = n,
            style: str = style,
            role_a: str = role_a,
            role_b: str = role_b,
            text: str = text,
            rng: random.Random = rng,
        ) -> Raw | None:
            picked: dict[str, Data] = {}
            for slot, role in (("a", role_a), ("b", role_b)):
                if role == "address":
                    continue
                choices = [
                    o
                    for o in tau.user_orders(user_id, *ROLE_STATUS[role])
                    if o not in picked.values()
                ]
                if not choices:
                    return None
                picked[slot] = choices[0]
            slots: Raw = {
                s: order_ref(o["order_id"], forms[(n + i) % 4])
                for i, (s, o) in enumerate(picked.items())
            }
            actions: list[Raw] = []
            agents: set[str] = set()
            replies: list[str] = []
            for slot, role in (("a", role_a), ("b", role_b)):
                if role == "address":
                    slots["address"], args = new_address(n)
                    actions.append(
                        {"name": "modify_user_address", "args": {"user_id": user_id, **args}}
                    )
                    continue
                order = picked[slot]
                if role.startswith("cancel"):
                    reason = ph.NO_LONGER if role == "cancel-no-longer" else ph.MISTAKE
                    actions.append(cancel(order["order_id"], reason))
                elif role == "status":
                    agents.add("orders")
                    replies.append(order["order_id"][1:])
                elif role == "return-all":
                    slots["dest"], method_id = return_destinations(tau, user_id, order, rng)[0]
                    actions.append(
                        return_items(
                            order["order_id"], [i["item_id"] for i in order["items"]], method_id
                        )
                    )
                else:
                    actions.append(handoff())
            extra = {"reply_contains": replies} if replies else None
            return scenario(
                "multi_requests",
                n,
                style,
                user_id,
                [text.format(**slots)],
                expect(actions, agents=agents, extra=extra),
                [role_a, role_b],
            )

        yield first_fit(tau, f"multi-{n}", used, fit)


def address_changes(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    for n, (style, scope, form, text) in enumerate(ph.ADDRESSES, start=1):

        def fit(
            user_id: str,
            n: int = n,
            style: str = style,
            scope: str = scope,
            form: str | None = form,
            text: str = text,
        ) -> Raw | None:
            address, args = new_address(n + 3)
            if scope == "user":
                action = {"name": "modify_user_address", "args": {"user_id": user_id, **args}}
                return scenario(
                    "address_changes",
                    n,
                    style,
                    user_id,
                    [text.format(address=address)],
                    expect([action]),
                    ["modify_user_address"],
                )
            for order in tau.user_orders(user_id, "pending"):
                if form == "item":
                    item = unique_product_item(tau, user_id, order, ())
                    if item is None:
                        continue
                    turn = text.format(item=item_name(item), address=address)
                else:
                    turn = text.format(ref=order_ref(order["order_id"], str(form)), address=address)
                action = {
                    "name": "modify_pending_order_address",
                    "args": {"order_id": order["order_id"], **args},
                }
                return scenario(
                    "address_changes",
                    n,
                    style,
                    user_id,
                    [turn],
                    expect([action]),
                    ["modify_pending_order_address", f"id-{form}"],
                )
            return None

        yield first_fit(tau, f"address-{n}", used, fit)


def payment_changes(tau: Tau) -> Iterator[Raw]:
    used: set[str] = set()
    for n, (style, form, text) in enumerate(ph.PAYMENTS, start=1):
        rng = random.Random(f"payment-{n}")

        def fit(
            user_id: str,
            n: int = n,
            style: str = style,
            form: str = form,
            text: str = text,
            rng: random.Random = rng,
        ) -> Raw | None:
            for order in tau.user_orders(user_id, "pending"):
                history = order["payment_history"]
                if len(history) != 1 or history[0]["transaction_type"] != "payment":
                    continue
                current, amount = history[0]["payment_method_id"], history[0]["amount"]
                choices = [
                    (phrase, m)
                    for m in tau.users[user_id]["payment_methods"]
                    if m != current and can_pay(tau, user_id, m, amount)
                    for phrase in method_phrases(tau, user_id, m)
                ]
                if not choices:
                    continue
                item = unique_product_item(tau, user_id, order, ()) if form == "item" else None
                if form == "item" and item is None:
                    continue
                pay, method_id = choices[rng.randrange(len(choices))]
                turn = text.format(
                    pay=pay,
                    item=item_name(item) if item else "",
                    ref=order_ref(order["order_id"], form) if form != "item" else "",
                )
                action = {
                    "name": "modify_pending_order_payment",
                    "args": {"order_id": order["order_id"], "payment_method_id": method_id},
                }
                kind = tau.users[user_id]["payment_methods"][method_id]["source"]
                return scenario(
                    "payment_changes",
                    n,
                    style,
                    user_id,
                    [turn],
                    expect([action]),
                    ["modify_pending_order_payment", f"to-{kind}", f"id-{form}"],
                )
            return None

        yield first_fit(tau, f"payment-{n}", used, fit)


FAMILIES: dict[str, Callable[[Tau], Iterator[Raw]]] = {
    "cancel_reasons": cancel_reasons,
    "item_changes": item_changes,
    "items_by_options": items_by_options,
    "refund_destinations": refund_destinations,
    "return_all": return_all,
    "status_words": status_words,
    "missing_damaged": missing_damaged,
    "cancel_which": cancel_which,
    "languages": languages,
    "multi_requests": multi_requests,
    "address_changes": address_changes,
    "payment_changes": payment_changes,
}


def check_replays(data: Data, scenarios: list[Raw]) -> None:
    for raw in scenarios:
        actions = [{"name": a["name"], "kwargs": a["args"]} for a in raw["expect"]["actions"]]
        actions = [a for a in actions if a["name"] != "transfer_to_human_agents"]
        _, errors = replay(data, actions)
        if any(errors):
            raise AssertionError(f"{raw['id']}: expected writes do not replay: {errors}")


def build_all(data: Data) -> dict[str, str]:
    """File name → JSONL text of every family, checked to replay."""
    tau = Tau(data)
    files = {}
    for family, build in FAMILIES.items():
        scenarios = list(build(tau))
        check_replays(data, scenarios)
        lines = [json.dumps(s, ensure_ascii=False) for s in scenarios]
        files[f"{family}.jsonl"] = "\n".join(lines) + "\n"
    return files


def main() -> None:
    files = build_all(load_tau(datasets_dir() / "tau-bench-retail"))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"{name.removesuffix('.jsonl'):22} {text.count(chr(10)):4}")
    print(f"{'total':22} {sum(t.count(chr(10)) for t in files.values()):4}")


if __name__ == "__main__":
    main()
