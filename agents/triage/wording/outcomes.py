"""A finished step in the customer's words: built from the specialist's data, not its sentence.

Each renderer takes the step's result data and returns the sentence, or None when the data does
not have the expected shape (the caller then falls back to the specialist's sentence, scrubbed
of raw ids).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from agents.triage.customer import CustomerData
from agents.triage.wording import names
from agents.triage.wording.phrases import PHRASES

Data = Mapping[str, Any]
Renderer = Callable[[Data, Mapping[str, Any], "CustomerData | None", str], "str | None"]


def say(key: str, language: str, **fields: Any) -> str:
    return names.pick(PHRASES[key], language).format(**fields)


def _method(customer: CustomerData | None, method_id: str | None, language: str) -> str:
    methods = customer.payment_methods if customer else {}
    return names.payment_method(methods.get(method_id or ""), language)


def _picked(order: Data, item_ids: Any) -> list[Mapping[str, Any]]:
    wanted = list(item_ids or [])
    return [i for i in order.get("items", []) if i.get("item_id") in wanted] or list(
        order.get("items", [])
    )


def order_details(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    order = data["order"]
    text = say(
        "order_status",
        lang,
        order=order["order_id"],
        items=names.listing((i["name"] for i in order["items"]), lang),
        status=names.status(order["status"], lang),
    )
    tracking = [t for f in order.get("fulfillments") or [] for t in f.get("tracking_id") or []]
    return f"{text} {say('tracking', lang, tracking=', '.join(tracking))}" if tracking else text


def list_orders(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    orders = data["orders"]
    if not orders:
        return say("no_orders", lang)
    listed = "; ".join(f"{o['order_id']} ({names.status(o['status'], lang)})" for o in orders)
    return say("orders_list", lang, orders=listed)


def _options(variant: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in (variant.get("options") or {}).items())


def _variants(variants: list[Mapping[str, Any]]) -> str:
    return "; ".join(f"{_options(v)} ({names.money(float(v['price']))})" for v in variants[:8])


def found_item(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    product, candidates = data["product_name"], data["candidates"]
    if len(candidates) == 1:
        variant = candidates[0]
        price = names.money(float(variant["price"]))
        return say(
            "variant_available", lang, product=product, options=_options(variant), price=price
        )
    if candidates:
        return say("variants_fit", lang, product=product, variants=_variants(candidates))
    if data.get("unavailable"):
        options = _options(data["unavailable"][0])
        text = say("variant_unavailable", lang, product=product, options=options)
        if data.get("alternatives"):
            text += " " + say("closest_available", lang, variants=_variants(data["alternatives"]))
        return text
    return say("no_variant_fits", lang, product=product)


def payment_methods(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    methods = [names.payment_method(m, lang) for m in data["payment_methods"]]
    for i, m in enumerate(data["payment_methods"]):
        if m.get("source") == "gift_card":
            methods[i] += f" ({names.money(float(m.get('balance', 0)))})"
    return say("payment_methods", lang, methods="; ".join(methods))


def gift_cards(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    cards = data["gift_cards"]
    if not cards:
        return say("no_gift_card", lang)
    return " ".join(
        say(
            "gift_card_balance",
            lang,
            method=names.payment_method(card, lang),
            amount=names.money(float(card.get("balance", 0))),
        )
        for card in cards
    )


def cancelled(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    order, refunds = data["order"], data.get("refunds") or []
    text = say("cancelled", lang, order=order["order_id"])
    by_method: dict[str, float] = {}
    for entry in refunds:
        key = entry["payment_method_id"]
        by_method[key] = by_method.get(key, 0.0) + float(entry["amount"])
    for method_id, amount in by_method.items():
        method = _method(c, method_id, lang)
        text += " " + say("refund_to", lang, amount=names.money(amount), method=method)
    return text


def items_changed(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    order, payment = data["order"], data.get("payment") or {}
    new = [i for i in order["items"] if i.get("item_id") in (args.get("new_item_ids") or [])]
    text = say("items_changed", lang, order=order["order_id"], items=names.items(new, lang))
    if payment and float(payment.get("amount", 0)):
        key = "charged_to" if payment.get("transaction_type") == "payment" else "refund_to"
        method = _method(c, payment.get("payment_method_id"), lang)
        text += " " + say(key, lang, amount=names.money(float(payment["amount"])), method=method)
    return text


def order_address(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    order = data["order"]
    address = names.address(order["address"])
    return say("address_changed", lang, order=order["order_id"], address=address)


def user_address(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    return say("default_address", lang, address=names.address(data["user"]["address"]))


def returned(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    order = data["order"]
    return say(
        "return_requested",
        lang,
        items=names.items(_picked(order, args.get("item_ids")), lang),
        order=order["order_id"],
        method=_method(c, args.get("payment_method_id"), lang),
    )


def exchanged(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    order = data["order"]
    text = say(
        "exchange_requested",
        lang,
        items=names.items(_picked(order, args.get("item_ids")), lang),
        order=order["order_id"],
    )
    difference = float(order.get("exchange_price_difference") or 0)
    if difference:
        key = "charged_to" if difference > 0 else "refund_to"
        method = _method(c, args.get("payment_method_id"), lang)
        text += " " + say(key, lang, amount=names.money(abs(difference)), method=method)
    return text


def payment_changed(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    order, payment, refund = data["order"], data["payment"], data.get("refund") or {}
    text = say(
        "paid_with",
        lang,
        order=order["order_id"],
        method=_method(c, payment["payment_method_id"], lang),
    )
    if refund and float(refund.get("amount", 0)):
        method = _method(c, refund.get("payment_method_id"), lang)
        text += " " + say(
            "refund_to", lang, amount=names.money(float(refund["amount"])), method=method
        )
    return text


def handoff(data: Data, args: Mapping[str, Any], c: CustomerData | None, lang: str) -> str:
    return say("handoff", lang, reference=data["handoff"]["id"])


RENDERERS: Mapping[str, Renderer] = {
    "get_order_details": order_details,
    "list_orders": list_orders,
    "get_payment_methods": payment_methods,
    "find_item": found_item,
    "get_gift_card_balance": gift_cards,
    "cancel_pending_order": cancelled,
    "modify_pending_order_items": items_changed,
    "modify_pending_order_address": order_address,
    "modify_user_address": user_address,
    "return_delivered_order_items": returned,
    "exchange_delivered_order_items": exchanged,
    "modify_pending_order_payment": payment_changed,
    "transfer_to_human_agents": handoff,
}
"""Skills whose result is worded here; the others keep the specialist's sentence (scrubbed)."""


def render(
    skill: str,
    data: Data | None,
    arguments: Mapping[str, Any],
    customer: CustomerData | None,
    language: str,
) -> str | None:
    renderer = RENDERERS.get(skill)
    if renderer is None or not data:
        return None
    try:
        return renderer(data, arguments, customer, language)
    except (KeyError, TypeError, ValueError):
        return None  # an unexpected shape: the specialist's own sentence, scrubbed
