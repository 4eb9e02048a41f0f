"""Strong cues: phrasings whose request is unambiguous once the entities are known.

The TF-IDF model ranks labels by word overlap; a few requests are better read from their
structure — "ship #W… to <an address>", "pay with PayPal instead of the card", "the boots in
size 9 instead of 8", "let me talk to someone". ``cue_label`` returns such a label (or None,
and the model decides). Every cue needs both a verb pattern and the entity it acts on, so a
generic sentence never triggers a write.
"""

from __future__ import annotations

import re

from agents.triage.nlu.entities import Entities
from agents.triage.nlu.order_ids import ORDER_ID_TEXT
from domain import skills

HUMAN = re.compile(
    r"\b(?:talk|speak|chat|connect me|put me through|transfer me)\s+(?:to|with)\s+(?:a |an |the |"
    r"some |your |real |live )*(?:human|person|people|someone|somebody|agent|representative|"
    r"manager|supervisor|operator|staff|colleague)\b|"
    r"\b(?:someone|somebody|a human|a person|an agent|a manager)\b[^.!?]{0,30}\b(?:call|phone|"
    r"contact|ring)\s+me\b|"
    r"\b(?:call|phone|ring)\s+me\b|"
    r"\b(?:want|need|get me|give me)\s+(?:a |an )?(?:human|real person|manager|supervisor)\b",
    re.IGNORECASE,
)
_PAYMENT_VERB = re.compile(
    r"\b(?:switch|change|move|update|set|put|use|transfer)\b[^.!?]{0,40}"
    r"(?:\b(?:payment|pay|paid|card|charge|billing)\w*|card\b|\bpay ?pal\b)|"
    r"\b(?:pay|paid|payment|charge)\w*\b[^.!?]{0,60}\b(?:instead|rather|switch|change|move)\b|"
    r"\b(?:rather|prefer to|like to|want to|wish to)\s+pay\b|"
    r"\bpay\s+(?:for\s+)?(?:order\s+|it\s+|this\s+|that\s+)?(?:" + ORDER_ID_TEXT + r"\s+)?"
    r"(?:with|using|by|via)\b|"
    r"\b(?:to be )?paid (?:with|using|by|via)\b",
    re.IGNORECASE,
)
_NOT_PAYMENT_CHANGE = re.compile(
    r"\b(?:difference|return\w*|exchang\w*|refund\w*|balance|cancel\w*|which|what|how)\b",
    re.IGNORECASE,
)
RETURN_WORDS = (
    r"\breturn(?:ing|ed|s)?\b|"
    r"\b(?:send|sending|sent|give|giving|take|taking|bring|bringing|ship|shipping|mail|post)\b"
    r"(?:\s+[\w'-]+){0,5}?\s+back\b|"
    r"\b(?:go|goes|going)\s+back\b(?!\s+to\b)"
)
"""Ways to say an item goes back: "return", "send the whole lot back", "give back the pet bed",
"take back the camera", "a few things need to go back" (not "go back to the old address")."""
_RETURN = re.compile(rf"(?:{RETURN_WORDS})(?![^.!?]{{0,12}}\bpolic)", re.IGNORECASE)
_REFUND_AN_ITEM = re.compile(
    r"\brefund\s+(?:me\s+(?:for\s+)?)?(?:the|my|these|those|this|that|both)\b(?!\s+(?:money|amount|difference|payment|status))",
    re.IGNORECASE,
)
_EXCHANGE = re.compile(r"\b(?:exchang\w*|swap\w*|trade)\b", re.IGNORECASE)
_CHANGE = re.compile(
    r"\b(?:change|switch|swap|replace|modify|make it|instead|rather|upgrade|downgrade|"
    r"want|need|prefer|like|get|could i have|can i have)\w*\b",
    re.IGNORECASE,
)
_SHIP_TO = re.compile(
    r"\b(?:ship|send|deliver|redirect|forward|mail|address|re-?route|go(?:es)? to|moved)\w*\b",
    re.IGNORECASE,
)
_ACCOUNT = re.compile(
    r"\b(?:default|account|profile|future orders|on file|from now on|going forward)\b",
    re.IGNORECASE,
)
"""The account's address is what changes ("update my default address"). "My home address" or
"I moved" may also say where an order should go instead: without an order spoken of, the
account's address is meant."""
_AN_ORDER = re.compile(
    r"\b(?:(?:my|the|this|that|these|those|both) (?:\w+ )?"
    r"(?:orders?|packages?|parcels?|shipments?|delivery|deliveries))\b",
    re.IGNORECASE,
)
"""The address is an order's ("the delivery address of my order"), not the account's."""
_SEND_IT = re.compile(
    r"\b(?:send|ship|deliver|redirect|forward|re-?route|mail)\s+(?:it|them|everything|"
    r"the (?:package|parcel|box|stuff))\b",
    re.IGNORECASE,
)
"""Something shipped is sent somewhere ("please send it to …"): an order, not the account."""
_LOOKUP = re.compile(
    r"\b(?:do you (?:have|sell|carry)|is there|are there|which item|item id|what item|in stock|"
    r"available|availability)\b",
    re.IGNORECASE,
)
_CANCEL = re.compile(r"\b(?:cancel|call off)\b", re.IGNORECASE)
_IT = r"(?:it|them|this|that|these|those)\b(?!\s+(?:is|are|was|were)\b)"
_EXCHANGE_IT = re.compile(
    rf"\b(?:please\s+)?(?:exchange|swap|trade)\s+{_IT}\s*(?:one\s+)?(?:for|with|to)\b",
    re.IGNORECASE,
)
_RETURN_IT = re.compile(rf"\b(?:return\s+{_IT}|send\s+{_IT}\s*back)", re.IGNORECASE)
"""An item change or return whose item was named in an earlier sentence ("The pet bed I got
is the wrong color. Please exchange it for …"): the request is read from the verb."""

