"""Joining rules about payments: which write a sentence naming a payment method belongs to.

"Exchange the backpack for the green one. Charge my amex." (``pays_for``), "All on my
Mastercard ending 1276." anywhere in the ticket (``with_ticket_payment``), and one payment for
the item changes of one order, or for all of them ("visa 2697 for all of it",
``with_order_payment``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from agents.triage.joining import OTHER_REQUESTS, PAID_WRITES
from domain.skills import MODIFY_ITEMS, MODIFY_PAYMENT

if TYPE_CHECKING:
    from agents.triage.understanding import Request


def pays_for(previous: Request, request: Request) -> bool:
    """``request`` only names how to pay for (or where to refund) the item change before it."""
    e = request.entities
    return (
        previous.label in PAID_WRITES
        and request.label not in OTHER_REQUESTS
        and "balance" not in request.text.lower()
        and bool(e.payments)
        and not e.order_ids
        and not e.items
        and not previous.entities.payments
    )


_ASKS_ABOUT_PAYMENTS = re.compile(
    r"\?|\b(?:which|what|how much|history|list|show|tell me|balance|do i have|"
    r"charged|did i pay|statement|receipt|invoice)\b",
    re.IGNORECASE,
)
_PAYMENT_READS = frozenset({"get_payment_methods", "get_payment_history", "get_gift_card_balance"})


def payment_instruction(request: Request) -> bool:
    """ "PayPal is fine for the difference.", "All on my Mastercard ending 1276.", "Money back to
    my PayPal.": a sentence naming only how to pay, asking nothing about payments. It belongs to
    the ticket's writes that move money, wherever it stands."""
    e = request.entities
    weak = request.label is None or request.label.startswith("none:")
    polite = bool(_POLITE_INSTRUCTION.search(request.text))
    directed = polite or bool(_DESTINATION.search(request.text))
    # "Visa for all of it.": a few words around a method name, whatever they read as
    short = len(request.text.split()) <= 6 and "?" not in request.text
    short = short and request.label not in _WRITES  # "Switch my other order to PayPal." asks
    return (
        (
            weak
            or short
            or request.label in _PAYMENT_READS
            or (directed and request.label in _MONEY_READS)
        )
        and bool(e.payments)
        and not (e.order_ids or e.address or any(m.wants_change for m in e.items))
        and (polite or not _ASKS_ABOUT_PAYMENTS.search(request.text))
    )


_POLITE_INSTRUCTION = re.compile(
    r"^\W*(?:can|could|would|will)\s+(?:you\s+)?(?:please\s+)?(?:the\s+)?"
    r"(?:refund|money|difference|it|that|this|the rest)\b[^?]{0,30}\b(?:go|goes|be|put|charge|"
    r"send|refund|credit)\b",
    re.IGNORECASE,
)
"""A request said as a question: "Can the refund go back to my Mastercard?"."""
_DESTINATION = re.compile(
    r"^[^?]*\b(?:refunds?|money|difference|credit)\b[^?.;]{0,25}\b(?:go(?:es)?|back|to|on|onto|"
    r"into)\b[^?]*$",
    re.IGNORECASE,
)
"""Where the money goes, said as an instruction: "The refund should go to my Visa ending 1635.",
"Money back on my gift card please." (not a question about a refund)."""
_WRITES = frozenset(
    {
        *PAID_WRITES,
        "cancel_pending_order",
        "modify_pending_order_address",
        "modify_pending_order_payment",
        "modify_user_address",
        "transfer_to_human_agents",
    }
)
_MONEY_READS = frozenset({"get_refund_status", "get_payment_methods", "get_payment_history"})


def with_ticket_payment(requests: Sequence[Request]) -> list[Request]:
    """The ticket's payment instructions given to its money-moving writes that name none."""
    instructions = [r for r in requests if payment_instruction(r)]
    paid = [r for r in requests if r.label in PAID_WRITES]
    if not instructions or not paid:
        return list(requests)
    payments = tuple(p for r in instructions for p in r.entities.payments)
    return [
        replace(r, entities=replace(r.entities, payments=payments))
        if r.label in PAID_WRITES and not r.entities.payments
        else r
        for r in requests
        if r not in instructions
    ]


def with_order_payment(requests: Sequence[Request]) -> list[Request]:
    """Item changes of one order become one call, so they pay one way: the payment one of them
    names ("- the camera should be 4K … - the luggage set should be hardshell … Difference on my
    Mastercard.") goes to the others that name none; so does a payment said for all of them
    ("… visa 2697 for all of it")."""
    named: dict[tuple[str, tuple[str, ...]], set[tuple[Any, ...]]] = {}
    for r in requests:
        if r.label in PAID_WRITES and r.entities.order_ids and r.entities.payments:
            key = (r.label, r.entities.order_ids)
            named.setdefault(key, set()).add(r.entities.payments)
    for r in requests:
        # "For W…, I'd like to pay with my Mastercard instead, … and make the shoes yellow":
        # the order's new method pays for its item change too, unless that names its own
        key = (MODIFY_ITEMS, r.entities.order_ids)
        if r.label == MODIFY_PAYMENT and r.entities.order_ids and key not in named:
            new = tuple(p for p in r.entities.payments if not p.current)
            if new:
                named[key] = {new}
    for_all = {
        r.entities.payments
        for r in requests
        if r.label in PAID_WRITES and r.entities.payments and _FOR_ALL.search(r.text)
    }
    out: list[Request] = []
    for r in requests:
        chosen = named.get((r.label or "", r.entities.order_ids), set()) or for_all
        if r.label in PAID_WRITES and not r.entities.payments and len(chosen) == 1:
            (payments,) = chosen
            r = replace(r, entities=replace(r.entities, payments=payments))
        out.append(r)
    return out


_FOR_ALL = re.compile(
    r"\b(?:for|on|with) (?:all of (?:it|them|this|that)|everything|all|both|the lot)\b",
    re.IGNORECASE,
)
"""A payment said for the whole ticket ("visa 2697 for all of it")."""
