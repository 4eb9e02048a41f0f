"""Ticket understanding for the foundation slice: keyword intents and order ids.

Deliberately small: it recognises three intents (order status, payment methods, a human) and
order ids. The full offline NLU (segmentation, entities, languages) replaces it later; its
contract — text in, ``Understanding`` out — stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.runtime.free_text import order_ids_in

_INTENT_PATTERNS: dict[str, re.Pattern[str]] = {
    "order_status": re.compile(
        r"\b(where|status|track(ing)?|shipped|arriv\w*|deliver\w*|late)\b", re.IGNORECASE
    ),
    "payment_methods": re.compile(
        r"\b(payment methods?|cards? on file|gift ?card balance|paypal|which cards?|"
        r"how (do|can) I pay|pay(ing)? with)\b",
        re.IGNORECASE,
    ),
    "handoff": re.compile(
        r"\b(human|real person|a person|manager|representative|supervisor|talk to someone|"
        r"speak to someone|complain\w*)\b",
        re.IGNORECASE,
    ),
}

_URGENT = re.compile(r"\b(urgent|asap|immediately|unacceptable|furious|angry|now!)\b", re.I)


@dataclass(frozen=True, slots=True)
class Understanding:
    intents: tuple[str, ...]
    order_ids: tuple[str, ...]
    urgent: bool


def understand(text: str) -> Understanding:
    intents = tuple(name for name, pattern in _INTENT_PATTERNS.items() if pattern.search(text))
    order_ids = tuple(dict.fromkeys(order_ids_in(text)))
    if order_ids and not intents:
        intents = ("order_status",)
    return Understanding(intents=intents, order_ids=order_ids, urgent=bool(_URGENT.search(text)))
