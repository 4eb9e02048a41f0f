"""Ticket understanding: language, tone, and the requests in it with intents and entities.

``Understander`` is built from the live skills (its label set follows the directory) and the
product names it should recognise; ``understand(text, customer)`` is pure and deterministic.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from agents.triage import joining, joining_orders, joining_payments
from agents.triage import joining_references as references
from agents.triage.customer import CustomerData
from agents.triage.nlu import glossary, tau_template
from agents.triage.nlu.cues import cue_label
from agents.triage.nlu.entities import Entities, extract
from agents.triage.nlu.examples import EXAMPLES, TOPIC_AGENTS
from agents.triage.nlu.glossary import to_english
from agents.triage.nlu.intents import IntentModel, IntentScore
from agents.triage.nlu.language import detect_language
from agents.triage.nlu.order_ids import order_spans
from agents.triage.nlu.product_names import compile_names
from agents.triage.nlu.segment import segments
from agents.triage.nlu.spelling import repaired
from agents.triage.nlu.text import words
from agents.triage.nlu.tone import tone
from agents.triage.nlu.triggers import (
    ITEM_PROBLEM,
    READ_TRIGGERS,
    WRITE_TRIGGERS,
    about_own_order,
    asks_why_cancelled,
    without_negated_writes,
    without_taken_back,
)
from agents.triage.requests import CUE_SCORE, Request, Understanding
from router.plan import Catalog

MODIFY_ITEMS = "modify_pending_order_items"
"""An item change (the planner makes it an exchange when the order was delivered)."""
MIN_SCORE = 0.2
PERSONA_LABEL = "none:identity"
"""A sentence that only says who the customer is."""
MIN_WRITE_SCORE = 0.25

REMEDY = "ask:remedy"
"""Label of a complaint about an item that names no remedy: the triage asks which one."""
_ORDER_WORD = re.compile(r"\border\s*$", re.IGNORECASE)


class Understander:
    def __init__(
        self,
        catalog: Catalog,
        product_names: Sequence[str] = (),
        product_ids: Mapping[str, str] | None = None,
    ) -> None:
        self.catalog = catalog
        self.product_ids = dict(product_ids or {})
        """Product name → product id, for product questions."""
        examples: dict[str, list[str]] = {}
        for label, texts in EXAMPLES.items():
            if self._allowed(label):
                examples.setdefault(label, []).extend(texts)
        for skill, info in catalog.skills.items():
            own = examples.setdefault(skill, [])
            own.extend(info.examples)
            if skill not in EXAMPLES and info.name:
                own.append(info.name)
        self.model = IntentModel(examples)
        self.product_names = tuple(sorted(set(product_names)))
        self._product_name_set = frozenset(self.product_names)
        self._name_words = frozenset(w for n in self.product_names for w in words(n))
        """Words of the catalogue's names: known words, never spelling repairs."""
        glossary.compile_all()
        compile_names(self.product_names)

    def _allowed(self, label: str) -> bool:
        if label.startswith("none:"):
            return True
        if label.startswith("topic:"):
            return TOPIC_AGENTS[label] in {i.agent for i in self.catalog.skills.values()}
        return label in self.catalog.skills

    def names_for(self, customer: CustomerData | None) -> tuple[str, ...]:
        if customer is None:
            return self.product_names
        own = customer.product_names()
        if own <= self._product_name_set:
            return self.product_names
        return tuple(sorted(own | self._product_name_set))

    def normalised(self, text: str, customer: CustomerData | None) -> str:
        """``text`` with misspelt request words repaired and foreign request phrases in
        English (the names and option values of the customer's products are known words)."""

        def known() -> frozenset[str]:
            own = customer.known_words() if customer is not None else frozenset()
            return self._name_words | own

        return to_english(repaired(text, known))

    def understand(self, text: str, customer: CustomerData | None) -> Understanding:
        names = self.names_for(customer)
        language = detect_language(text)
        # the customer's own request (the planner screened it), without the write verbs taken
        # back as they were written ("cancel... I mean change the camera")
        clean = without_taken_back(self.normalised(text, customer))
        requests: list[Request] = []
        pieces = [
            part
            for piece in segments(clean)
            for whole in self._per_order(
                self.request(piece, customer, names, translated=True), customer, names
            )
            for part in self._coordinated(whole, customer, names)
        ]
        for request in pieces:
            piece = request.text
            if references.announces_requests(request):
                continue
            if requests and references.takes_back_the_one_before(request):
                requests.pop()
                continue
            if (
                requests
                and references.continues(request)
                and not references.another_order(requests[-1], request)
                and not references.names_values_of(requests[-1], request, customer)
            ):
                merged = f"{requests[-1].text} {piece}"
                requests[-1] = self.request(merged, customer, names, translated=True)
                continue
            referred = references.referred(requests, request, self.catalog)
            if referred is not None:
                # "So I ordered a toothbrush (…). Ha, batteries. Could you change it to …":
                # "it" is the item named before, past the remarks in between.
                merged = " ".join([*(r.text for r in requests[referred:]), piece])
                requests[referred:] = [self.request(merged, customer, names, translated=True)]
                continue
            if requests and references.names_values_of(requests[-1], request, customer):
                # "There are two gaming mice. The RGB one I'd like changed to black.": read as one
                merged = f"{requests[-1].text} {piece}"
                whole = self.request(merged, customer, names, translated=True)
                entities = joining.keeping_orders(whole.entities, requests[-1])
                if joining.changes_after_order_write(requests[-1], entities):
                    # "ship my laptop order to …, and I want the 15 inch i7 instead of the 17
                    # inch": the address stays a request; the values are another, on its item
                    requests.append(replace(whole, label=MODIFY_ITEMS, entities=entities))
                    continue
                requests[-1] = replace(whole, entities=entities)
                continue
            if requests and (
                references.says_nothing_more(requests[-1], request, self.catalog)
                or references.only_comments(request)
                or references.keeps_the_rest(requests[-1], request)
            ):
                # "… was delivered but it isn't here. I checked with the neighbours too."
                merged = f"{requests[-1].text} {piece}"
                previous = requests[-1]
                entities = replace(previous.entities, text=merged)
                requests[-1] = replace(previous, text=merged, entities=entities)
                continue
            if requests and joining.gives_reason(requests[-1], request, self.catalog):
                # "Cancel the shoes order. I found them cheaper elsewhere.": why, not what.
                merged = f"{requests[-1].text} {piece}"
                previous = requests[-1]
                entities = replace(previous.entities, given_reason=request.entities.reason)
                requests[-1] = replace(previous, text=merged, entities=entities)
                continue
            if requests and joining.reason_before(requests[-1], request, self.catalog):
                # "I never meant to buy this. Cancel #W… right now.": why, then what.
                merged = f"{requests[-1].text} {piece}"
                entities = replace(
                    extract(merged, customer, names), given_reason=requests[-1].entities.reason
                )
                requests[-1] = replace(request, text=merged, entities=entities)
                continue
            if requests and joining.gives_address(requests[-1], request, self.catalog):
                # "You have the wrong address on my espresso machine order. It must go to …":
                # the address belongs to the order the sentence before named.
                merged = f"{requests[-1].text} {piece}"
                entities = extract(merged, customer, names)
                requests[-1] = replace(requests[-1], text=merged, entities=entities)
                continue
            if requests and (
                joining.adds_nothing(requests[-1], request, self.catalog)
                or joining.restates(requests[-1], request)
            ):
                # "For #W… the address is now …. Please change.": a nudge, not a request.
                continue
            if requests and joining_payments.pays_for(requests[-1], request):
                # "Exchange the backpack for the green one. Charge my amex.": the payment
                # belongs to the item change before it.
                merged = f"{requests[-1].text} {piece}"
                previous = requests[-1]
                entities = joining.keeping_orders(extract(merged, customer, names), previous)
                requests[-1] = replace(previous, text=merged, entities=entities)
                continue
            if requests and joining.same_write_again(requests[-1], request):
                entities = joining.keeping_orders(request.entities, requests[-1])
                requests.append(
                    replace(request, label=requests[-1].label, ranked=(), entities=entities)
                )
                continue
            if requests and self._describes(requests[-1], request):
                # "I don't like the colour of my helmet. Could you exchange it for …": the
                # first sentence only says which item the write is about.
                described = requests[-1].entities
                if described.order_ids and not request.entities.order_ids:
                    entities = replace(request.entities, order_ids=described.order_ids)
                    request = replace(request, entities=entities)
                requests[-1] = request
                continue
            if requests and self._context_for(requests[-1], request):
                # "The boots I got in #W… are too small. Please exchange them for a 10":
                # the statement names what the request acts on.
                merged = f"{requests[-1].text} {piece}"
                entities = extract(merged, customer, names)
                requests[-1] = Request(
                    merged, request.label, request.score, entities, request.ranked
                )
                continue
            if joining.changes_after_order_write(request, request.entities):
                # "change the delivery address to …, and the blue helmet in there is size L, I
                # need a small": one sentence, two writes on its order
                requests += [request, replace(request, label=MODIFY_ITEMS, ranked=())]
                continue
            requests.append(request)
        requests = [r for r in requests if not references.taken_back(r)]
        requests = joining.listed_after_announcement(requests, self.catalog)
        requests = joining.with_ticket_reason(requests, self.catalog)
        requests = joining.with_same_reason(requests)
        requests = joining_payments.with_ticket_payment(requests)
        requests = joining.announced(requests, self.catalog)
        requests = joining_orders.with_ticket_orders(requests, customer)
        requests = joining_payments.with_order_payment(requests)
        return Understanding(language, tone(clean), tuple(requests))

    def _coordinated(
        self, request: Request, customer: CustomerData | None, names: Sequence[str]
    ) -> tuple[Request, ...]:
        """ "List my orders and my saved payment methods": one verb, two objects that are two
        different reads. Split only when both halves read as distinct reads on their own."""
        label = request.label
        if label is None or label not in self.catalog.skills or self.catalog.is_write(label):
            return (request,)
        match = _COORDINATION.match(request.text)
        if match is None:
            return (request,)
        halves = tuple(
            self.request(match.group(part), customer, names, translated=True)
            for part in ("head", "tail")
        )
        if halves[0].label == halves[1].label or not all(map(self._confident_read, halves)):
            return (request,)
        return halves

    def _per_order(
        self, request: Request, customer: CustomerData | None, names: Sequence[str]
    ) -> tuple[Request, ...]:
        """ "the bottle from #W1, refunded to my Mastercard; and the t-shirt from #W2, to my
        gift card": one write over several orders, a clause each, is one request per order."""
        label = request.label
        if label is None or not self.catalog.is_write(label) or ";" not in request.text:
            return (request,)
        if len(request.entities.order_ids) < 2:
            return (request,)
        clauses = [c.strip(" ,") for c in request.text.split(";") if c.strip(" ,")]
        parts = [self.request(c, customer, names, translated=True) for c in clauses]
        if any(len(p.entities.order_ids) != 1 for p in parts):
            return (request,)
        return tuple(replace(p, label=label, score=request.score, ranked=()) for p in parts)

    def _confident_read(self, request: Request) -> bool:
        label = request.label
        return (
            label is not None
            and label in self.catalog.skills
            and not self.catalog.is_write(label)
            and request.score >= MIN_SCORE
        )

    def _describes(self, previous: Request, request: Request) -> bool:
        """Whether ``previous`` is a statement (not a question, not a request of its own) about
        the very items the write ``request`` names."""
        if request.label is None or not self.catalog.is_write(request.label):
            return False
        if previous.label not in _DESCRIPTIVE or previous.text.rstrip().endswith("?"):
            return False
        named = {m.name for m in previous.entities.items}
        return bool(named) and named <= {m.name for m in request.entities.items}

    def _context_for(self, previous: Request, request: Request) -> bool:
        """Whether ``previous`` only describes what the write ``request`` acts on."""
        if request.label is None or not self.catalog.is_write(request.label):
            return False
        if previous.label is not None and self.catalog.is_write(previous.label):
            # "The pet bed I got is the wrong color. Please exchange it for …": a complaint
            # read as an item change that names no new option only describes the item.
            if not (
                joining.PAID_WRITES >= {previous.label, request.label} and joining.bare(previous)
            ):
                return False
        if previous.text.rstrip().endswith("?"):
            return False
        p, r = previous.entities, request.entities
        lacks = (not r.items and bool(p.items)) or (not r.order_ids and bool(p.order_ids))
        return lacks and not (r.order_ids and p.order_ids and r.order_ids != p.order_ids)

    def request(
        self,
        text: str,
        customer: CustomerData | None,
        names: Sequence[str] | None = None,
        *,
        translated: bool = False,
    ) -> Request:
        """One request's label and entities (``translated``: the text went through the
        glossary already)."""
        if not translated:
            text = self.normalised(text, customer)
        if tau_template.PERSONA.match(text):
            return Request(text, PERSONA_LABEL, CUE_SCORE, Entities(text=text))
        entities = extract(text, customer, names if names is not None else self.names_for(customer))
        if asks_why_cancelled(text):  # "why was my order cancelled??": about that order
            statuses = entities.statuses or ("cancelled",)
            return Request(
                text, "get_order_details", MIN_SCORE, replace(entities, statuses=statuses)
            )
        asked = without_negated_writes(text)  # "I don't want to cancel anything, just …"
        cued = cue_label(asked, entities)
        if cued is not None and cued in self.catalog.skills:
            return Request(text, cued, CUE_SCORE, entities)  # the cue decides: no ranking
        ranked = tuple(self.model.rank(self._classification_text(asked, names, customer)))
        label, score = self._choose(asked, ranked)
        if label not in self.catalog.skills and entities.items and ITEM_PROBLEM.search(text):
            # "The sunglasses from #W… don't fit": something to fix, but return or exchange?
            label, score = REMEDY, 0.0
        if label is None and entities.order_ids and "get_order_details" in self.catalog.skills:
            label, score = "get_order_details", 0.0
        if about_own_order(label, text, entities, customer, self.catalog):
            # "any news on my pet bed?": a product the customer already ordered, asked about
            # without a question about the product itself, is a question about that order.
            label, score = "get_order_details", max(score, MIN_SCORE)
        return Request(text, label, score, entities, ranked[:5])

    def _classification_text(
        self, text: str, names: Sequence[str] | None, customer: CustomerData | None
    ) -> str:
        """The text without ids, option literals and product names: they name, not ask."""
        # An order id says the request is about an order, whatever else it asks.
        plain = tau_template.NOISE.sub(" ", text)
        known = customer.orders if customer is not None else ()
        for start, end, _ in reversed(order_spans(plain, known)):
            head = _ORDER_WORD.sub("", plain[:start])
            plain = f"{head} order {plain[end:]}"
        lowered = plain.lower()
        for name in names if names is not None else self.product_names:
            if _lower(name) in lowered:
                plain = re.sub(re.escape(name), " item ", plain, flags=re.IGNORECASE)
                lowered = plain.lower()
        # "the skateboard, grill, headphones" is one thing named, not three.
        return _REPEATED_ITEMS.sub(" item ", plain)

    def _choose(self, text: str, ranked: Sequence[IntentScore]) -> tuple[str | None, float]:
        for candidate in ranked:
            if candidate.score < MIN_SCORE:
                break
            label = candidate.label
            read_trigger = READ_TRIGGERS.get(label)
            if read_trigger is not None and not read_trigger.search(text):
                continue
            if self.catalog.is_write(label):
                trigger = WRITE_TRIGGERS.get(label)
                if candidate.score < MIN_WRITE_SCORE or (trigger and not trigger.search(text)):
                    continue
            return label, candidate.score
        return None, 0.0


_DESCRIPTIVE = frozenset({"find_item", "get_product_details", REMEDY, None})
"""Labels a statement about an item gets when it asks for nothing by itself."""


@functools.lru_cache(maxsize=4096)
def _lower(name: str) -> str:
    return name.lower()


_COORDINATION = re.compile(
    r"^(?P<head>.+?)\s*,?\s+and\s+(?P<tail>(?:my|the|your|all (?:my|the))\b.+)$",
    re.IGNORECASE | re.DOTALL,
)
_REPEATED_ITEMS = re.compile(r"\bitem\b(?:\W+(?:and\s+|or\s+)?item\b)+", re.IGNORECASE)
