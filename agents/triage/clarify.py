"""Questions the triage asks: one specific question, naming the candidates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agents.triage.customer import CustomerData
from agents.triage.nlu.entities import ItemMention, PaymentRef


def options_text(options: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in options.items())


def describe_order(order: Mapping[str, Any]) -> str:
    items = ", ".join(i["name"] for i in order["items"])
    return f"{order['order_id']} ({order['status']}: {items})"


def describe_payment(method_id: str, method: Mapping[str, Any]) -> str:
    source = method.get("source")
    if source == "credit_card":
        brand = str(method.get("brand", "card")).title()
        return f"{brand} ending {method.get('last_four', '????')} ({method_id})"
    if source == "gift_card":
        return f"gift card ({method_id}, balance {float(method.get('balance', 0)):.2f})"
    return f"{str(source).replace('_', ' ')} ({method_id})"


def merge(gaps: Sequence[str]) -> str:
    unique = list(dict.fromkeys(gaps))
    if len(unique) == 1:
        return unique[0]
    numbered = " ".join(f"({n}) {g}" for n, g in enumerate(unique, 1))
    return f"Before I go ahead I need a few details: {numbered}"


def who_are_you() -> str:
    return (
        "I need to know whose account this is about: please sign in, or give the email "
        "address on your account."
    )


def which_order(candidates: Sequence[Mapping[str, Any]], purpose: str) -> str:
    listed = "; ".join(describe_order(o) for o in candidates)
    return (
        f"Which order do you mean? Orders that can be {purpose}: {listed}. "
        "Please reply with the order id."
    )


def cancel_reason(order_id: str) -> str:
    return (
        f"Why would you like to cancel {order_id}: is it no longer needed, or was it ordered "
        "by mistake?"
    )


def which_items(order: Mapping[str, Any], verb: str) -> str:
    items = "; ".join(f"{i['name']} ({options_text(i['options'])})" for i in order["items"])
    return f"Which items of {order['order_id']} would you like to {verb}? It holds: {items}."


def which_item(
    order: Mapping[str, Any], mention: ItemMention, matches: Sequence[Mapping[str, Any]]
) -> str:
    listed = " or ".join(f"the one with {options_text(i['options'])}" for i in matches)
    return f"Which {mention.name} in {order['order_id']} do you mean: {listed}?"


def no_such_item(order: Mapping[str, Any], mention: ItemMention) -> str:
    items = ", ".join(i["name"] for i in order["items"])
    return (
        f"I could not find that {mention.name} in {order['order_id']} (it holds {items}). "
        "Which item do you mean?"
    )


def which_target(
    item: Mapping[str, Any], product: Mapping[str, Any], wanted: Mapping[str, Any] | None = None
) -> str:
    available = [v for v in product["variants"].values() if v.get("available", True)]
    choices = "; ".join(options_text(v["options"]) for v in available[:8])
    lead = (
        f"The {item['name']} is not made with {options_text(wanted)}. "
        if wanted
        else f"Which {item['name']} would you like instead? "
    )
    return f"{lead}Available options: {choices}."


def which_value(item: Mapping[str, Any], product: Mapping[str, Any], keys: Sequence[str]) -> str:
    """ "in a different size": the values the item can have instead, keeping the most of its
    other options."""
    current = {k: str(v) for k, v in item["options"].items()}
    others = [k for k in current if k not in keys]
    different = [
        v
        for v in product["variants"].values()
        if v.get("available", True)
        and any(str(v["options"].get(k)) != current.get(k) for k in keys)
    ]
    if not different:
        return which_target(item, product)

    def kept(variant: Mapping[str, Any]) -> int:
        return sum(str(variant["options"].get(k)) == current[k] for k in others)

    best = max(kept(v) for v in different)
    fits = [v for v in different if kept(v) == best]
    what = " and ".join(keys)
    now = options_text({k: current[k] for k in keys if k in current})
    if best == len(others):
        values = [" ".join(str(v["options"].get(k)) for k in keys) for v in fits]
        same = options_text({k: current[k] for k in others})
        listed = " or ".join(dict.fromkeys(values))
        return (
            f"Which {what} would you like for the {item['name']} (now {now})? "
            f"With {same}, it comes in {listed}."
        )
    listed = " or ".join(options_text(v["options"]) for v in fits[:6])
    return f"Which {item['name']} would you like instead of {now}: {listed}?"


def which_variant(item: Mapping[str, Any], variants: Sequence[Mapping[str, Any]]) -> str:
    listed = " or ".join(options_text(v["options"]) for v in variants[:6])
    return f"Which {item['name']} would you like: {listed}?"


def new_address(order_id: str | None) -> str:
    where = f"for {order_id}" if order_id else "for your account"
    return (
        f"What is the new address {where}? Please give street, suite (if any), city, state "
        "and ZIP code."
    )


def which_payment(
    customer: CustomerData,
    order: Mapping[str, Any] | None,
    purpose: str,
    refs: Sequence[PaymentRef],
) -> str:
    candidates = [c for r in refs for c in r.candidates] or list(customer.payment_methods)
    listed = "; ".join(
        describe_payment(m, customer.payment_methods[m])
        for m in dict.fromkeys(candidates)
        if m in customer.payment_methods
    )
    unresolved = [r.text for r in refs if r.method_id is None]
    lead = f"I could not tell which '{unresolved[0]}' you mean. " if unresolved else ""
    return f"{lead}Which payment method should I use for {purpose}? On file: {listed}."


def refund_options(customer: CustomerData, original: str | None) -> list[str]:
    """Where a refund may go: the order's original method, then the customer's gift cards."""
    methods = customer.payment_methods
    gift_cards = [m for m, v in methods.items() if v.get("source") == "gift_card" and m != original]
    return ([original] if original else []) + gift_cards


def refund_method(customer: CustomerData, order: Mapping[str, Any], options: Sequence[str]) -> str:
    methods = customer.payment_methods
    history = order.get("payment_history") or []
    original = history[0]["payment_method_id"] if history else None
    described = [
        f"the original payment method, {describe_payment(m, methods[m])}"
        if m == original
        else f"your {describe_payment(m, methods[m])}"
        for m in options
    ]
    if not described:
        return f"Where should the refund for {order['order_id']} go?"
    return f"Should the refund for {order['order_id']} go to {' or to '.join(described)}?"


def remedy(order: Mapping[str, Any], names: Sequence[str]) -> str:
    """Return or exchange (delivered), change or cancel (pending)?"""
    what = " and ".join(dict.fromkeys(names)) or "item"
    if order["status"] == "pending":
        return (
            f"Sorry about the {what} in {order['order_id']}. Would you like to change it to "
            "another option before it ships, or cancel the order?"
        )
    return (
        f"Sorry about the {what} from {order['order_id']}. Would you like to return it for a "
        "refund, or exchange it for another option of the same product?"
    )
