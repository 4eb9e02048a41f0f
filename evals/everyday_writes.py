"""Everyday families that ask for one write on one order."""

from __future__ import annotations

import random
from collections.abc import Iterator

import everyday_phrasing as ph
from everyday_lookup import (
    Raw,
    Tau,
    can_pay,
    cancel,
    change_methods,
    change_phrase,
    described,
    distinguishing,
    expect,
    first_fit,
    item_name,
    method_phrases,
    new_address,
    option_changes,
    order_ref,
    return_destinations,
    return_items,
    scenario,
    single_items,
    unique_product_item,
)


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
                    methods = change_methods(tau, user_id, order, kind, difference)
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
