"""Entities of one request, read from its text and resolved against the customer's data.

The recognisers, one module each: order ids (``order_ids``), payment methods (``payments``),
item mentions with their options and targets (``items``), the τ-bench template's literals
(``tau_template``), and the meaning classifiers for cancellation reasons and delivery problems
(``meaning``). This module adds addresses, other people's accounts, order statuses named,
product ids, amounts and quantities ("everything", "all of them"), and puts them together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agents.triage.customer import CustomerData
from agents.triage.nlu import meaning, tau_template
from agents.triage.nlu.items import ItemMention, items
from agents.triage.nlu.order_ids import ORDER_ID_TEXT, order_spans
from agents.triage.nlu.payments import PaymentRef, payments
from agents.triage.nlu.product_names import mentions

SAME_AS = re.compile(r"same (?:address )?as (?:order )?(" + ORDER_ID_TEXT + ")", re.IGNORECASE)
PRODUCT_ID = re.compile(r"\bproduct(?:\s+id)?\s*[:#]?\s*(\d{10})\b", re.IGNORECASE)
_STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Way|Court|Ct|Place|Pl|"
    r"Terrace|Parkway|Pkwy|Circle|Bend|Trail|Highway|Hwy|Square|Sq|Row|Path|Loop|Crescent|Pike|"
    r"Alley|Plaza|Walk|Run|Ridge|Hill|Heights|View|Point|Crossing|Close)"
)
_ADDRESS = re.compile(
    r"(?<![\w#])(?P<address1>\d+[A-Za-z]?(?:\s+(?!(?:to|at|in|for|and|on)\b)[A-Za-z][A-Za-z0-9.'-]*)"
    r"{0,5}?\s" + _STREET + r")\.?"
    r"(?:,?\s*(?P<address2>(?:Suite|Ste|Apt|Apartment|Unit|Floor|Fl|Room|Building|Bldg|#)"
    r"\.?\s*[\w-]+))?"
    r"(?:,\s*|\s+)(?P<city>[A-Za-z][A-Za-z .'-]*?)(?:,\s*|\s+)(?P<state>[A-Z]{2})\s*,?\s*"
    r"(?:(?:USA|United States|US)\s*,\s*)?(?P<zip>\d{5})"
    r"(?:,?\s*(?P<country>USA|United States))?",
    re.IGNORECASE,
)
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR".split()
)
"""A written address's state is one of these (commas are optional, so "… phoenix az 85033"
must end in a real state code before its zip)."""
_OTHER_USER_ID = re.compile(r"\b[a-z]+_[a-z]+_\d{4}\b")
_OTHER_PEOPLE = re.compile(
    r"\b(?:every|all(?: the)?|other|another|someone else'?s?|somebody else'?s?)\s+"
    r"(?:customers?|users?|accounts?|clients?|people)\b|"
    r"\b(?:my|our)\s+(?:wife|husband|partner|friend|mother|mom|mum|father|dad|son|daughter|"
    r"brother|sister|neighbou?r|boss|colleague|coworker|roommate)'?s?\s+"
    r"(?:account|order|address|card|payment|profile)s?\b",
    re.IGNORECASE,
)
_STATUS_NAMED = re.compile(
    r"\b(pending|processed|delivered|cancell?ed)\s+(?:orders?|ones?|purchases?)\b", re.IGNORECASE
)
_EVERYTHING = re.compile(
    r"\b(?:everything|all of (?:them|it|the items|those|these)|all (?:the |my )?(?:items|things|"
    r"stuff|products|orders|of my orders|pending orders)|(?:the|an?) (?:whole|entire|complete) "
    r"(?:order|thing|lot|package|shipment)|(?:the )?lot of (?:them|it)|"
    r"each (?:one|of them)|every (?:single )?(?:item|one of them|one|thing|product)|"
    r"the whole of (?:the |my |this |that )?order|both(?: of them)?)\b|"
    r"(?<!of )\b(?:my|these|those) (?:\w+ )?orders\b(?! (?:is|are)\b)|"
    r"\b(?:which|any|all|each|none) of (?:my|the) (?:\w+ )?orders\b",
    re.IGNORECASE,
)
"""Quantities that mean every candidate ("return everything", "all of them" as an answer)."""
_REST_KEPT = re.compile(
    r"\b(?:everything else|(?:all )?the rest(?: of (?:it|them|the order|the items|my order))?|"
    r"all the others?(?: items| things)?|the other (?:items|things|stuff))\b[^.;!?]{0,40}?"
    r"\b(?:keep\w*|stay\w*|fine|great|good|ok|okay|happy|perfect)\b|"
    r"\bkeep(?:ing|in'?)?\s+(?:everything else|(?:all )?the rest|the others?|all the others?)\b",
    re.IGNORECASE,
)
"""What the customer keeps ("everything else I'm keeping", "keep the rest"): not "everything"."""
_PAYS_FOR_ALL = re.compile(
    r"\b(?:for|on|with|to cover)\s+(?:everything|all of (?:it|them|this|that)|it all|the lot|"
    r"both(?: of them)?)\b|"
    r"\b(?:everything|all of (?:it|them|this)|it all)\s+(?:goes\s+|go\s+)?"
    r"(?:through|on|via|to|onto|with|by|back to)\s+(?:my\s+|the\s+)?"
    r"(?:pay ?pal|gift|card|credit|visa|master|amex|discover|original)",
    re.IGNORECASE,
)
"""How much a payment covers ("gift card for everything"), not which items."""
_CAME = re.compile(
    r"\b(?:received|arrived|came|showed up|turned up|(?:was|were|got) delivered|"
    r"delivered to me)\b",
    re.IGNORECASE,
)
_NOT_BEFORE = re.compile(r"(?:\b(?:not|never|yet to)|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)
_NOT_SHIPPED = re.compile(
    r"\b(?:(?:has|have|had)n'?t|(?:has|have) not|not|never)\s+(?:yet\s+)?(?:been\s+)?"
    r"(?:shipped|sent(?: out)?|dispatched|left)\b",
    re.IGNORECASE,
)
ADDRESS_FIELDS = ("address1", "address2", "city", "country", "state", "zip")


@dataclass(frozen=True, slots=True)
class Entities:
    """What a request names: the mentions the planner resolves into skill arguments."""

    order_ids: tuple[str, ...] = ()
    address_source: str | None = None
    payments: tuple[PaymentRef, ...] = ()
    given_reason: str | None = None
    """A reason carried over from another sentence or turn (``reason`` reads the text's own)."""
    address: Mapping[str, str] | None = None
    items: tuple[ItemMention, ...] = ()
    order_items: tuple[ItemMention, ...] = ()
    """Items named only to say which order the request is about (``ItemMention.locates_order``)."""
    amounts: tuple[float, ...] = ()
    others: tuple[str, ...] = ()
    """Other people's accounts the text is about (a user id not the customer's, "every
    customer", "my wife's account"): never a target for the customer's writes."""
    product_ids: tuple[str, ...] = ()
    """Ten-digit product ids named as such ("product 8594502849")."""
    statuses: tuple[str, ...] = ()
    """Order statuses the text picks orders by ("my pending order", "the delivered one")."""
    everything: bool = False
    """The text means every candidate ("everything", "all of them", "both")."""
    kept: tuple[str, ...] = ()
    """Products the customer keeps out of the request ("everything except the perfume")."""
    status_hint: str | None = None
    """The status the text implies of its order ("the boots I received": delivered; "it hasn't
    shipped yet": pending), to tell candidates apart (not to rule orders out)."""
    text: str = ""
    """The text the entities were read from (the meaning classifiers run on it on demand)."""

    @property
    def names_something(self) -> bool:
        """An order, an item, a payment method or an address is named."""
        return bool(self.order_ids or self.items or self.payments or self.address)

    @property
    def reason(self) -> str | None:
        """Why a cancellation is wanted ("no longer needed", "ordered by mistake"), or None."""
        return self.given_reason or (meaning.cancel_reason(self.text) if self.text else None)

    @property
    def problem(self) -> str | None:
        """A delivery problem reported ("damaged", "not_received"), or None."""
        return meaning.delivery_problem(self.text) if self.text else None

    @property
    def new_payments(self) -> tuple[PaymentRef, ...]:
        """The payment references naming the method to use (not the one to move away from)."""
        fresh = tuple(p for p in self.payments if not p.current)
        return fresh or self.payments


def extract(text: str, customer: CustomerData | None, product_names: Sequence[str]) -> Entities:
    known = customer.orders if customer else ()
    same_as = SAME_AS.search(text)
    source = None
    if same_as:
        source = next((o for _, _, o in order_spans(same_as.group(1), known)), None)
    item_text = text
    if source is None and customer is not None:
        source, item_text = _source_by_product(text, customer, product_names)
    named = list(dict.fromkeys(o for _, _, o in order_spans(tau_template.masked(text), known)))
    address = _address(text, customer, source)
    mentioned = items(item_text, customer, product_names)
    taken_from = source
    # Only with other evidence of the order meant (another order, items, "both"): "ship #W… to
    # <the address it already has>" names that order, and must not move another one.
    other_evidence = len(named) > 1 or any(not m.excluded for m in mentioned)
    everything = bool(_EVERYTHING.search(_PAYS_FOR_ALL.sub(" ", _REST_KEPT.sub(" ", text))))
    other_evidence = other_evidence or everything
    if source is None and address is not None and customer is not None and other_evidence:
        taken_from = _already_there(named, address, customer)
    return Entities(
        order_ids=tuple(o for o in named if o != taken_from),
        address_source=source,
        payments=tuple(payments(text, customer)),
        address=address,
        items=_acted_on(mentioned),
        order_items=tuple(m for m in mentioned if m.locates_order and not m.excluded),
        kept=tuple(dict.fromkeys(m.name for m in mentioned if m.excluded)),
        amounts=tuple(float(a) for a in re.findall(r"\$\s?(\d+(?:\.\d{1,2})?)", text)),
        others=tuple(_others(text, customer)),
        product_ids=tuple(dict.fromkeys(PRODUCT_ID.findall(text))),
        statuses=tuple(
            dict.fromkeys(
                m.lower().replace("canceled", "cancelled") for m in _STATUS_NAMED.findall(text)
            )
        ),
        everything=everything,
        status_hint=_status_hint(text),
        text=text,
    )


_SAME_AS_ORDER_OF = re.compile(
    r"\bsame (?:address |place )?as (?:my|the) (?P<product>[\w -]{2,40}?) "
    r"(?:order|one|package|delivery)\b|"
    r"\bto where (?:my|the) (?P<went>[\w -]{2,40}?) (?:was|were|got|went|has been) ?"
    r"(?:delivered|sent|shipped|to)?\b",
    re.IGNORECASE,
)


def _source_by_product(
    text: str, customer: CustomerData, product_names: Sequence[str]
) -> tuple[str | None, str]:
    """ "ship it to the same address as my toothbrush order", "… go to where my smart watch
    was delivered": the one order holding that
    product is where the address comes from, and the text with that product blanked out (it
    names no item of the request)."""
    m = _SAME_AS_ORDER_OF.search(text)
    if m is None:
        return None, text
    group = "product" if m.group("product") else "went"
    spans = mentions(m.group(group).lower(), product_names, customer.product_names())
    if not spans:
        return None, text
    product = spans[0][2]
    holders = [o for o, order in customer.orders.items() if product in _names_in(order)]
    if len(holders) > 1 and m.group("went"):
        # "to where my watch was delivered / went": of its orders, the one that arrived
        holders = [o for o in holders if customer.orders[o].get("status") == "delivered"]
    if len(holders) != 1:
        return None, text
    start, end = m.span(group)
    return holders[0], text[:start] + " " * (end - start) + text[end:]


def _names_in(order: Mapping[str, Any]) -> set[str]:
    return {str(item.get("name")) for item in order.get("items", ())}


def _acted_on(mentioned: Sequence[ItemMention]) -> tuple[ItemMention, ...]:
    """The items a request acts on: not the kept ones, nor the ones that only say which order
    ("in the order with the puzzle, swap the glass kettle …"; one in brackets after the order
    counts when nothing else is named)."""
    kept = [m for m in mentioned if not m.excluded and m.locates_order != "with"]
    acted = [m for m in kept if not m.locates_order]
    return tuple(acted or kept)


def _status_hint(text: str) -> str | None:
    if _NOT_SHIPPED.search(text):
        return "pending"
    for m in _CAME.finditer(text):
        if not _NOT_BEFORE.search(text[max(0, m.start() - 24) : m.start()]):
            return "delivered"
    return None


def _others(text: str, customer: CustomerData | None) -> list[str]:
    own = customer.user_id if customer else None
    found = [u for u in _OTHER_USER_ID.findall(text) if u != own]
    found += [m.group(0) for m in _OTHER_PEOPLE.finditer(text)]
    return list(dict.fromkeys(found))


def _already_there(
    named: Sequence[str], address: Mapping[str, str], customer: CustomerData
) -> str | None:
    """The one named order that already ships to ``address``: where the customer took the
    address from ("… (the address on my order #W…)"), never an order to re-address."""
    there = [o for o in named if o in customer.orders and ships_to(customer.orders[o], address)]
    return there[0] if len(there) == 1 else None


def ships_to(order: Mapping[str, Any], address: Mapping[str, str]) -> bool:
    """Whether ``order`` already ships to ``address`` (case aside)."""
    current = order.get("address") or {}
    return all(str(current.get(k, "")).lower() == str(address[k]).lower() for k in ADDRESS_FIELDS)


def _capitalised(part: str) -> str:
    """ "78 maple avenue" → "78 Maple Avenue", as addresses are stored; words the customer
    capitalised themselves ("McAllen", "NW") stay as written."""
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in part.split())


def _address(
    text: str, customer: CustomerData | None, source: str | None
) -> Mapping[str, str] | None:
    literal = tau_template.literal_address(text, ADDRESS_FIELDS)
    if literal is not None:
        return literal
    m = next((m for m in _ADDRESS.finditer(text) if m["state"].upper() in US_STATES), None)
    if m:
        parts = m.groupdict()
        return {
            "address1": _capitalised(parts["address1"]),
            "address2": _capitalised(parts["address2"] or ""),
            "city": _capitalised(parts["city"]),
            "country": "USA",
            "state": parts["state"].upper(),
            "zip": parts["zip"],
        }
    if source and customer and source in customer.orders:
        address = customer.orders[source]["address"]
        return {k: address.get(k, "") for k in ADDRESS_FIELDS}
    return None


__all__ = ["ADDRESS_FIELDS", "Entities", "ItemMention", "PaymentRef", "extract", "ships_to"]
