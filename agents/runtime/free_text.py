"""Understanding a free-text request sent straight to a specialist by a third-party agent.

Inside the mesh, triage sends structured skill calls; a third-party agent may just write
"please cancel #W1000004, I ordered it by mistake". The specialist picks the skill whose
keywords the text mentions most, fills the arguments it can read from the text (order, item and
payment-method ids, "my visa ending 1884" or "gift card" resolved against the customer's
payment methods, item names of the order, cancel reasons, addresses, ``name: value`` pairs) and
names what is still missing, with the candidates when it knows them. It never guesses a write's
argument: a write runs only when every argument was stated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from agents.runtime.skills import Skill
from domain.arguments import CANCEL_REASONS
from store import Store
from store.contract import ADDRESS_ARGS

ORDER_ID = re.compile(r"#?\b(W\d{7})\b", re.IGNORECASE)
TEN_DIGITS = re.compile(r"(?<![\w#])(\d{10})(?!\d)")
PAYMENT_METHOD_ID = re.compile(r"\b((?:credit_card|paypal|gift_card)_\d+)\b")
LAST_FOUR = re.compile(
    r"\b(?:ending(?: in| with)?|last (?:four|4)(?: digits)?(?: are| is)?|ends in)\s*(\d{4})\b",
    re.IGNORECASE,
)
BRANDS = ("visa", "mastercard", "amex", "american express", "discover")
PAIR = re.compile(r"(\d{10})\s*(?:->|=>|→|for|to|with|into|by)\s*(?:item\s+)?(\d{10})", re.I)
KEY_VALUE = re.compile(r"\b([a-z][a-z0-9_ ]{0,20}?)\s*[:=]\s*([^,;\n]+)", re.IGNORECASE)
HANDOFF_ID = re.compile(r"\b(?:handoff|ticket|case)\s*(?:id\s*)?#?\s*(\d+)\b", re.IGNORECASE)
ADDRESS = re.compile(
    r"(\d+[^,\n]*),\s*([^,\n]*),\s*([^,\n]+),\s*([A-Za-z .]+),\s*([A-Za-z .]+),\s*"
    r"(\d{5}(?:-\d{4})?)"
)
REASON_PHRASES: dict[str, tuple[str, ...]] = {
    "no longer needed": ("no longer need", "don't need", "do not need", "not needed", "no need"),
    "ordered by mistake": ("by mistake", "mistake", "by accident", "accidentally", "wrong order"),
}
ALL_ITEMS = re.compile(r"\b(all (?:the |of the )?items|everything|whole order|entire order)\b")
ORIGINAL_METHOD = re.compile(
    r"\b(original (?:payment|card|method)|same (?:card|payment method|method)|paid with)\b", re.I
)
WORD_START = r"(?<![a-z0-9])"


def order_ids_in(text: str) -> list[str]:
    return [f"#{m.upper()}" for m in ORDER_ID.findall(text)]


def choose_skill(text: str, skills: Sequence[Skill]) -> Skill | None:
    """The skill whose keywords (phrases count by their length in words) the text hits most."""
    lowered = text.lower()
    has_order = bool(order_ids_in(text))
    best: tuple[int, int, Skill] | None = None
    for skill in skills:
        score = sum(
            len(keyword.split())
            for keyword in skill.keywords
            if re.search(WORD_START + re.escape(keyword.lower()), lowered)
        )
        # ties go to a skill that takes an order id exactly when the text names one
        fits = int(has_order == ("order_id" in skill.input_model.model_fields))
        if score and (best is None or (score, fits) > best[:2]):
            best = (score, fits, skill)
    return best[2] if best else None


def describe_payment_method(method: dict[str, Any]) -> str:
    source = method["source"]
    if source == "credit_card":
        return f"{method.get('brand', 'card').title()} ending {method.get('last_four', '????')}"
    if source == "gift_card":
        return f"gift card (balance {float(method.get('balance', 0)):.2f})"
    return source.replace("_", " ").title() if source != "paypal" else "PayPal"


def describe_order(order: dict[str, Any]) -> str:
    items = ", ".join(item["name"] for item in order["items"])
    return f"{order['order_id']} ({order['status']}: {items})"


def describe_item(item: dict[str, Any]) -> str:
    options = ", ".join(f"{k} {v}" for k, v in item["options"].items())
    return f"{item.get('name', 'item')} ({options}) = {item['item_id']}"


class Resolver:
    """Looks up what free text refers to, for one customer (cached per request)."""

    def __init__(self, store: Store, customer_id: str | None) -> None:
        self.store = store
        self.customer_id = customer_id
        self._user: dict[str, Any] | None = None
        self._orders: dict[str, dict[str, Any] | None] = {}
        self._products: list[dict[str, Any]] | None = None

    async def user(self) -> dict[str, Any] | None:
        if self._user is None and self.customer_id:
            self._user = await self.store.get_user(self.customer_id)
        return self._user

    async def payment_methods(self) -> list[dict[str, Any]]:
        user = await self.user()
        return list(user["payment_methods"].values()) if user else []

    async def order(self, order_id: str) -> dict[str, Any] | None:
        if order_id not in self._orders:
            order = await self.store.get_order(order_id)
            if order is not None and self.customer_id and order["user_id"] != self.customer_id:
                order = None
            self._orders[order_id] = order
        return self._orders[order_id]

    async def orders(self) -> list[dict[str, Any]]:
        if not self.customer_id:
            return []
        return await self.store.list_orders(self.customer_id)

    async def products(self) -> list[dict[str, Any]]:
        if self._products is None:
            self._products = await self.store.list_products()
        return self._products


@dataclass(slots=True)
class Understood:
    """A free-text request read against one skill."""

    skill: Skill
    arguments: dict[str, Any]
    missing: list[str] = field(default_factory=list)
    question: str | None = None
    candidates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def required_fields(skill: Skill) -> list[str]:
    return [n for n, f in skill.input_model.model_fields.items() if f.is_required()]


async def understand(
    skill: Skill,
    text: str,
    resolver: Resolver,
    known: dict[str, Any] | None = None,
) -> Understood:
    """Fill ``skill``'s arguments from ``text`` on top of ``known`` ones; say what is missing."""
    arguments = dict(known or {})
    fields = skill.input_model.model_fields
    reader = _Reader(text, resolver, skill)
    for name in fields:
        if name in arguments:
            continue
        value = await reader.read(name, arguments)
        if value is not None:
            arguments[name] = value
    if skill.free_text_hook is not None:
        arguments = await skill.free_text_hook(text, resolver, arguments)
    missing = [name for name in required_fields(skill) if name not in arguments]
    understood = Understood(skill, arguments, missing)
    if missing:
        await _ask(understood, resolver)
    return understood


