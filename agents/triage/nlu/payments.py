"""Payment method mentions, resolved against the verified customer's methods on file.

A method is named by its raw id (the τ-bench template), by its last four digits, by brand
("my visa", "the amex"), by kind ("gift card", "paypal", "credit card") or as the order's own
("the original payment method", "the card I paid with", "the same card"). Each mention records
the customer's methods it can mean; it resolves when exactly one fits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agents.triage.customer import CustomerData
from agents.triage.nlu.tau_template import payment_ids
from agents.triage.nlu.text import fold


@dataclass(frozen=True, slots=True)
class PaymentRef:
    """One payment method named in the text."""

    method_id: str | None
    text: str
    """How the customer named it ("visa ending 1234"); unresolved when ``method_id`` is None."""
    candidates: tuple[str, ...] = ()
    current: bool = False
    """Named as the method to move away from ("instead of the credit card", "than my gift
    card", "is on my gift card"), not as the one to use."""
    original: bool = False
    """ "the original payment method", "the card I paid with": the order's own method (the
    planner resolves it once it knows the order)."""


LAST_FOUR = re.compile(
    r"\b(?:ending|ends|ending in|last four|last 4|x+|\*+)\s*(?:in|with|digits)?\s*(\d{4})\b"
)
_CURRENT_BEFORE = re.compile(
    r"(?:instead of|rather than|than|from|not|currently (?:on|with)|is (?:on|paid with|charged to)|"
    r"was (?:on|paid with|charged to)|(?<!\bbe )(?<!\bit )paid (?:with|by|on)|off)\s+"
    r"(?:my|the|your|a|an)?\s*"
    r"(?:\w+\s+){0,2}$|"
    r"\b(?:not|never|nor)\s+(?:my |the |your )?\w+(?:\s+\w+)?\s+(?:or|nor)\s+(?:my|the|your)?\s*"
    r"(?:\w+\s+){0,2}$"
)
"""…, and every method listed after one of them: "the gift card, NOT PayPal or the Mastercard"."""
_ORIGINAL_METHOD = re.compile(
    r"\boriginal (?:form of )?(?:payment|method|card|credit card|account)|"
    r"\b(?:payment method|method|card|one|account) (?:that )?i (?:used|paid (?:with|by|on)|"
    r"bought (?:it|them) with|ordered with)\b|"
    r"\b(?:the (?:same )?way|how) i (?:paid|payed|bought (?:it|them))\b|"
    r"\bsame (?:card|payment|method|account)\b|"
    r"\b(?:back )?(?:to )?where (?:it|the money) came from\b|"
    r"\b(?:the )?(?:card|method) (?:it|the order) was (?:paid|bought) with\b"
)
_BRANDS: Mapping[str, str] = {
    "visa": "visa",
    "mastercard": "mastercard",
    "master card": "mastercard",
    "amex": "amex",
    "american express": "amex",
    "discover": "discover",
}
"""How customers name a card brand → the brand as stored."""
_KINDS: Mapping[str, re.Pattern[str]] = {
    "gift_card": re.compile(r"\b(?:gift ?cards?|gift-cards?|store credit)\b"),
    "paypal": re.compile(r"\bpay ?pal\b"),
    "credit_card": re.compile(
        r"\b(?:credit card|debit card|bank card|my card|the card|card on file|saved card|"
        + "|".join(sorted(_BRANDS, key=len, reverse=True))
        + r")\b"
    ),
}
"""Each payment source and the words that name it."""


def _current(folded: str, start: int) -> bool:
    """Whether the payment named at ``start`` is the one being replaced ("paid with" it, but
    not "should be paid with" it, nor "I want it paid with" it)."""
    return bool(_CURRENT_BEFORE.search(folded[max(0, start - 40) : start]))


def _brand(method: Mapping[str, Any]) -> str:
    return _BRANDS.get(fold(str(method.get("brand", ""))), fold(str(method.get("brand", ""))))


def payments(text: str, customer: CustomerData | None) -> list[PaymentRef]:
    """Every payment method the text names, in order."""
    methods = customer.payment_methods if customer else {}
    folded = fold(text)
    found = [
        PaymentRef(pid, pid, current=_current(folded, start)) for start, pid in payment_ids(text)
    ]
    if found:
        return found
    for m in LAST_FOUR.finditer(folded):
        ids = tuple(k for k, v in methods.items() if v.get("last_four") == m.group(1))
        current = _current(folded, m.start())
        found.append(PaymentRef(ids[0] if len(ids) == 1 else None, m.group(0), ids, current))
    if found:
        return found
    spans: list[tuple[int, PaymentRef]] = [
        (m.start(), PaymentRef(None, m.group(0), (), _current(folded, m.start()), original=True))
        for m in _ORIGINAL_METHOD.finditer(folded)
    ]
    for source, pattern in _KINDS.items():
        for match in pattern.finditer(folded):
            ids = tuple(k for k, v in methods.items() if v.get("source") == source)
            brand = _BRANDS.get(match.group(0))
            if brand is not None:
                ids = tuple(k for k in ids if _brand(methods[k]) == brand)
            ref = PaymentRef(
                ids[0] if len(ids) == 1 else None,
                match.group(0),
                ids,
                _current(folded, match.start()),
            )
            spans.append((match.start(), ref))
    spans.sort(key=lambda s: s[0])
    unique: dict[tuple[str | None, str, bool], PaymentRef] = {}
    for _, ref in spans:
        unique.setdefault((ref.method_id, ref.text, ref.current), ref)
    return list(unique.values())
