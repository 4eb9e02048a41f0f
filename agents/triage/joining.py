"""How the sentences of one ticket join into requests.

A sentence is its own request unless it only adds to the one before: more entities for a weak
read ("… #W1234567"), how to pay for the item change before it, why the cancellation before it
is wanted, or the ticket's only order for requests that name none. Each rule is one named
predicate; ``Understander.understand`` applies them in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from agents.triage.nlu.text import words
from router.plan import Catalog

if TYPE_CHECKING:
    from agents.triage.nlu.entities import Entities
    from agents.triage.understanding import Request

CONTINUATION_SCORE = 0.3
GUESS_SCORE = 0.5
"""A read of a sentence naming nothing scoring below this is a guess from shared words."""
"""A segment scoring below this that names entities continues the previous request."""


WEAK_READS = frozenset(
    {
        "get_order_details",
        "get_receipt",
        "get_refund_status",
        "list_orders",
        "find_item",
        "get_payment_methods",
        "get_payment_history",
    }
)
"""Reads a statement naming nothing gets from a few shared words (not a request of its own)."""


PAID_WRITES = frozenset(
    {
        "modify_pending_order_items",
        "exchange_delivered_order_items",
        "return_delivered_order_items",
    }
)


OTHER_REQUESTS = frozenset(
    {
        "cancel_pending_order",
        "modify_pending_order_address",
        "modify_user_address",
        "transfer_to_human_agents",
        "list_orders",
        "get_payment_history",
        *PAID_WRITES,
    }
)
"""Requests a sentence naming a payment method still states on its own (anything else that
only names a method completes the item change before it: "… and get the money back on PayPal")."""


def gives_reason(previous: Request, request: Request, catalog: Catalog) -> bool:
    """``request`` only says why the cancellation before it is wanted."""
    e = request.entities
    return (
        previous.label == "cancel_pending_order"
        and previous.entities.reason is None
        and e.reason is not None
        and not e.order_ids
        and not (request.label is not None and catalog.is_write(request.label) and request.cued)
    )


def _weak_cancel(previous: Request, request: Request) -> bool:
    """ "I ordered the kettle by mistake. Could you cancel W…?": a statement read as a cancel
    only from its reason, before the cancellation itself."""
    return (
        request.label == previous.label == "cancel_pending_order"
        and request.entities.reason is None
        and previous.entities.reason is not None
        and previous.score < GUESS_SCORE
        and not previous.cued
    )


def reason_before(previous: Request, request: Request, catalog: Catalog) -> bool:
    """``previous`` only says why the cancellation after it is wanted ("I never meant to buy
    this. Cancel #W… right now.")."""
    e = previous.entities
    if e.order_ids and set(e.order_ids) != set(request.entities.order_ids):
        return False
    if _weak_cancel(previous, request):
        return True
    return (
        request.label == "cancel_pending_order"
        and request.entities.reason is None
        and e.reason is not None
        and not (previous.label is not None and catalog.is_write(previous.label))
    )


_ADDRESS_WRITES = frozenset({"modify_pending_order_address", "modify_user_address"})


def gives_address(previous: Request, request: Request, catalog: Catalog) -> bool:
    """``request`` only gives the address the address change before it lacks."""
    p, e = previous.entities, request.entities
    return (
        previous.label == "modify_pending_order_address"
        and p.address is None
        and request.label in _ADDRESS_WRITES
        and e.address is not None
        and not e.order_ids
        and not e.items
    )


_NUDGE_WORDS = frozenset(
    "please pls kindly change update fix correct amend do it that this so accordingly now asap "
    "right away soon thanks thank you go ahead can could would will me for".split()
)
"""The only words a nudge has: a generic verb and politeness ("Please change.", "Do it asap.").
"Exchange too." names a request of its own, and is asked about, never dropped."""


def adds_nothing(previous: Request, request: Request, catalog: Catalog) -> bool:
    """``request`` is a nudge ("Please change.") after a write request that acts on
    something: generic words naming nothing ask for nothing of their own (a read, "track my
    order", is a request of its own however short; after a request for a person, "issue
    modifying delivery address" is what the person should look at)."""
    e = request.entities
    return (
        previous.label is not None
        and catalog.is_write(previous.label)
        and not request.cued
        and set(words(request.text)) <= _NUDGE_WORDS
        and not (e.names_something or e.reason or e.everything)
        and request.label is not None
        and catalog.is_write(request.label)
        and previous.label != "transfer_to_human_agents"
    )


_ITEM_CHANGES = frozenset({"modify_pending_order_items", "exchange_delivered_order_items"})
_ONE_MORE = re.compile(r"\b(?:too|also|as well|another|other|again|second|more)\b")


def restates(previous: Request, request: Request) -> bool:
    """ "The umbrella came in blue but I wanted it in black. Can we exchange?": a sentence that
    only names the kind of write the one before already asks for (an item change in either
    verb) is that request again, not a second one."""
    e = request.entities
    family = _ITEM_CHANGES if previous.label in _ITEM_CHANGES else {previous.label}
    return (
        previous.label is not None
        and previous.entities.names_something
        and request.label in family
        and not (e.names_something or e.reason or e.everything or e.kept)
        and not _ONE_MORE.search(request.text.lower())
        and len(words(request.text)) <= 8
    )


def with_ticket_reason(requests: Sequence[Request], catalog: Catalog) -> list[Request]:
    """A cancellation that gives no reason takes the one reason the ticket's other sentences
    give ("your checkout placed #W… when I only hit back. I did NOT want it. cancel it.")."""
    stated = {
        r.entities.reason
        for r in requests
        if r.entities.reason is not None and not (r.label and catalog.is_write(r.label))
    }
    if len(stated) != 1:
        return list(requests)
    (reason,) = stated
    return [
        replace(r, entities=replace(r.entities, given_reason=reason))
        if r.label == "cancel_pending_order" and r.entities.reason is None
        else r
        for r in requests
    ]


_SAME_REASON = re.compile(
    r"\b(?:for |with )?the same reason\b|\bsame reason\b|\bsame goes for\b|\blikewise\b",
    re.IGNORECASE,
)


def with_same_reason(requests: Sequence[Request]) -> list[Request]:
    """ "Cancel #W1, I don't need it, and #W2 for the same reason": a cancellation that says
    its reason is the one before takes that reason."""
    out: list[Request] = []
    previous: str | None = None
    for r in requests:
        if r.label == "cancel_pending_order":
            if previous and _SAME_REASON.search(r.text):
                r = replace(r, entities=replace(r.entities, given_reason=previous))
            previous = r.entities.reason or previous
        out.append(r)
    return out


_ANOTHER = re.compile(r"\b(?:other|another|second|both|all|each|every)\b", re.IGNORECASE)


def listed_after_announcement(requests: Sequence[Request], catalog: Catalog) -> list[Request]:
    """ "I need to return a few things. From W1: the kettle and the lamp. From W2: the chair.":
    a write naming nothing, followed by statements that only list items, is that write of each
    list."""
    out: list[Request] = []
    i = 0
    while i < len(requests):
        r = requests[i]
        bare_write = r.label is not None and catalog.is_write(r.label)
        e = r.entities
        counted = e.everything and bool(_COUNTED.search(r.text))  # "two cancellations, both …"
        if bare_write and not (
            e.items or e.order_ids or e.address or (e.everything and not counted)
        ):
            listed: list[Request] = []
            consumed = 0
            for later in requests[i + 1 :]:
                if listed and _only_a_reason(later) and r.label == "cancel_pending_order":
                    # "1. #W…, the big one. I ordered that by accident. 2. …": why, for the last
                    last = listed[-1]
                    given = replace(last.entities, given_reason=later.entities.reason)
                    listed[-1] = replace(last, text=f"{last.text} {later.text}", entities=given)
                    consumed += 1
                    continue
                if not _only_lists(later, catalog):
                    break
                listed.append(replace(later, label=r.label, score=r.score, ranked=()))
                consumed += 1
            if listed:
                out += listed
                i += 1 + consumed
                continue
        out.append(r)
        i += 1
    return out


_COUNTED = re.compile(r"\b(?:two|three|four|2|3|4)\s+\w+", re.IGNORECASE)


def _only_a_reason(request: Request) -> bool:
    e = request.entities
    return e.reason is not None and not e.names_something


def _only_lists(request: Request, catalog: Catalog) -> bool:
    label = request.label
    asks = label is not None and (catalog.is_write(label) or label not in WEAK_READS)
    weak = label is None or label.startswith(("none:", "topic:")) or not asks
    listed = _ONLY_AN_ORDER.match(request.text)
    if listed and (listed.end() == len(request.text) or request.entities.reason):
        # "1. #W…", "2. #W…, the makeup kit. Don't need it any more.": an order listed under
        # the announcement (with why), whatever it reads as
        return True
    return weak and bool(request.entities.items) and "?" not in request.text


_ONLY_AN_ORDER = re.compile(r"\W*(?:\d{1,2}[.)]\s*)?(?:order\s+)?#?w?\d{7}\W*", re.IGNORECASE)


def announced(requests: Sequence[Request], catalog: Catalog) -> list[Request]:
    """A write request naming nothing ("Hi, two returns please.", "how hard is it to cancel
    something on your site") before the same request naming what it acts on: it announces
    that one, or complains about it, and asks for nothing more ("my other order" does).
    After it, such a sentence may still be adding to it (option values without a name)."""
    out: list[Request] = []
    reasons: dict[str, str] = {}
    """label → the reason a dropped announcement gave ("I ordered it by mistake, cancel it")."""
    for i, r in enumerate(requests):
        e = r.entities
        named = e.names_something or e.others or e.everything
        later = {
            o.label
            for o in requests[i + 1 :]
            if o.label and catalog.is_write(o.label) and o.entities.names_something
        }
        if r.label in later and not named and not _ANOTHER.search(r.text):
            if e.reason and r.label:
                reasons.setdefault(r.label, e.reason)
            continue
        if r.label in reasons and not e.reason:
            r = replace(r, entities=replace(e, given_reason=reasons[r.label]))
        out.append(r)
    return out


_ORDER_WRITES = frozenset(
    {"modify_pending_order_address", "modify_pending_order_payment", "modify_user_address"}
)


def changes_after_order_write(previous: Request, entities: Entities) -> bool:
    """Values joined to an address or payment change name an item change of their own."""
    return previous.label in _ORDER_WRITES and any(m.wants_change for m in entities.items)


def same_write_again(previous: Request, request: Request) -> bool:
    """ "Return the pet bed from W1 … Then the makeup kit and the skateboard from W2, refund to my
    Mastercard.", "… From W2: the puzzle and the bottle.": a sentence naming items of another
    order and where the money goes (or led by its order), read only as a guess, after an item
    write, is that write again."""
    e = request.entities
    guess = request.label is None or request.label in WEAK_READS
    guess = guess or request.label.startswith(("none:", "topic:"))
    named = bool(e.items and e.order_ids and (e.payments or _ORDER_LEAD.match(request.text)))
    # "…, and also the wooden bookshelf from that same order.": its items, the order before
    same_order = bool(e.items and not e.order_ids and _SAME_ORDER.search(request.text))
    return (
        previous.label in PAID_WRITES
        and guess
        and not request.cued
        and (named or same_order)
        and not set(e.order_ids) & set(previous.entities.order_ids)
    )


_SAME_ORDER = re.compile(r"\b(?:from|in|of) (?:that|the|this) same order\b", re.IGNORECASE)


_ORDER_LEAD = re.compile(
    r"^\W*(?:and\s+|then\s+)?(?:from|for|in|on)\s+(?:(?:my|the)\s+)?(?:order\s+)?#?w?\d{7}\s*[:,-]",
    re.IGNORECASE,
)
"""A sentence that starts by naming its order ("From W…: the puzzle and the bottle")."""


def keeping_orders(entities: Entities, previous: Request) -> Entities:
    """Entities read again from a merged text keep the orders the request had from a sentence
    before it ("The boots from #W… are too big. Exchange them …. Use my gift card.")."""
    if entities.order_ids or not previous.entities.order_ids:
        return entities
    return replace(entities, order_ids=previous.entities.order_ids)


def bare(request: Request) -> bool:
    """An item write that names no new option and no payment: nothing to act on yet."""
    e = request.entities
    changing = any(m.wants_change for m in e.items)
    return not changing and not e.payments


def guessed_from_little(request: Request) -> bool:
    """A read named by a few shared words of a sentence naming nothing ("Hi, couple of
    things.", "this is a long one, sorry!", "Don't make me ask twice."): a guess, which must
    not make the ticket ask, nor run beside what the ticket does ask for."""
    if request.label not in WEAK_READS:
        return False
    e = request.entities
    named = e.names_something or e.others
    return not named and not e.everything and request.score < GUESS_SCORE


def status_from_a_statement(request: Request) -> bool:
    """A weak order read of a sentence that asks nothing ("I have too many kettles coming")."""
    return (
        request.label in WEAK_READS
        and request.score < CONTINUATION_SCORE
        and "?" not in request.text
    )


_ASKS_STATUS = re.compile(
    r"\?|(?:where|when|status|track\w*|update me|let me know|tell me|check|any news)",
    re.IGNORECASE,
)


def order_told_about(request: Request) -> bool:
    """An order read of a sentence that tells, not asks ("My order #W… hasn't shipped yet and
    I've had second thoughts"): beside a write on that order, it needs no read of its own."""
    return request.label == "get_order_details" and not _ASKS_STATUS.search(request.text)