class _Reader:
    def __init__(self, text: str, resolver: Resolver, skill: Skill) -> None:
        self.text = text
        self.lowered = text.lower()
        self.resolver = resolver
        self.skill = skill
        self.pairs = PAIR.findall(text)
        self.key_values = {
            k.strip().lower().replace(" ", "_"): v.strip() for k, v in KEY_VALUE.findall(text)
        }

    async def read(self, name: str, arguments: dict[str, Any]) -> Any:
        if name in self.key_values and name not in ("item_ids", "new_item_ids"):
            return self.key_values[name]
        reader = getattr(self, f"_{name}", None)
        if reader is not None:
            return await reader(arguments)
        if name in ADDRESS_ARGS:
            return _address(self.text).get(name)
        return None

    async def _order_id(self, _: dict[str, Any]) -> str | None:
        ids = order_ids_in(self.text)
        if ids:
            return ids[0]
        if self.skill.kind == "read":
            orders = _in_status(await self.resolver.orders(), self.skill.order_statuses)
            if len(orders) == 1:
                return orders[0]["order_id"]
        return None

    async def _order(self, arguments: dict[str, Any]) -> dict[str, Any] | None:
        order_id = arguments.get("order_id")
        return await self.resolver.order(order_id) if order_id else None

    async def _item_ids(self, arguments: dict[str, Any]) -> list[str] | None:
        order = await self._order(arguments)
        in_order = [item["item_id"] for item in order["items"]] if order else None
        if self.pairs:
            return [old for old, _ in self.pairs]
        explicit = TEN_DIGITS.findall(self.text)
        if in_order is not None:
            explicit = [i for i in explicit if i in in_order]
        if explicit:
            return explicit
        if order is None:
            return None
        if ALL_ITEMS.search(self.lowered):
            return list(in_order or [])
        named = []
        for name in dict.fromkeys(item["name"] for item in order["items"]):
            if re.search(WORD_START + re.escape(name.lower()), self.lowered):
                same = [item for item in order["items"] if item["name"] == name]
                if len(same) > 1:
                    return None  # several items of that product: the customer must say which
                named.append(same[0]["item_id"])
        return named or None

    async def _new_item_ids(self, arguments: dict[str, Any]) -> list[str] | None:
        if self.pairs:
            return [new for _, new in self.pairs]
        order = await self._order(arguments)
        if order is None:
            return None
        in_order = {item["item_id"] for item in order["items"]}
        new = [i for i in TEN_DIGITS.findall(self.text) if i not in in_order]
        return new or None

    async def _payment_method_id(self, arguments: dict[str, Any]) -> str | None:
        explicit = PAYMENT_METHOD_ID.findall(self.text)
        if explicit:
            return explicit[0]
        matches = await self.payment_method_matches(arguments)
        return matches[0]["id"] if len(matches) == 1 else None

    async def payment_method_matches(self, arguments: dict[str, Any]) -> list[dict[str, Any]]:
        methods = await self.resolver.payment_methods()
        text = self.lowered
        if ORIGINAL_METHOD.search(text):
            order = await self._order(arguments)
            if order and order["payment_history"]:
                first = order["payment_history"][0]["payment_method_id"]
                return [m for m in methods if m["id"] == first]
        last_four = LAST_FOUR.findall(self.text)
        if last_four:
            return [m for m in methods if m.get("last_four") in last_four]
        if re.search(r"\bgift ?cards?\b", text):
            return [m for m in methods if m["source"] == "gift_card"]
        if "paypal" in text:
            return [m for m in methods if m["source"] == "paypal"]
        brands = [b for b in BRANDS if re.search(rf"\b{b}\b", text)]
        if brands:
            return [m for m in methods if (m.get("brand") or "").lower() in brands]
        if re.search(r"\b(credit card|my card|the card)\b", text):
            return [m for m in methods if m["source"] == "credit_card"]
        return []

    async def _reason(self, _: dict[str, Any]) -> str | None:
        for reason in CANCEL_REASONS:
            if reason in self.lowered:
                return reason
        for reason, phrases in REASON_PHRASES.items():
            if any(phrase in self.lowered for phrase in phrases):
                return reason
        return None

    async def _summary(self, _: dict[str, Any]) -> str | None:
        return self.text.strip()[:4000] or None

    async def _user_id(self, _: dict[str, Any]) -> str | None:
        return self.resolver.customer_id

    async def _handoff_id(self, _: dict[str, Any]) -> int | None:
        found = HANDOFF_ID.search(self.text)
        return int(found.group(1)) if found else None

    async def _product_id(self, _: dict[str, Any]) -> str | None:
        product = await self.product()
        return product["product_id"] if product else None

    async def _product(self, arguments: dict[str, Any]) -> str | None:
        return await self._product_id(arguments)

    async def product(self) -> dict[str, Any] | None:
        """The one product the text names by id, by one of its item ids, or by name."""
        products = await self.resolver.products()
        for number in TEN_DIGITS.findall(self.text):
            for product in products:
                if number == product["product_id"] or number in product["variants"]:
                    return product
        named = [p for p in products if _names(p["name"], self.lowered)]
        return named[0] if len(named) == 1 else None

    async def _description(self, _: dict[str, Any]) -> str | None:
        return self.text.strip() or None


