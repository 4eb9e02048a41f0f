"""The planner's own sentences (notes, questions) in the customer's language, without raw ids.

The planner and its questions speak English; each sentence it is known to produce is a pattern
here, worded again from ``phrases.PHRASES``. A sentence without a pattern stays English. Raw
payment-method and item ids are replaced by their customer-facing names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from agents.triage.customer import CustomerData
from agents.triage.wording import names
from agents.triage.wording.phrases import PHRASES
from agents.triage.wording.planner_phrases import ADDRESS_OF, ITEM_VERBS

Fields = Callable[[dict[str, str], str], dict[str, str]]


def _same(fields: dict[str, str], language: str) -> dict[str, str]:
    return fields


@dataclass(frozen=True, slots=True)
class Known:
    """An English sentence of the planner and the phrase that says it in every language;
    ``fields`` words the captured parts in the language."""

    phrase: str
    pattern: re.Pattern[str]
    fields: Fields = _same


def _exact(phrase: str) -> Known:
    return Known(phrase, re.compile(re.escape(PHRASES[phrase]["en"])))


def _status(fields: dict[str, str], language: str) -> dict[str, str]:
    return {**fields, "status": names.status(fields["status"], language)}


_LISTED_STATUS = re.compile(r"\((pending|processed|delivered|cancelled)(?=[:)])")
_CARD_NAMED = re.compile(r"(?i)^(?:your )?(\w+) ending (\d{4})$")
_GIFT_NAMED = re.compile(r"(?i)^(?:your )?gift card(?: \(balance ([\d.]+)\))?$")


def _method(text: str, language: str) -> str:
    """A payment method as ``clarify`` names it in English, named in ``language``."""
    text = text.strip()
    card = _CARD_NAMED.match(text)
    if card:
        method = {"source": "credit_card", "brand": card.group(1), "last_four": card.group(2)}
        return names.payment_method(method, language)
    gift = _GIFT_NAMED.match(text)
    if gift:
        balance = f" ({names.money(float(gift.group(1)))})" if gift.group(1) else ""
        return names.payment_method({"source": "gift_card"}, language) + balance
    if text.lower() in ("paypal", "your paypal"):
        return names.payment_method({"source": "paypal"}, language)
    return text


def _listed(fields: dict[str, str], language: str) -> dict[str, str]:
    listed = _LISTED_STATUS.sub(
        lambda m: f"({names.status(m.group(1), language)}", fields["listed"]
    )
    return {**fields, "listed": listed}


def _verb(fields: dict[str, str], language: str) -> dict[str, str]:
    return {**fields, "verb": names.pick(ITEM_VERBS[fields["verb"]], language)}


def _where(fields: dict[str, str], language: str) -> dict[str, str]:
    order = re.search(r"#W\d+", fields["where"])
    table = ADDRESS_OF["order" if order else "account"]
    return {"where": names.pick(table, language).format(order=order.group(0) if order else "")}


def _targets(fields: dict[str, str], language: str) -> dict[str, str]:
    worded = []
    for target in fields["targets"].split(" or to "):
        original = re.fullmatch(r"the original payment method, (.+)", target)
        if original:
            method = _method(original.group(1), language)
            worded.append(names.pick(PHRASES["original_method"], language).format(method=method))
        else:
            worded.append(_method(target, language))
    joiner = f" {names.pick(PHRASES['or'], language)} "
    return {**fields, "targets": joiner.join(worded)}


def _methods(fields: dict[str, str], language: str) -> dict[str, str]:
    listed = "; ".join(_method(m, language) for m in fields["listed"].split("; "))
    return {**fields, "listed": listed}


def _why(fields: dict[str, str], language: str) -> dict[str, str]:
    return {"why": translate(fields["why"], language)}


_STATUS = r"(?P<status>[\w ()]+?)"
_ORDER = r"(?P<order>#W\d+)"
KNOWN: tuple[Known, ...] = (
    *(_exact(k) for k in ("out_of_scope", "thanks", "handed_over", "help", "no_matching_order")),
    *(_exact(k) for k in PHRASES if k.startswith("topic_")),
    _exact("why_claim"),
    Known(
        "identify",
        re.compile(r"I need to know whose account this is about: please sign in, or give the "
                   r"email address on your account\."),
    ),
    Known(
        "cancel_reason",
        re.compile(rf"Why would you like to cancel {_ORDER}: is it no longer needed, or was it "
                   r"ordered by mistake\?"),
    ),
    Known("already_cancelled", re.compile(rf"{_ORDER} is already cancelled\.")),
    Known("not_your_orders", re.compile(r"I could not find (?P<orders>.+?) among your orders, "
                                        r"so I left it alone\.")),
    Known("refused", re.compile(r"I can't do that: (?P<why>.+)\."), _why),
    Known("why_cancel", re.compile(rf"{_ORDER} is {_STATUS}, so it can't be cancelled"), _status),
    Known("why_change", re.compile(rf"{_ORDER} is {_STATUS}, so its items can't be changed"),
          _status),
    Known("why_return", re.compile(rf"{_ORDER} is {_STATUS}, so it can't be returned yet"),
          _status),
    Known("why_address", re.compile(rf"{_ORDER} has already left, so its address is fixed")),
    Known("why_payment", re.compile(rf"{_ORDER} is {_STATUS}; its payment is final"), _status),
    Known(
        "which_order",
        re.compile(r"Which order do you mean\? Orders that can be (?P<purpose>.+?): "
                   r"(?P<listed>.+)\. Please reply with the order id\."),
        _listed,
    ),
    Known(
        "which_items",
        re.compile(rf"Which items of {_ORDER} would you like to (?P<verb>change|return)\? "
                   r"It holds: (?P<items>.+)\."),
        _verb,
    ),
    Known(
        "new_address",
        re.compile(r"What is the new address (?P<where>for (?:#W\d+|your account))\? Please give "
                   r"street, suite \(if any\), city, state and ZIP code\."),
        _where,
    ),
    Known("refund_where", re.compile(rf"Should the refund for {_ORDER} go to (?P<targets>.+)\?"),
          _targets),
    Known(
        "which_payment",
        re.compile(r"(?:I could not tell which '.+?' you mean\. )?Which payment method should I "
                   r"use for (?P<purpose>.+?)\? On file: (?P<listed>.+)\."),
        _methods,
    ),
)  # fmt: skip
"""Sentences of the planner (``planner.py``, ``clarify.py``) with a phrase of their own."""
SEVERAL = re.compile(r"Before I go ahead I need a few details: (?P<details>.*)", re.DOTALL)
NUMBERED = re.compile(r"\((\d+)\) ")

PAYMENT_ID = re.compile(r"\b(?:credit_card|paypal|gift_card)_\d+\b")
_PAYMENT_ID_IN_PARENS = re.compile(r"\s*\((?:credit_card|paypal|gift_card)_\d+\)")
_PAYMENT_ID_LEADING = re.compile(r"(?<=\()(?:credit_card|paypal|gift_card)_\d+,\s*")
ITEM_ID = re.compile(r"(?<![\d#W])\b\d{10}\b")
_ITEM_ID_EQUALS = re.compile(r"\s*=\s*\d{10}\b")
_IS_ITEM = re.compile(r"\bis item \d{10}, ")


def known(text: str) -> str | None:
    """The phrase key of a planner sentence (None: not one we word again)."""
    for entry in KNOWN:
        if entry.pattern.fullmatch(text.strip()):
            return entry.phrase
    return None


def translate(text: str, language: str) -> str:
    """One planner sentence in ``language`` (English when there is no pattern for it)."""
    several = SEVERAL.fullmatch(text.strip())
    if several and language != names.DEFAULT_LANGUAGE:
        parts = [p.strip() for p in NUMBERED.split(several.group("details"))]
        numbered = [
            f"({n}) {translate(p, language)}" for n, p in zip(parts[1::2], parts[2::2], strict=True)
        ]
        return names.pick(PHRASES["several_details"], language).format(details=" ".join(numbered))
    if language == names.DEFAULT_LANGUAGE and not text.startswith("I need to know whose"):
        return text
    for entry in KNOWN:
        match = entry.pattern.fullmatch(text.strip())
        if match:
            fields = entry.fields(match.groupdict(), language)
            return names.pick(PHRASES[entry.phrase], language).format(**fields)
    return text


def scrub(text: str, customer: CustomerData | None, language: str) -> str:
    """``text`` with payment-method and item ids replaced by what the customer knows them by."""
    text = _PAYMENT_ID_IN_PARENS.sub("", text)
    text = _PAYMENT_ID_LEADING.sub("", text)
    methods = customer.payment_methods if customer else {}
    text = PAYMENT_ID.sub(lambda m: names.payment_method(methods.get(m.group(0)), language), text)
    text = _IS_ITEM.sub("is ", _ITEM_ID_EQUALS.sub("", text))
    known_items = _item_names(customer)
    return ITEM_ID.sub(lambda m: known_items.get(m.group(0), m.group(0)), text)


def _item_names(customer: CustomerData | None) -> Mapping[str, str]:
    if customer is None:
        return {}
    found = {
        item["item_id"]: names.item(item)
        for order in customer.orders.values()
        for item in order.get("items", [])
    }
    for product in customer.products.values():
        for variant in product.get("variants", {}).values():
            entry = {"name": product["name"], "options": variant.get("options", {})}
            found.setdefault(variant["item_id"], names.item(entry))
    return found
