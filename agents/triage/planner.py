"""The offline planner: customer turns + the customer's data → a validated Plan.

Deterministic and local. Each request of the ticket becomes steps (skill calls with resolved
arguments), a gap (something to ask), a note (answered by the triage itself) or an escalation
(out of policy). Any gap turns the whole plan into one merged question; the customer's answer
(a later turn) is read together with the requests that asked for it, at most
``max_questions`` times, after which the unresolved part goes to a human.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from agents.triage import clarify
from agents.triage.customer import CustomerData
from agents.triage.nlu.cues import affirms
from agents.triage.nlu.entities import ADDRESS_FIELDS, ItemMention
from agents.triage.nlu.examples import TOPIC_AGENTS
from agents.triage.nlu.text import features, fold
from agents.triage.screening import customer_request
from agents.triage.understanding import REMEDY, Request, Understander, Understanding
from router.plan import (
    ITEM_CHANGE_SKILLS,
    Catalog,
    Plan,
    Step,
    chain_writes,
    validate_plan,
)

MAX_QUESTIONS = 2
SUMMARY_LIMIT = 4000
HANDOFF = "transfer_to_human_agents"
ORDER_READS = ("get_order_details", "get_receipt", "get_refund_status")
NO_ARGUMENT_READS = ("list_orders", "get_payment_methods", "get_handoff_status")
RETURN = "return_delivered_order_items"
CANCEL = "cancel_pending_order"
ORDER_ADDRESS = "modify_pending_order_address"
USER_ADDRESS = "modify_user_address"
PAYMENT_CHANGE = "modify_pending_order_payment"
MODIFY = "modify_pending_order_items"
EXCHANGE = "exchange_delivered_order_items"
CANCEL_REASONS = ("no longer needed", "ordered by mistake")
OUT_OF_POLICY = re.compile(
    r"\b(?:cheaper|price ?match\w*|price drop|lower price|discount|for free|free of charge)\b",
    re.IGNORECASE,
)
DAMAGE_CLAIM = re.compile(
    r"\b(?:broke|broken|damaged|crushed|defective|stopped working)\b[^.!?]{0,80}"
    r"\b(?:refund|compensat\w*|money back)\b",
    re.IGNORECASE,
)
"""Demands no skill can grant: a colleague decides (the reads still run)."""
CLAIM_READS = frozenset({"get_refund_status", "get_order_details", "get_payment_history"})

TOPIC_NOTES: Mapping[str, str] = {
    "topic:delivery": "Delivery: orders ship to the address on the order; once an order has "
    "shipped I can give you its tracking details if you tell me which order it is.",
    "topic:place_order": "New orders are placed in our online shop; I can help with orders you "
    "have already placed (status, changes, cancellations, returns and exchanges).",
    "topic:refund_policy": "Refunds go back to the original payment method or to a gift card; "
    "returns are possible for delivered orders, and a cancelled pending order is refunded in full.",
    "topic:cancellation_fee": "There is no fee for cancelling a pending order: the full amount "
    "goes back to the payment method used.",
}
OUT_OF_SCOPE_NOTE = (
    "That is not something I can help with here: I can help with your orders (status, "
    "cancellations, changes, returns, exchanges), payments, refunds and invoices, or pass you "
    "to a human colleague."
)

THANKS_NOTE = "You're welcome! If anything else comes up, just write to us."


@dataclass(slots=True)
class Resolution:
    """What one request turned into."""

    steps: list[Step] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    escalation: str | None = None


class OfflinePlanner:
    name = "offline"

    def __init__(self, understander: Understander, *, max_questions: int = MAX_QUESTIONS) -> None:
        self.understander = understander
        self.catalog: Catalog = understander.catalog
        self.max_questions = max_questions

    def plan(self, turns: Sequence[str], customer: CustomerData | None) -> Plan:
        own = customer.user_id if customer else None
        turns = [customer_request(t, own) for t in turns if t.strip()] or [""]
        understanding = self.understander.understand(turns[0], customer)
        requests = list(understanding.requests)
        names = self.understander.names_for(customer)
        for answer in turns[1:]:
            pending = [i for i, r in enumerate(requests) if self._resolve(r, customer).gaps]
            if not pending:
                extra = self.understander.understand(answer, customer).requests
                requests.extend(r for r in extra if r.actionable)
                continue
            on_its_own = self.understander.request(answer, customer, names)
            for i in pending:
                merged = self.understander.request(f"{requests[i].text} {answer}", customer, names)
                if not merged.actionable or _keeps_label(requests[i], on_its_own):
                    merged = replace(
                        merged,
                        label=requests[i].label,
                        score=requests[i].score,
                        ranked=requests[i].ranked,
                    )
                requests[i] = replace(merged, answers=(*requests[i].answers, answer))
        return self._assemble(turns, understanding, requests, customer)

    def _assemble(
        self,
        turns: Sequence[str],
        understanding: Understanding,
        requests: Sequence[Request],
        customer: CustomerData | None,
    ) -> Plan:
        resolutions = [self._resolve(r, customer) for r in requests]
        steps: list[Step] = []
        notes: list[str] = []
        targets: list[str] = []
        gaps: list[str] = []
        escalations: list[str] = []
        for res in resolutions:
            steps.extend(res.steps)
            notes.extend(res.notes)
            targets.extend(res.targets)
            gaps.extend(res.gaps)
            if res.escalation:
                escalations.append(res.escalation)
        asked = len(turns) - 1
        handoff = any(r.label == HANDOFF for r in requests)
        if gaps and handoff:
            # The customer asked for a person: the colleague sorts out what is still unclear.
            escalations.append("details still unclear: " + "; ".join(dict.fromkeys(gaps))[:300])
            gaps = []
        if gaps and asked < self.max_questions:
            return Plan(
                question=clarify.merge(gaps),
                notes=tuple(dict.fromkeys(notes)),
                targets=tuple(dict.fromkeys(targets)),
                language=understanding.language,
            )
        if gaps:
            escalations.append("the request stayed unclear after " + f"{asked} questions")
        if escalations and HANDOFF in self.catalog.skills:
            summary = " | ".join(turns)[:SUMMARY_LIMIT]
            steps.append(
                Step.of(
                    self.catalog.skills[HANDOFF].agent,
                    HANDOFF,
                    {
                        "summary": summary,
                        "reason": "; ".join(dict.fromkeys(escalations))[:500],
                        "priority": understanding.tone.priority,
                    },
                    kind="write",
                )
            )
            targets.append(self.catalog.skills[HANDOFF].agent)
            notes.append("I have passed this to a human colleague, who will follow up.")
        unique: dict[str, Step] = {}
        for s in steps:
            unique.setdefault(s.id, s)
        plan = Plan(
            steps=chain_writes(list(unique.values()), lambda s: balances_touched(s, customer)),
            notes=tuple(dict.fromkeys(notes)),
            targets=tuple(dict.fromkeys(targets)),
            language=understanding.language,
        )
        validate_plan(plan, self.catalog)
        return plan

    # -- one request -------------------------------------------------------------------------

    def _resolve(self, request: Request, customer: CustomerData | None) -> Resolution:
        res = Resolution()
        label = request.label
        if label is None or label.startswith("none:"):
            if label == "none:thanks":
                res.notes.append(THANKS_NOTE)
            elif label != "none:identity" and (label is not None or features(request.text)):
                # A bare "Hi!" carries no request: nothing to refuse.
                res.notes.append(OUT_OF_SCOPE_NOTE)
            return res
        if label.startswith("topic:"):
            res.targets.append(TOPIC_AGENTS[label])
            res.notes.append(TOPIC_NOTES[label])
            return res
        if label == REMEDY:
            self._remedy(request, customer, res)
            return res
        info = self.catalog.skills.get(label)
        if info is None:
            return res
        res.targets.append(info.agent)
        if label == HANDOFF:
            return res_with_handoff(res, request)
        if customer is None:
            res.gaps.append(clarify.who_are_you())
            return res
        if request.entities.others:
            res.notes.append(
                "I can only look at or change your own account and orders, not "
                f"{request.entities.others[0]}'s; that person needs to contact us themselves."
            )
            return res
        claim = OUT_OF_POLICY.search(request.text) or (
            label in CLAIM_READS and DAMAGE_CLAIM.search(request.text)
        )
        if claim and (self.catalog.is_write(label) or label in CLAIM_READS or label == "find_item"):
            _out_of_policy(res, "a price match, discount or compensation needs a colleague")
            if self.catalog.is_write(label) or label == "find_item":
                return res
        handler = _HANDLERS.get(label)
        if handler is not None:
            handler(self, request, customer, res)
        else:
            self._generic(label, request, customer, res)
        # Route the step to whichever agent owns the (possibly re-mapped) skill.
        res.steps = [self._bind(s) for s in res.steps]
        res.steps = [s for s in res.steps if s.agent]
        for s in res.steps:
            if s.agent not in res.targets:
                res.targets.append(s.agent)
        return res

    def _bind(self, step: Step) -> Step:
        info = self.catalog.skills.get(step.skill)
        if info is None:
            return Step(step.id, "", step.skill, step.arguments, step.depends_on, step.kind)
        return Step(step.id, info.agent, step.skill, step.arguments, step.depends_on, info.kind)

    def _generic(
        self, skill: str, request: Request, customer: CustomerData, res: Resolution
    ) -> None:
        arguments: dict[str, Any] = {}
        if len(request.entities.order_ids) == 1:
            arguments["order_id"] = request.entities.order_ids[0]
        res.steps.append(Step.of("", skill, arguments))

    # -- order targeting ---------------------------------------------------------------------

    def _orders(
        self,
        request: Request,
        customer: CustomerData,
        res: Resolution,
        *,
        statuses: tuple[str, ...] = (),
        purpose: str,
        single: bool = False,
    ) -> list[Mapping[str, Any]]:
        explicit = request.entities.order_ids
        if explicit:
            found = [customer.orders[o] for o in explicit if o in customer.orders]
            missing = [o for o in explicit if o not in customer.orders]
            if missing:
                res.notes.append(
                    f"I could not find {', '.join(missing)} among your orders, so I left it alone."
                )
            return found[:1] if single else found
        candidates = customer.orders_with_status(*statuses)
        if request.entities.statuses:
            # "my pending order": the orders in that status (a status the request can't act on
            # is explained by the handler).
            candidates = customer.orders_with_status(*request.entities.statuses)
        if request.entities.items:
            with_items = [o for o in candidates if _has_items(o, request.entities.items)]
            candidates = with_items or candidates
            if len(candidates) > 1:
                # "the one with the water bottle and the desk lamp": the order holding the
                # most of the items named, when one does.
                candidates = _best_item_matches(candidates, request.entities.items)
        if len(candidates) == 1:
            return candidates
        if not candidates:
            if statuses and customer.orders:
                res.notes.append(
                    f"None of your orders can be {purpose}: only "
                    f"{' or '.join(statuses)} orders can."
                )
            else:
                res.notes.append("I could not find a matching order on your account.")
            return []
        res.gaps.append(clarify.which_order(candidates, purpose))
        return []

    # -- reads -------------------------------------------------------------------------------

    def _order_read(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        assert request.label is not None
        purpose = "checked" if request.label == "get_order_details" else "looked up"
        for order in self._orders(request, customer, res, purpose=purpose):
            res.steps.append(Step.of("", request.label, {"order_id": order["order_id"]}))

    def _no_argument_read(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        assert request.label is not None
        res.steps.append(Step.of("", request.label, {}))

    def _payment_history(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        ids = request.entities.order_ids
        orders = [o for o in ids if o in customer.orders]
        if not orders and len(customer.orders) == 1:
            orders = list(customer.orders)
        if not orders:
            res.steps.append(Step.of("", "get_payment_history", {}))
        for order_id in orders:
            res.steps.append(Step.of("", "get_payment_history", {"order_id": order_id}))

    def _gift_card_balance(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        ids = [p.method_id for p in request.entities.payments if p.method_id]
        gift = [i for i in ids if i.startswith("gift_card")]
        res.steps.append(
            Step.of("", "get_gift_card_balance", {"payment_method_id": gift[0]} if gift else {})
        )

    def _find_item(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        by_name = {p["name"]: pid for pid, p in customer.products.items()}
        by_name |= self.understander.product_ids
        names = [m.name for m in request.entities.items if m.name in by_name]
        ids = request.entities.product_ids
        if not names and not ids:
            res.gaps.append("Which product are you looking for?")
            return
        order = None
        if request.entities.order_ids and request.entities.order_ids[0] in customer.orders:
            order = customer.orders[request.entities.order_ids[0]]
        for pid in dict.fromkeys([*(by_name[n] for n in names), *ids]):
            res.steps.append(_find_item(pid, request.text, order))

    def _product(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        by_name = {p["name"]: pid for pid, p in customer.products.items()}
        by_name |= self.understander.product_ids
        ids = [by_name[m.name] for m in request.entities.items if m.name in by_name]
        ids += list(request.entities.product_ids)
        if not ids:
            res.gaps.append("Which product would you like to know about?")
            return
        for pid in dict.fromkeys(ids):
            res.steps.append(Step.of("", "get_product_details", {"product_id": pid}))

    def _remedy(self, request: Request, customer: CustomerData | None, res: Resolution) -> None:
        """An item that is not right, no remedy named: ask which one the order's status allows."""
        if RETURN in self.catalog.skills:
            res.targets.append(self.catalog.skills[RETURN].agent)
        if customer is None:
            res.gaps.append(clarify.who_are_you())
            return
        orders = self._orders(
            request,
            customer,
            res,
            statuses=("delivered", "pending"),
            purpose="returned or changed",
            single=True,
        )
        if not orders:
            return
        order = orders[0]
        names = [m.name for m in request.entities.items]
        if order["status"] in ("delivered", "pending"):
            res.gaps.append(clarify.remedy(order, names))
        else:
            res.steps.append(self._bind(Step.of("", *_order_read(order))))

    # -- writes ------------------------------------------------------------------------------

    def _one_order(
        self,
        request: Request,
        customer: CustomerData,
        res: Resolution,
        statuses: tuple[str, ...],
        purpose: str,
        refusal: str,
        *,
        read: Callable[[Mapping[str, Any]], tuple[str, Mapping[str, Any]]] | None = None,
    ) -> Mapping[str, Any] | None:
        """The one order a write acts on, when its status allows the write. None when not: a
        question, or the ``refusal`` ({order_id}, {status}) with a read of the order, is on
        ``res``."""
        orders = self._orders(
            request, customer, res, statuses=statuses, purpose=purpose, single=True
        )
        if not orders:
            return None
        order = orders[0]
        if order["status"] not in statuses:
            reason = refusal.format(order_id=order["order_id"], status=order["status"])
            _out_of_policy(res, reason, (read or _order_read)(order))
            return None
        return order

    def _cancel(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        orders = self._orders(request, customer, res, statuses=("pending",), purpose="cancelled")
        if not orders:
            return
        reason = request.entities.reason
        for order in orders:
            if order["status"] == "cancelled":
                res.notes.append(f"{order['order_id']} is already cancelled.")
                res.steps.append(Step.of("", "get_order_details", {"order_id": order["order_id"]}))
                continue
            if order["status"] != "pending":
                _out_of_policy(
                    res,
                    f"{order['order_id']} is {order['status']}, so it can't be cancelled",
                    _order_read(order),
                )
                continue
            if reason is None:
                res.gaps.append(clarify.cancel_reason(order["order_id"]))
                continue
            res.steps.append(
                Step.of("", CANCEL, {"order_id": order["order_id"], "reason": reason}, kind="write")
            )

    def _item_change(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        order = self._one_order(
            request,
            customer,
            res,
            ("pending", "delivered"),
            "changed",
            "{order_id} is {status}, so its items can't be changed",
        )
        if order is None:
            return
        status = order["status"]
        skill = MODIFY if status == "pending" else EXCHANGE
        mentions = request.entities.items
        if not mentions:
            res.gaps.append(clarify.which_items(order, "change"))
            return
        foreign = [m for m in mentions if not any(_matches(i, m) for i in order["items"])]
        if foreign and len(foreign) < len(mentions):
            _out_of_policy(
                res,
                f"an item can only be changed to another option of the same product, not to a "
                f"{foreign[0].name}",
                _order_read(order),
            )
            return
        picked = _pick_items(order, mentions, res, request.answers)
        if picked is None:
            return
        new_ids: list[str] = []
        for item, mention in zip(picked, mentions, strict=True):
            gaps = len(res.gaps)
            new = _new_variant(item, mention, customer, res)
            if new is None:
                if len(res.gaps) == gaps and "find_item" in self.catalog.skills:
                    # Sold out: the orders agent lists what is available instead.
                    res.steps.append(_find_item(item["product_id"], request.text, order))
                return
            new_ids.append(new)
        payment = self._payment(request, customer, res, order, purpose="the price difference")
        if payment is None:
            return
        res.steps.append(
            Step.of(
                "",
                skill,
                {
                    "order_id": order["order_id"],
                    "item_ids": [i["item_id"] for i in picked],
                    "new_item_ids": new_ids,
                    "payment_method_id": payment,
                },
                kind="write",
            )
        )

    def _return(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        order = self._one_order(
            request,
            customer,
            res,
            ("delivered",),
            "returned",
            "{order_id} is {status}, so it can't be returned yet",
        )
        if order is None:
            return
        mentions = request.entities.items
        if not mentions and len(order["items"]) > 1:
            res.gaps.append(clarify.which_items(order, "return"))
            return
        picked = (
            _pick_items(order, mentions, res, request.answers) if mentions else list(order["items"])
        )
        if picked is None:
            return
        payment = self._payment(request, customer, res, order, purpose="the refund", refund=True)
        if payment is None:
            return
        res.steps.append(
            Step.of(
                "",
                RETURN,
                {
                    "order_id": order["order_id"],
                    "item_ids": [i["item_id"] for i in picked],
                    "payment_method_id": payment,
                },
                kind="write",
            )
        )

    def _order_address(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        if not request.entities.order_ids and not customer.orders_with_status("pending"):
            self._user_address(request, customer, res)
            return
        order = self._one_order(
            request,
            customer,
            res,
            ("pending",),
            "re-addressed",
            "{order_id} has already left, so its address is fixed",
        )
        if order is None:
            return
        address = request.entities.address
        if address is None:
            res.gaps.append(clarify.new_address(order["order_id"]))
            return
        res.steps.append(
            Step.of(
                "",
                ORDER_ADDRESS,
                {"order_id": order["order_id"], **{k: address[k] for k in ADDRESS_FIELDS}},
                kind="write",
            )
        )

    def _user_address(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        if request.entities.order_ids:
            self._order_address(request, customer, res)
            return
        address = request.entities.address
        if address is None:
            res.gaps.append(clarify.new_address(None))
            return
        res.steps.append(
            Step.of(
                "",
                USER_ADDRESS,
                {"user_id": customer.user_id, **{k: address[k] for k in ADDRESS_FIELDS}},
                kind="write",
            )
        )

    def _payment_change(self, request: Request, customer: CustomerData, res: Resolution) -> None:
        order = self._one_order(
            request,
            customer,
            res,
            ("pending",),
            "re-paid",
            "{order_id} is {status}; its payment is final",
            read=_payment_read,
        )
        if order is None:
            return
        refs = request.entities.new_payments
        resolved = [p.method_id for p in refs if p.method_id]
        if not resolved:
            res.gaps.append(clarify.which_payment(customer, None, "the order", refs))
            return
        res.steps.append(
            Step.of(
                "",
                PAYMENT_CHANGE,
                {"order_id": order["order_id"], "payment_method_id": resolved[-1]},
                kind="write",
            )
        )

    def _payment(
        self,
        request: Request,
        customer: CustomerData,
        res: Resolution,
        order: Mapping[str, Any],
        *,
        purpose: str,
        refund: bool = False,
    ) -> str | None:
        refs = request.entities.new_payments
        original = _original_method(order, customer)
        if original and any(p.original for p in refs):
            return original
        resolved = [p.method_id for p in refs if p.method_id]
        if resolved:
            return resolved[-1]
        if refs:
            res.gaps.append(clarify.which_payment(customer, order, purpose, refs))
            return None
        if refund:
            # Where the money goes back is the customer's call (the original method or a gift
            # card); a proposal with one option is settled by a "yes".
            options = clarify.refund_options(customer, original)
            if len(options) == 1 and request.answers and affirms(request.answers[-1]):
                return options[0]
            res.gaps.append(clarify.refund_method(customer, order, options))
            return None
        if original:
            return original
        res.gaps.append(clarify.which_payment(customer, order, purpose, refs))
        return None


def _original_method(order: Mapping[str, Any], customer: CustomerData) -> str | None:
    """The method of the order's first payment, when the customer still has it."""
    history = order.get("payment_history") or []
    original = history[0]["payment_method_id"] if history else None
    return original if original in customer.payment_methods else None


def _keeps_label(asked: Request, answer: Request) -> bool:
    """An answer completes the request that asked for it: the request keeps its intent unless
    the answer, read on its own, states another one outright ("PayPal" answers "which
    method?", it does not ask which methods are on file)."""
    return asked.actionable and asked.score > 0.0 and not answer.cued


def _find_item(product_id: str, text: str, order: Mapping[str, Any] | None) -> Step:
    arguments: dict[str, Any] = {"product": product_id, "description": text[:500]}
    if order is not None and any(i["product_id"] == product_id for i in order["items"]):
        arguments["order_id"] = order["order_id"]
    return Step.of("", "find_item", arguments)


def balances_touched(step: Step, customer: CustomerData | None) -> set[str]:
    """Gift cards whose balance a write charges or refunds: the one it names, and (for a
    cancellation or a payment change, which refund the order's payments) the order's own."""
    methods: set[str] = set()
    named = step.arguments.get("payment_method_id")
    if isinstance(named, str):
        methods.add(named)
    order = customer.orders.get(step.order_id or "") if customer else None
    if order is not None and step.skill in (CANCEL, PAYMENT_CHANGE):
        methods |= {p["payment_method_id"] for p in order.get("payment_history") or []}
    return {m for m in methods if m.startswith("gift_card")}


def res_with_handoff(res: Resolution, request: Request) -> Resolution:
    res.escalation = "the customer asked for a human"
    return res


def _out_of_policy(
    res: Resolution, why: str, read: tuple[str, Mapping[str, Any]] | None = None
) -> None:
    """Explain, escalate, and (``read``) show the customer the record the refusal is about."""
    res.notes.append(f"I can't do that: {why}.")
    res.escalation = f"out of policy: {why}"
    if read is not None:
        res.steps.append(Step.of("", read[0], dict(read[1])))


def _order_read(order: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    return ("get_order_details", {"order_id": order["order_id"]})


def _payment_read(order: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    return ("get_payment_history", {"order_id": order["order_id"]})


def _matches(item: Mapping[str, Any], mention: ItemMention) -> bool:
    if item["name"] != mention.name:
        return False
    options = {k: str(v) for k, v in item.get("options", {}).items()}
    if any(options.get(k) != v for k, v in mention.options.items()):
        return False
    values = {v.lower() for v in options.values()}
    return all(v in values for v in mention.values)


def _has_items(order: Mapping[str, Any], mentions: Sequence[ItemMention]) -> bool:
    return any(_matches(i, m) for m in mentions for i in order["items"])


def _best_item_matches(
    orders: Sequence[Mapping[str, Any]], mentions: Sequence[ItemMention]
) -> list[Mapping[str, Any]]:
    def named(order: Mapping[str, Any]) -> int:
        return sum(any(_matches(i, m) for i in order["items"]) for m in mentions)

    best = max(named(o) for o in orders)
    return [o for o in orders if named(o) == best]


def _pick_items(
    order: Mapping[str, Any],
    mentions: Sequence[ItemMention],
    res: Resolution,
    answers: Sequence[str] = (),
) -> list[Mapping[str, Any]] | None:
    used: set[int] = set()
    picked: list[Mapping[str, Any]] = []
    for mention in mentions:
        matches = [
            (i, item)
            for i, item in enumerate(order["items"])
            if i not in used and _matches(item, mention)
        ]
        if not matches:
            res.gaps.append(clarify.no_such_item(order, mention))
            return None
        if len({item["item_id"] for _, item in matches}) > 1 and answers:
            matches = _named_in_answer(matches, answers[-1])
        distinct = {item["item_id"] for _, item in matches}
        if len(distinct) > 1:
            res.gaps.append(clarify.which_item(order, mention, [item for _, item in matches]))
            return None
        index, item = matches[0]
        used.add(index)
        picked.append(item)
    return picked


def _named_in_answer(
    matches: Sequence[tuple[int, Mapping[str, Any]]], answer: str
) -> list[tuple[int, Mapping[str, Any]]]:
    """ "the medium one with the rotisserie" answers "which grill?": the items with the most
    of their distinguishing option values named in the answer (all of them when none is)."""
    folded = fold(answer)
    shared = set.intersection(*({fold(str(v)) for v in i["options"].values()} for _, i in matches))

    def named(item: Mapping[str, Any]) -> int:
        values = {fold(str(v)) for v in item["options"].values()} - shared
        return sum(bool(re.search(rf"(?<![\w.]){re.escape(v)}(?![\w.])", folded)) for v in values)

    best = max(named(item) for _, item in matches)
    return [(i, item) for i, item in matches if named(item) == best] if best else list(matches)


def _new_variant(
    item: Mapping[str, Any], mention: ItemMention, customer: CustomerData, res: Resolution
) -> str | None:
    product = customer.products.get(item["product_id"])
    if product is None:
        res.notes.append(f"I could not look up the options of the {item['name']}.")
        return None
    wanted = {k: str(v) for k, v in item["options"].items()}
    if mention.target is not None:
        wanted.update(mention.target)
    elif mention.target_values:
        for value in mention.target_values:
            keys = [
                k
                for k in wanted
                if any(
                    str(v["options"].get(k, "")).lower() == value
                    for v in product["variants"].values()
                )
            ]
            if not keys:
                continue
            changed = [k for k in keys if wanted[k].lower() != value]
            key = (changed or keys)[0]
            wanted[key] = next(
                str(v["options"][key])
                for v in product["variants"].values()
                if str(v["options"].get(key, "")).lower() == value
            )
    else:
        res.gaps.append(clarify.which_target(item, product))
        return None
    if mention.target is None and wanted == {k: str(v) for k, v in item["options"].items()}:
        # Words naming only what the item already is ("to {}" literally keeps it, as asked).
        res.gaps.append(clarify.which_target(item, product))
        return None
    for variant in product["variants"].values():
        if {k: str(v) for k, v in variant["options"].items()} == wanted:
            if not variant.get("available", True) and variant["item_id"] != item["item_id"]:
                res.notes.append(
                    f"The {item['name']} with {clarify.options_text(wanted)} is out of stock."
                )
                return None
            return str(variant["item_id"])
    res.gaps.append(clarify.which_target(item, product, wanted))
    return None


_HANDLERS = {
    **{skill: OfflinePlanner._order_read for skill in ORDER_READS},
    **{skill: OfflinePlanner._no_argument_read for skill in NO_ARGUMENT_READS},
    "get_payment_history": OfflinePlanner._payment_history,
    "get_gift_card_balance": OfflinePlanner._gift_card_balance,
    "get_product_details": OfflinePlanner._product,
    "find_item": OfflinePlanner._find_item,
    CANCEL: OfflinePlanner._cancel,
    MODIFY: OfflinePlanner._item_change,
    EXCHANGE: OfflinePlanner._item_change,
    RETURN: OfflinePlanner._return,
    ORDER_ADDRESS: OfflinePlanner._order_address,
    USER_ADDRESS: OfflinePlanner._user_address,
    PAYMENT_CHANGE: OfflinePlanner._payment_change,
}

__all__ = ["ITEM_CHANGE_SKILLS", "MAX_QUESTIONS", "OfflinePlanner", "Plan", "Step"]
