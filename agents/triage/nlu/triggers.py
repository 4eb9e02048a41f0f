"""Words a label needs in the text before the intent model may predict it.

The model ranks labels by word overlap, so a label whose examples share words with everyday
sentences is only taken when the text also says something that can mean it: a write needs its
verb or object ("cancel", "send … back", "address"), a handoff-status read needs a case, a
ticket or a person. ``ITEM_PROBLEM`` names complaints about an item that ask for no remedy.
"""

from __future__ import annotations

import re

from agents.triage.customer import CustomerData
from agents.triage.nlu.cues import RETURN_WORDS
from agents.triage.nlu.entities import Entities
from router.plan import Catalog

WRITE_TRIGGERS: dict[str, re.Pattern[str]] = {
    "cancel_pending_order": re.compile(
        r"\b(cancel\w*|call off|stop (my|the) order|no longer need\w*|by mistake)\b", re.I
    ),
    "modify_pending_order_items": re.compile(
        r"\b(change|modify|swap|switch|exchange|replace|edit|alter|different|instead|"
        r"wrong (size|colou?r))\w*",
        re.I,
    ),
    "exchange_delivered_order_items": re.compile(
        r"\b(exchange|swap|switch|replace|change|trade|different|instead|doesn'?t fit)\w*", re.I
    ),
    "return_delivered_order_items": re.compile(rf"{RETURN_WORDS}|\brefund", re.I),
    "modify_pending_order_address": re.compile(r"\b(address|ship (it|them) to|deliver to)\b", re.I),
    "modify_user_address": re.compile(r"\baddress\w*\b", re.I),
    "modify_pending_order_payment": re.compile(r"\b(pay\w*|card|paypal|gift ?card|charge)\b", re.I),
    "transfer_to_human_agents": re.compile(
        r"\b(human|person|people|agent|representative|manager|supervisor|someone|somebody|"
        r"customer (service|support|care|assistance)|support team|complain\w*|claim|"
        r"reclamation|escalat\w*|phone|call|contact|unacceptable|lawyer|operator|staff)\b",
        re.I,
    ),
}
READ_TRIGGERS: dict[str, re.Pattern[str]] = {
    "get_handoff_status": re.compile(
        r"\b(?:complain\w*|case|ticket|claim|request|escalat\w*|hand-?off|human|person|agent|"
        r"colleague|someone|somebody|representative|support|callback|call back)\b",
        re.I,
    ),
}
"""A read whose examples share words with everyday questions ("what's happening with …") is
only predicted when the text names what it reads (a handoff: a case, a ticket, a person)."""
ITEM_PROBLEM = re.compile(
    r"\b(?:(?:do|does|did)(?:n'?t| not) fit|too (?:small|big|large|tight|loose|short|long|"
    r"narrow|wide|heavy)|(?:is|are|was|were) (?:the )?wrong (?:size|colou?r|material|model|"
    r"item|one|kind|type)|not what I (?:expected|ordered|wanted)|(?:do|does)(?:n'?t| not) "
    r"(?:like|suit)|(?:do|does)(?:n'?t| not) match)\b",
    re.IGNORECASE,
)


_PRODUCT_LABELS = frozenset(
    {"find_item", "get_product_details", "topic:place_order", "list_orders", None}
)
"""Labels that read an owned product's mention as a question about the catalogue."""
PRODUCT_QUESTION = re.compile(
    r"\b(?:colou?rs?|sizes?|options?|variants?|versions?|stock|available|availability|cost|"
    r"price|sell|carry|come in|made of|specs?|features?|other|another|new one|buy|purchase again|"
    r"order (?:a|another|one more))\b",
    re.IGNORECASE,
)
"""Words that ask about the product itself (what exists, what it costs), not the order."""


def about_own_order(
    label: str | None,
    text: str,
    entities: Entities,
    customer: CustomerData | None,
    catalog: Catalog,
) -> bool:
    """ "any news on my pet bed?": a product the customer ordered, asked about without a
    question about the product itself, is a question about that order."""
    if label not in _PRODUCT_LABELS or customer is None or not entities.items:
        return False
    if any(m.wants_change for m in entities.items):
        return False  # "the same t-shirt but in purple": a change, not a status question
    if "get_order_details" not in catalog.skills or PRODUCT_QUESTION.search(text):
        return False
    own = customer.product_names()
    return all(m.name in own for m in entities.items) and not entities.problem


_WAS_CANCELLED = re.compile(
    r"\b(?:was|were|got|get|gets|getting|been|being|is|are)\s+(?:[\w#]+\s+){0,3}"
    r"cancell?ed\b",
    re.IGNORECASE,
)
_ASKS_WHY = re.compile(r"\?|\b(?:why|how come|what happened)\b", re.IGNORECASE)


def asks_why_cancelled(text: str) -> bool:
    """ "Why was my order cancelled??": a question about an order that is cancelled already,
    not a request to cancel one."""
    return bool(_WAS_CANCELLED.search(text)) and bool(_ASKS_WHY.search(text))


_NEGATED_WRITE = re.compile(
    r"\b(?:(?:i|we)\s+)?(?:do not|don'?t|dont|does not|doesn'?t|never|won'?t|will not|"
    r"no need to|(?:would|'d) rather not|ne\s+(?:\w+\s+){0,2}(?:rien|pas|plus|jamais)|"
    r"nichts?|no\s+quiero|no\s+hace\s+falta)\s+"
    # "don't want (you) to cancel", not "don't know how to return it" (a question how to)
    r"(?:(?:want|need|wish|plan|intend|mean|like|have)\s+(?:you\s+|anyone\s+)?(?:to\s+)?)?"
    r"(?:cancel|return|exchange|refund|modify|swap|send\s+(?:\w+\s+){0,2}back)\w*"
    r"(?:\s+(?:anything|any of (?:it|them)|it|this|that|them|the order|my order|"
    r"(?:the|my)\s+\w+))?",
    re.IGNORECASE,
)
"""A write the customer says they do not want ("I don't want to cancel anything", "je ne veux
rien annuler"): never a request for it."""
_WRITE_OF_NOTHING = re.compile(
    r"\b(?:cancel|return|exchange|refund|change|modify)\w*\s+nothing\b(?:\s+(?:yet|for now))?",
    re.IGNORECASE,
)


_TAKEN_BACK = re.compile(
    r"\b(?:cancel|return|exchange|refund|modify|change|swap)\w*"
    r"(?:\s*(?:\.\.\.|…|,|-|\?)+\s*(?:(?:no|nope|sorry|wait|oops|er|um)\b[,!.]?\s*)*i mean\b|"
    r"\?\s*(?:no|nope)\b(?!\s+(?:rush|problem|worries|hurry|pressure))[,.!]?)",
    re.IGNORECASE,
)
"""A write verb the customer takes back at once ("cancel... no sorry, I mean change …",
"return? no, it's not delivered")."""


def without_taken_back(text: str) -> str:
    """``text`` without the write verbs taken back (read before the ticket is segmented: the
    "..." and "?" of a correction would split it)."""
    return _TAKEN_BACK.sub(" ", text) if _TAKEN_BACK.search(text) else text


def without_negated_writes(text: str) -> str:
    """``text`` without the clauses that refuse a write (what is left still asks): "I don't want
    to cancel anything", "return nothing yet"."""
    text = _WRITE_OF_NOTHING.sub(" ", text) if _WRITE_OF_NOTHING.search(text) else text
    return _NEGATED_WRITE.sub(" ", text) if _NEGATED_WRITE.search(text) else text