def _names(name: str, lowered: str) -> bool:
    base = re.escape(name.lower())
    return re.search(rf"{WORD_START}{base}(e?s)?\b", lowered) is not None


def _in_status(orders: list[dict[str, Any]], statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    return [o for o in orders if not statuses or o["status"] in statuses]


def _address(text: str) -> dict[str, str]:
    found = ADDRESS.search(text)
    if not found:
        return {}
    return {name: value.strip() for name, value in zip(ADDRESS_ARGS, found.groups(), strict=True)}


ARGUMENT_WORDS: dict[str, str] = {
    "order_id": "the order id (it looks like #W1234567)",
    "item_ids": "which item(s) of the order",
    "new_item_ids": "the new item(s): the exact options you want instead",
    "payment_method_id": "the payment method",
    "reason": "the reason: 'no longer needed' or 'ordered by mistake'",
    "summary": "a short summary of the problem",
    "product_id": "the product",
    "product": "the product",
    "user_id": "the customer account (a verified customer)",
    "address": "the full address (street, line 2, city, state, country, zip)",
}


async def _ask(understood: Understood, resolver: Resolver) -> None:
    """Build the one question for the first missing argument, with its candidates."""
    missing = understood.missing
    first = "address" if missing[0] in ADDRESS_ARGS else missing[0]
    candidates = await _candidates(first, understood, resolver)
    if candidates:
        understood.candidates[first] = candidates
    wanted = ARGUMENT_WORDS.get(first, first.replace("_", " "))
    question = f"To {understood.skill.verb} I need {wanted}."
    if candidates:
        listed = "; ".join(c["label"] for c in candidates[:12])
        question += f" Which one: {listed}?"
    others = [m for m in missing if m != first and not (first == "address" and m in ADDRESS_ARGS)]
    if others:
        question += " I will also need: " + ", ".join(o.replace("_", " ") for o in others) + "."
    understood.question = question


async def _candidates(
    name: str, understood: Understood, resolver: Resolver
) -> list[dict[str, Any]]:
    arguments = understood.arguments
    if name == "order_id":
        orders = _in_status(await resolver.orders(), understood.skill.order_statuses)
        return [{"order_id": o["order_id"], "label": describe_order(o)} for o in orders]
    if name == "payment_method_id":
        methods = await resolver.payment_methods()
        return [
            {"payment_method_id": m["id"], "label": describe_payment_method(m)} for m in methods
        ]
    if name == "reason":
        return [{"reason": r, "label": r} for r in CANCEL_REASONS]
    order = await resolver.order(arguments["order_id"]) if "order_id" in arguments else None
    if name == "item_ids" and order:
        return [{"item_id": i["item_id"], "label": describe_item(i)} for i in order["items"]]
    if name == "new_item_ids" and order and arguments.get("item_ids"):
        products = {p["product_id"]: p for p in await resolver.products()}
        out = []
        for item in order["items"]:
            if item["item_id"] not in arguments["item_ids"]:
                continue
            product = products.get(item["product_id"])
            for variant in (product or {"variants": {}})["variants"].values():
                if variant["available"] and variant["item_id"] != item["item_id"]:
                    labelled = {**variant, "name": item["name"]}
                    out.append({"item_id": variant["item_id"], "label": describe_item(labelled)})
        return out
    return []


async def ask_missing(
    skill: Skill, arguments: dict[str, Any], missing: list[str], resolver: Resolver
) -> Understood:
    """The question for a structured call that lacks ``missing`` (nothing is guessed)."""
    understood = Understood(skill, dict(arguments), list(missing))
    await _ask(understood, resolver)
    return understood
