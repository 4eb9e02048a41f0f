"""Everyday families of conversations: status, handoffs, two turns, languages, two requests."""

from __future__ import annotations

import random
from collections.abc import Iterator

import everyday_phrasing as ph
from everyday_lookup import (
    Data,
    Raw,
    Tau,
    cancel,
    described,
    expect,
    first_fit,
    handoff,
    item_name,
    language_destination,
    new_address,
    order_ref,
    return_destinations,
    return_items,
    scenario,
    unique_product_item,
)


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
                dest_kind, method_id = language_destination(tau, user_id, order)
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
