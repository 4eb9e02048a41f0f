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
from dataclasses import replace
from typing import Any

from agents.triage import clarify, joining, resolve_reads, resolve_writes
from agents.triage.customer import CustomerData
from agents.triage.nlu.examples import TOPIC_AGENTS
from agents.triage.nlu.text import features
from agents.triage.resolution import Resolution, out_of_policy
from agents.triage.resolve_problems import is_problem_report, resolve_problem
from agents.triage.resolve_writes import CANCEL, EXCHANGE, MODIFY, PAYMENT_CHANGE, RETURN
from agents.triage.screening import customer_request
from agents.triage.understanding import REMEDY, Request, Understander, Understanding
from domain import HANDOFF
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
ORDER_READS = ("get_order_details", "get_receipt", "get_refund_status")
NO_ARGUMENT_READS = ("list_orders", "get_payment_methods", "get_handoff_status")
ORDER_ADDRESS = resolve_writes.ORDER_ADDRESS
USER_ADDRESS = resolve_writes.USER_ADDRESS
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

THANKED = re.compile(
    r"\b(?:thanks?|thank you|thx|ty|cheers|appreciated?|grateful|merci|gracias|danke|grazie|"
    r"obrigad[oa]|bedankt)\b",
    re.IGNORECASE,
)
"""Thanks said in words: a sentence only near thanks ("I've been trying for days.") gets none."""
THANKS_NOTE = "You're welcome! If anything else comes up, just write to us."


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
                # A reason given in any turn stays given (turns are read as one text, where a
                # reason can lose its clause boundary).
                reason = on_its_own.entities.reason or requests[i].entities.reason
                if reason and not merged.entities.reason:
                    merged = replace(merged, entities=replace(merged.entities, given_reason=reason))
                requests[i] = replace(merged, answers=(*requests[i].answers, answer))
        return self._assemble(turns, understanding, requests, customer)

    def _assemble(
        self,
        turns: Sequence[str],
        understanding: Understanding,
        requests: Sequence[Request],
        customer: CustomerData | None,
    ) -> Plan:
        resolved = [(r, self._resolve(r, customer)) for r in requests]
        if customer is not None and any(
            r.actionable and not joining.guessed_from_little(r) for r in requests
        ):
            # "Hi, couple of things. …", "Don't make me ask twice.": a read guessed from a few
            # words is left out beside what the ticket asks for.
            resolved = [(r, res) for r, res in resolved if not joining.guessed_from_little(r)]
        written = {
            s.arguments.get("order_id")
            for _, res in resolved
            for s in res.steps
            if s.kind == "write"
        }
        if any(res.steps for _, res in resolved):
            # "I have too many tea kettles coming. Cancel the one with the keyboard.", "Got my
            # puzzle last week. I want to return …": a status read guessed from a statement
            # neither makes a ticket that acts ask, nor reads an order the ticket writes.
            resolved = [
                (r, res)
                for r, res in resolved
                if not (joining.status_from_a_statement(r) or joining.order_told_about(r))
                or (res.steps and not {s.arguments.get("order_id") for s in res.steps} <= written)
                or (not res.steps and not res.gaps)
            ]
        resolutions = [res for _, res in resolved]
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
        if steps or gaps or any(n != OUT_OF_SCOPE_NOTE for n in notes):
            # "I moved! My new address is …": a sentence with no request of ours beside one
            # that has is not refused; the note is for tickets that ask nothing we do.
            notes = [n for n in notes if n != OUT_OF_SCOPE_NOTE]
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
        for s in _one_item_change_per_order(steps):
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
        write = label is not None and label != HANDOFF and self.catalog.is_write(label)
        if customer is not None and is_problem_report(request, write):
            resolve_problem(request, customer, res)
            return self._bound(res)
        if label is None or label.startswith("none:"):
            if label == "none:thanks":
                if THANKED.search(request.text):
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
            resolve_reads.remedy(self, request, customer, res)
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
        claim = (label != CANCEL and OUT_OF_POLICY.search(request.text)) or (
            label in CLAIM_READS and DAMAGE_CLAIM.search(request.text)
        )
        if claim and (self.catalog.is_write(label) or label in CLAIM_READS or label == "find_item"):
            out_of_policy(res, "a price match, discount or compensation needs a colleague")
            if self.catalog.is_write(label) or label == "find_item":
                return res
        handler = _HANDLERS.get(label)
        if handler is not None:
            handler(self, request, customer, res)
        else:
            self._generic(label, request, customer, res)
        return self._bound(res)

    def _bound(self, res: Resolution) -> Resolution:
        """Route each step to whichever agent owns the (possibly re-mapped) skill."""
        res.steps = [self.bind(s) for s in res.steps]
        res.steps = [s for s in res.steps if s.agent]
        for s in res.steps:
            if s.agent not in res.targets:
                res.targets.append(s.agent)
        return res

    def bind(self, step: Step) -> Step:
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