ORDER_ADDRESS = skills.ORDER_ADDRESS
USER_ADDRESS = skills.USER_ADDRESS
PAYMENT_CHANGE = skills.MODIFY_PAYMENT
MODIFY = skills.MODIFY_ITEMS
EXCHANGE = skills.EXCHANGE
RETURN = skills.RETURN
HANDOFF = skills.HANDOFF
CANCEL = skills.CANCEL
FIND_ITEM = "find_item"


_AFFIRMATIVE = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|sure|ok(?:ay)?|correct|right|fine|please do|go ahead|do it|"
    r"that(?:'s| is) (?:fine|right|correct|ok))\b(?:\W+(?:please|thanks?|thank you|do it|"
    r"go ahead|that(?:'s| is) (?:fine|right|ok)))*\W*$",
    re.IGNORECASE,
)


def affirms(answer: str) -> bool:
    """ "yes", "ok, go ahead": the answer accepts what the question proposed, and says no more."""
    return bool(_AFFIRMATIVE.match(answer))


def asks_for_human(text: str) -> bool:
    return bool(HUMAN.search(text))


def cue_label(text: str, entities: Entities) -> str | None:
    """The label a strong cue of ``text`` names, or None."""
    if HUMAN.search(text):
        return HANDOFF
    if entities.address is not None and entities.address_source is None and _SHIP_TO.search(text):
        if _ACCOUNT.search(text) and not entities.order_ids:
            return USER_ADDRESS
        about_an_order = (
            entities.order_ids
            or entities.statuses
            or entities.items
            or _AN_ORDER.search(text)
            or _SEND_IT.search(text)
        )
        return ORDER_ADDRESS if about_an_order else USER_ADDRESS
    if (
        entities.address_source is not None
        and _SHIP_TO.search(text)
        and (entities.order_ids or entities.items or entities.statuses)
    ):
        return ORDER_ADDRESS  # "… should ship to the same address as my toothbrush order"
    if _CANCEL.search(text) and entities.order_ids and not entities.items:
        return CANCEL
    if (
        _CANCEL.search(text)
        and (entities.items or _AN_ORDER.search(text))
        and not any(m.wants_change for m in entities.items)
        and not (_RETURN.search(text) or _EXCHANGE.search(text) or _LOOKUP.search(text))
    ):
        # "cancel the running shoes order": an order is cancelled whole, named by its items.
        return CANCEL
    if entities.items and _LOOKUP.search(text) and "?" in text:
        return FIND_ITEM
    changing = [m for m in entities.items if m.wants_change]
    named = (
        entities.items
        or entities.order_items  # "some things from the order with the vacuum in it"
        or entities.order_ids
        or entities.everything
        or entities.status_hint == "delivered"  # "what was delivered to me"
    )
    if _RETURN.search(text) and named and not changing:
        return RETURN
    if _REFUND_AN_ITEM.search(text) and entities.items and not changing:
        return RETURN  # "plz refund the boots i got": the item goes back for its money
    if changing and (_CHANGE.search(text) or _EXCHANGE.search(text)) and not _LOOKUP.search(text):
        return EXCHANGE if _EXCHANGE.search(text) else MODIFY
    if changing and not (_LOOKUP.search(text) or _RETURN.search(text) or _CANCEL.search(text)):
        # "the action camera should be in black": the customer's own item, named with a value
        # it does not have, is to become it (pending → modify, delivered → exchange).
        return MODIFY
    if not entities.items and not entities.order_ids:
        if _EXCHANGE_IT.search(text):
            return EXCHANGE
        if _RETURN_IT.search(text):
            return RETURN
    if entities.payments and _PAYMENT_VERB.search(text) and not _NOT_PAYMENT_CHANGE.search(text):
        # Items named without a new option only say which order ("the t-shirt I ordered").
        return PAYMENT_CHANGE
    return None
