"""Sentences that point back at the request before them: "it", "them", option values of the
item just named, "same color and vents", remarks in between, and weak reads that only add to
what came before. Each is a named predicate ``Understander.understand`` applies in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from agents.triage.customer import CustomerData
from agents.triage.joining import CONTINUATION_SCORE, PAID_WRITES, WEAK_READS
from agents.triage.nlu.option_values import value_named
from router.plan import Catalog

if TYPE_CHECKING:
    from agents.triage.understanding import Request


def names_values_of(previous: Request, request: Request, customer: CustomerData | None) -> bool:
    """ "Still bagless.", "It's the upright HEPA one now.", "There are two gaming mice. The RGB
    one I'd like changed to black.": a sentence naming no product, order or payment but option
    values of the item the sentence before names is about that item."""
    e = request.entities
    gives_reason = e.reason is not None and previous.label == "cancel_pending_order"
    if customer is None or e.names_something or gives_reason or e.others:
        return False
    if not previous.entities.items:
        return False
    folded = request.text.lower()
    return any(
        value_named(folded, value)
        for m in previous.entities.items
        for value in customer.option_values(m.name)
        if len(value) > 2
    )


_ITEM_CHANGES = frozenset({"modify_pending_order_items", "exchange_delivered_order_items"})
_BACK_REFERENCE = re.compile(
    r"\b(?:it|them|this one|that one|these|those|the same one|"
    r"(?:that|this) (?:order|package|parcel|shipment|purchase|delivery))\b",
    re.IGNORECASE,
)


def refers_back(previous: Request, request: Request, catalog: Catalog) -> bool:
    """``request`` names nothing itself and points back ("it", "them") at the item the
    statement before it named ("I picked the wrong pet bed. I need it in grey.")."""
    e = request.entities
    if e.items or e.order_ids or not previous.entities.items:
        return False
    if {previous.label, request.label} <= _ITEM_CHANGES:
        # "… I really wanted a black stainless one. Could you exchange it please?": the
        # change asked for again, in the verb that decides it
        return bool(_BACK_REFERENCE.search(request.text))
    if request.cued:
        return False
    if previous.label is not None and catalog.is_write(previous.label):
        return False
    return bool(_BACK_REFERENCE.search(request.text)) and not previous.text.rstrip().endswith("?")


def referred(requests: Sequence[Request], request: Request, catalog: Catalog) -> int | None:
    """The index of the request whose item ``request`` points back at ("it", "them"): the last
    one, or an earlier one when only remarks naming nothing came after it."""
    for i in range(len(requests) - 1, -1, -1):
        earlier = requests[i]
        if refers_back(earlier, request, catalog):
            return i
        label = earlier.label
        remark = label is None or label.startswith(("none:", "topic:"))
        if earlier.entities.names_something or not remark:
            return None
    return None


_SAME_OTHERWISE = re.compile(
    r"^\W*(?:(?:and|but|with)\s+)?(?:(?:keep|leave)\s+)?(?:the\s+|all\s+)?same\b|"
    r"\b(?:everything|all|the rest)\s+else\b[^.!?]{0,20}\bsame\b|\botherwise\b[^.!?]{0,10}\bsame\b|"
    r"\b(?:keep|leave)\s+(?:the rest|everything else|all else|the others?)\b|"
    r"^\W*(?:please\s+)?(?:leave|keep)\s+the\s+(?:[^.!?]|\.\d){1,30}?\s+(?:one\s+)?"
    r"(?:alone|as it is|as is)\b",
    re.IGNORECASE,
)
"""What stays as it is: the other options, or the other item ("Leave the 1.5 litre one alone")."""


def keeps_the_rest(previous: Request, request: Request) -> bool:
    """ "Same color and vents.", "Everything else the same.": after an item change, a sentence
    naming nothing new says which options stay; it is part of that change."""
    e = request.entities
    return (
        previous.label in PAID_WRITES
        and not (e.order_ids or e.items or e.address or e.others)
        and bool(_SAME_OTHERWISE.search(request.text))
        and not request.text.rstrip().endswith("?")
    )


_ANNOUNCEMENT = re.compile(
    r"^\W*(?:(?:hi|hello|hey)(?: there)?\W+)?(?:so\W+)?"
    r"(?:i have |i've got |i got |got |there are )?"
    r"(?:two|three|four|2|3|4|a couple of|a few|several|some|multiple)\s+(?:small\s+|quick\s+)?"
    r"(?:things?|requests?|questions?|issues?|changes?|problems?|matters?)\b"
    r"(?:\s+(?:please|pls|today|for you|to (?:sort|fix|ask)(?: out)?))*\W*$",
    re.IGNORECASE,
)


def announces_requests(request: Request) -> bool:
    """ "Two things.", "Hello, two request please.": how many requests follow, not one."""
    e = request.entities
    return not (e.names_something or e.reason) and bool(_ANNOUNCEMENT.match(request.text))


_TAKEN_BACK_AFTER = re.compile(
    r"(?:^|\.\.\.|…|[,;:.!-])\s*(?:(?:actually|on second thought|wait|hmm+|no|oh)[,!.]?\s*)*"
    r"(?:leave (?:it|them|those|these|that)(?: (?:alone|as (?:it is|they are)))?|never ?mind|"
    r"scratch that|forget (?:it|that|about (?:it|that))|don'?t bother|ignore that)\W*$",
    re.IGNORECASE,
)


def taken_back(request: Request) -> bool:
    """ "… change the sneakers to size 10... actually leave those": the customer took the
    request back as they wrote it."""
    return bool(_TAKEN_BACK_AFTER.search(request.text))


def takes_back_the_one_before(request: Request) -> bool:
    """ "… to size 10 grey leather... actually leave those": a sentence that only takes back
    the request before it."""
    e = request.entities
    return not e.names_something and bool(_TAKEN_BACK_AFTER.match(" " + request.text.strip()))


def only_comments(request: Request) -> bool:
    """ "I'm so disappointed.", "Ugh.": a sentence no label fits that names nothing carries
    no request; it stays with the sentence before it, so what follows still joins that one."""
    e = request.entities
    return (
        request.label is None
        and not (e.names_something or e.reason or e.others or e.everything)
        and not request.text.rstrip().endswith("?")
    )


def says_nothing_more(previous: Request, request: Request, catalog: Catalog) -> bool:
    """``request`` names nothing and only a few shared words made it a weak read ("I checked
    with the neighbours too.", "Neither has shown up yet.", "Same size and type."): after a
    problem report, or a request about orders or items the customer named, it is part of it."""
    about_named_orders = (
        previous.label is not None
        and previous.label in catalog.skills
        and bool(previous.entities.order_ids or previous.entities.items)
    )
    if previous.entities.problem is None and not about_named_orders:
        return False
    e = request.entities
    named = e.names_something or e.reason or e.others
    return (
        not named
        and not e.everything
        and (request.label is None or request.label in WEAK_READS)
        and request.score < CONTINUATION_SCORE
    )


def another_order(previous: Request, request: Request) -> bool:
    """``request`` names an order the request before it does not: its own subject ("1) Cancel
    W1 … 2) The skateboard I received in W2 is the 28 inch.")."""
    mine, theirs = set(request.entities.order_ids), set(previous.entities.order_ids)
    return bool(mine and theirs and not mine & theirs)


def continues(request: Request) -> bool:
    e = request.entities
    weak = (
        request.label is None
        or request.label.startswith("none:")
        or (request.score < CONTINUATION_SCORE and request.label == "get_order_details")
    )
    return weak and bool(e.names_something or e.reason)