def _one_item_change_per_order(steps: Sequence[Step]) -> list[Step]:
    """Item changes of one order said in separate sentences become one call (an order's items
    change in one go: "two exchanges on #W…: the earbuds … And the speaker …")."""
    merged: dict[tuple[str, str], int] = {}
    out: list[Step] = []
    for step in steps:
        if step.skill == RETURN:
            _merge_return(out, step)
            continue
        key = (step.skill, str(step.arguments.get("order_id")))
        if step.skill not in ITEM_CHANGE_SKILLS or key not in merged:
            if step.skill in ITEM_CHANGE_SKILLS:
                merged[key] = len(out)
            out.append(step)
            continue
        first = out[merged[key]]
        old, new = list(first.arguments["item_ids"]), list(first.arguments["new_item_ids"])
        for item, replacement in zip(
            step.arguments["item_ids"], step.arguments["new_item_ids"], strict=True
        ):
            if item not in old:
                old.append(item)
                new.append(replacement)
        arguments = {**first.arguments, "item_ids": old, "new_item_ids": new}
        out[merged[key]] = Step.of(first.agent, first.skill, arguments, kind=first.kind)
    return out


def _merge_return(out: list[Step], step: Step) -> None:
    """ "Return the black backpack, and also the wooden bookshelf from that same order.": one
    return per order and refund method (after the first, the order is no longer delivered)."""
    for n, earlier in enumerate(out):
        same = all(
            earlier.arguments.get(k) == step.arguments.get(k)
            for k in ("order_id", "payment_method_id")
        )
        if earlier.skill == RETURN and same:
            items = list(earlier.arguments["item_ids"])
            items += [i for i in step.arguments["item_ids"] if i not in items]
            arguments = {**earlier.arguments, "item_ids": items}
            out[n] = Step.of(earlier.agent, earlier.skill, arguments, kind=earlier.kind)
            return
    out.append(step)


def _keeps_label(asked: Request, answer: Request) -> bool:
    """An answer completes the request that asked for it: the request keeps its intent unless
    the answer, read on its own, states another one outright ("PayPal" answers "which
    method?", it does not ask which methods are on file)."""
    return asked.actionable and asked.score > 0.0 and not answer.cued


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


Handler = Callable[[OfflinePlanner, Request, CustomerData, Resolution], None]
_HANDLERS: Mapping[str, Handler] = {
    **{skill: resolve_reads.order_read for skill in ORDER_READS},
    **{skill: resolve_reads.no_argument_read for skill in NO_ARGUMENT_READS},
    "get_payment_history": resolve_reads.payment_history,
    "get_gift_card_balance": resolve_reads.gift_card_balance,
    "get_product_details": resolve_reads.product,
    "find_item": resolve_reads.find_item,
    CANCEL: resolve_writes.cancel,
    MODIFY: resolve_writes.item_change,
    EXCHANGE: resolve_writes.item_change,
    RETURN: resolve_writes.return_items,
    ORDER_ADDRESS: resolve_writes.order_address,
    USER_ADDRESS: resolve_writes.user_address,
    PAYMENT_CHANGE: resolve_writes.payment_change,
}
"""The resolver of each skill; a skill without one gets its order id, if named, and runs."""

__all__ = ["ITEM_CHANGE_SKILLS", "MAX_QUESTIONS", "OfflinePlanner", "Plan", "Step"]
