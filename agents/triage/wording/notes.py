"""The planner's own sentences (notes, questions) in the customer's language, without raw ids.

The planner and its questions speak English; each sentence it is known to produce is a pattern
here, worded again from ``phrases.PHRASES``. A sentence without a pattern stays English. Raw
payment-method and item ids are replaced by their customer-facing names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from agents.triage.customer import CustomerData
from agents.triage.wording import names
from agents.triage.wording.phrases import PHRASES


@dataclass(frozen=True, slots=True)
class Known:
    """An English sentence of the planner and the phrase that says it in every language."""

    phrase: str
    pattern: re.Pattern[str]


def _exact(phrase: str) -> Known:
    return Known(phrase, re.compile(re.escape(PHRASES[phrase]["en"])))


KNOWN: tuple[Known, ...] = (
    _exact("out_of_scope"),
    _exact("thanks"),
    _exact("handed_over"),
    _exact("help"),
    Known(
        "identify",
        re.compile(r"I need to know whose account this is about: please sign in, or give the "
                   r"email address on your account\."),
    ),
    Known(
        "cancel_reason",
        re.compile(r"Why would you like to cancel (?P<order>#W\d+): is it no longer needed, or "
                   r"was it ordered by mistake\?"),
    ),
)  # fmt: skip
"""Whole sentences of the planner (``planner.py``, ``clarify.py``) with a phrase of their own."""
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
    for entry in KNOWN:
        match = entry.pattern.fullmatch(text.strip())
        if match:
            return names.pick(PHRASES[entry.phrase], language).format(**match.groupdict())
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
