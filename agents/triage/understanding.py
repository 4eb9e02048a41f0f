"""Ticket understanding: language, tone, and the requests in it with intents and entities.

``Understander`` is built from the live skills (its label set follows the directory) and the
product names it should recognise; ``understand(text, customer)`` is pure and deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agents.triage.customer import CustomerData
from agents.triage.nlu.entities import DICT_LITERAL, ORDER_ID, PM_ID, Entities, extract
from agents.triage.nlu.examples import EXAMPLES, TOPIC_AGENTS
from agents.triage.nlu.intents import IntentModel, IntentScore
from agents.triage.nlu.language import detect_language
from agents.triage.nlu.segment import segments
from agents.triage.nlu.tone import Tone, tone
from router.plan import Catalog

MIN_SCORE = 0.2
MIN_WRITE_SCORE = 0.25
CONTINUATION_SCORE = 0.3
"""A segment scoring below this that names entities continues the previous request."""

# A write is only predicted when the text says something that can mean it.
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
    "return_delivered_order_items": re.compile(
        r"\b(return\w*|send (it |them )?back|refund)\b", re.I
    ),
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
_CLASSIFY_NOISE = re.compile(
    DICT_LITERAL.pattern + "|" + ORDER_ID.pattern + "|" + PM_ID.pattern, re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Request:
    text: str
    label: str | None
    """A skill id, ``topic:…``, ``none:…``, or None when nothing was recognised."""
    score: float
    entities: Entities
    ranked: tuple[IntentScore, ...] = ()

    @property
    def actionable(self) -> bool:
        return self.label is not None and not self.label.startswith("none:")


@dataclass(frozen=True, slots=True)
class Understanding:
    language: str
    tone: Tone
    requests: tuple[Request, ...]


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
        self.product_names = tuple(product_names)

    def _allowed(self, label: str) -> bool:
        if label.startswith("none:"):
            return True
        if label.startswith("topic:"):
            return TOPIC_AGENTS[label] in {i.agent for i in self.catalog.skills.values()}
        return label in self.catalog.skills

    def names_for(self, customer: CustomerData | None) -> tuple[str, ...]:
        if customer is None:
            return self.product_names
        own = {p["name"] for p in customer.products.values()}
        return tuple(sorted(own | set(self.product_names)))

    def understand(self, text: str, customer: CustomerData | None) -> Understanding:
        names = self.names_for(customer)
        requests: list[Request] = []
        for piece in segments(text):
            request = self.request(piece, customer, names)
            if requests and _continues(request):
                requests[-1] = self.request(f"{requests[-1].text} {piece}", customer, names)
                continue
            requests.append(request)
        return Understanding(detect_language(text), tone(text), tuple(requests))

    def request(
        self, text: str, customer: CustomerData | None, names: Sequence[str] | None = None
    ) -> Request:
        entities = extract(text, customer, names if names is not None else self.names_for(customer))
        ranked = tuple(self.model.rank(self._classification_text(text, names)))
        label, score = self._choose(text, ranked)
        if label is None and entities.order_ids and "get_order_details" in self.catalog.skills:
            label, score = "get_order_details", 0.0
        return Request(text, label, score, entities, ranked[:5])

    def _classification_text(self, text: str, names: Sequence[str] | None) -> str:
        """The text without ids, option literals and product names: they name, not ask."""
        plain = _CLASSIFY_NOISE.sub(" ", text)
        for name in names if names is not None else self.product_names:
            if name.lower() in plain.lower():
                plain = re.sub(re.escape(name), " item ", plain, flags=re.IGNORECASE)
        return plain

    def _choose(self, text: str, ranked: Sequence[IntentScore]) -> tuple[str | None, float]:
        for candidate in ranked:
            if candidate.score < MIN_SCORE:
                break
            label = candidate.label
            if self.catalog.is_write(label):
                trigger = WRITE_TRIGGERS.get(label)
                if candidate.score < MIN_WRITE_SCORE or (trigger and not trigger.search(text)):
                    continue
            return label, candidate.score
        return None, 0.0


def _continues(request: Request) -> bool:
    e = request.entities
    has_entities = bool(e.order_ids or e.items or e.payments or e.reason or e.address)
    weak = (
        request.label is None
        or request.label.startswith("none:")
        or (request.score < CONTINUATION_SCORE and request.label == "get_order_details")
    )
    return has_entities and weak


def skill_agents(catalog: Catalog) -> Mapping[str, str]:
    agents = {skill: info.agent for skill, info in catalog.skills.items()}
    return agents | dict(TOPIC_AGENTS)
