"""Plan checks: what a plan may write for its verified customer, decided before any write runs.

``check_plan(plan, account, settings)`` looks at the plan's writes with the customer's data
(orders, payment methods, products) and returns the plan that may run plus the violations:

- **ownership**: every order, payment method and user a write names is the customer's own;
- **status**: each write finds the order in the status it needs, following the plan's earlier
  writes on that order (a cancel needs ``pending``, a return ``delivered``, …);
- **refunds**: the refunds planned on an order never exceed what was paid on it, net of refunds;
- **conflicts**: no two writes on one order that exclude each other (a cancel and any other write,
  a return and an exchange);
- **irreversible writes**: at most ``max_irreversible_writes`` per ticket;
- **approval**: a write moving more than ``approval_amount`` is held for a human.

A write that breaks the first three is dropped with a note for the reply; conflicting writes, the
irreversible writes past the limit and writes above the amount are *held*: they don't run, and a
handoff step (``domain.HANDOFF``) names them so a colleague can approve and carry them out.
Everything here is pure and linear in the plan's size (no IO).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from domain import HANDOFF, SKILLS, cents
from domain.money import Money
from router.plan import Plan, Step

DEFAULT_MAX_IRREVERSIBLE = 6
"""τ-bench retail train needs up to 6 irreversible writes in one task."""
DEFAULT_APPROVAL_AMOUNT = 10_000.0
"""Above every order total in τ-bench retail (the largest is $9,715.41)."""
CENT = 0.005

Action = Literal["drop", "hold"]


class Account(Protocol):
    """The verified customer's data (``agents.triage.customer.CustomerData`` fits)."""

    @property
    def user_id(self) -> str: ...

    @property
    def orders(self) -> Mapping[str, Mapping[str, Any]]: ...

    @property
    def payment_methods(self) -> Mapping[str, Mapping[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class PolicySettings:
    """The plan policy's limits (irreversible writes per ticket, approval amount)."""

    max_irreversible_writes: int = DEFAULT_MAX_IRREVERSIBLE
    approval_amount: float = DEFAULT_APPROVAL_AMOUNT
    """Writes moving more money than this wait for a human's approval."""


@dataclass(frozen=True, slots=True)
class Violation:
    """A write the policy took out of a plan, the rule it broke and what happens to it."""

    step: Step
    rule: str
    """ownership, status, refund_exceeds_paid, conflict, irreversible_limit, approval."""
    message: str
    """Customer-facing explanation (names the order, never other customers' data)."""
    action: Action
    amount: float = 0.0


@dataclass(frozen=True, slots=True)
class PolicyDecision:
    """The plan that may run and the violations the policy found."""

    plan: Plan
    violations: tuple[Violation, ...] = ()

    @property
    def held(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.action == "hold")

    @property
    def dropped(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.action == "drop")

    def record(self) -> dict[str, Any]:
        """The reply artifact's ``policy`` entry (rules and skills, no customer text)."""
        return {
            "violations": [
                {"rule": v.rule, "skill": v.step.skill, "step": v.step.id, "action": v.action}
                for v in self.violations
            ]
        }


def write_amount(step: Step, account: Account | None) -> float:
    """The money a write moves: the refund of a cancel or return, the price difference of an
    item change, the paid amount a payment change moves; 0 for address changes and handoffs."""
    order = account.orders.get(step.order_id or "") if account is not None else None
    if order is None or account is None:
        return 0.0
    money = _money(step, order, account)
    return money.moved_cents / 100 if money is not None else 0.0


def check_plan(
    plan: Plan,
    account: Account | None,
    settings: PolicySettings | None = None,
    *,
    handoff_agent: str | None = None,
) -> PolicyDecision:
    """The plan that may run, and why anything was taken out of it."""
    settings = settings or PolicySettings()
    writes = [s for s in plan.steps if s.kind == "write" and s.skill != HANDOFF]
    if not writes:
        return PolicyDecision(plan)
    violations: list[Violation] = []
    refused: set[str] = set()

    def refuse(step: Step, rule: str, message: str, action: Action, amount: float = 0.0) -> None:
        violations.append(Violation(step, rule, message, action, amount))
        refused.add(step.id)

    status: dict[str, str] = {}
    refunds: dict[str, float] = {}
    by_order: dict[str, list[Step]] = {}
    for step in writes:
        problem = _ownership(step, account)
        if problem:
            refuse(step, "ownership", problem, "drop")
            continue
        assert account is not None
        order_id = step.order_id
        if order_id is None:
            continue
        order = account.orders[order_id]
        current = status.get(order_id, str(order.get("status", "")))
        needed = SKILLS.required_status(step.skill)
        if needed is not None and current != needed:
            refuse(
                step,
                "status",
                f"{order_id} is {current}, and only {needed} orders can have that done",
                "drop",
            )
            continue
        refund = _refund(step, order, account)
        if refund is None:
            refuse(step, "unknown_item", f"an item named for {order_id} is not in it", "drop")
            continue
        if refunds.get(order_id, 0.0) + refund > _net_paid(order) + CENT:
            refuse(
                step,
                "refund_exceeds_paid",
                f"the refunds on {order_id} would exceed what was paid for it",
                "drop",
            )
            continue
        refunds[order_id] = refunds.get(order_id, 0.0) + refund
        status[order_id] = SKILLS.status_after(step.skill, current)
        by_order.setdefault(order_id, []).append(step)

    for order_id, steps in by_order.items():
        if _conflicting(steps):
            for s in steps:
                refuse(
                    s,
                    "conflict",
                    f"the changes asked for {order_id} exclude each other",
                    "hold",
                    write_amount(s, account),
                )

    irreversible = 0
    for step in writes:
        if step.id in refused:
            continue
        amount = write_amount(step, account)
        if amount > settings.approval_amount + CENT:
            refuse(
                step,
                "approval",
                f"{_describe(step)} moves ${amount:,.2f}, above the "
                f"${settings.approval_amount:,.2f} I may handle without a colleague's approval",
                "hold",
                amount,
            )
            continue
        skill = SKILLS.get(step.skill)
        if skill is not None and not skill.reversible:
            irreversible += 1
            if irreversible > settings.max_irreversible_writes:
                refuse(
                    step,
                    "irreversible_limit",
                    f"a ticket may make at most {settings.max_irreversible_writes} changes that "
                    "can't be undone",
                    "hold",
                    amount,
                )
    if not violations:
        return PolicyDecision(plan)
    return PolicyDecision(_rewrite(plan, violations, refused, handoff_agent), tuple(violations))


# -- the rewritten plan ------------------------------------------------------------------------


def _rewrite(
    plan: Plan, violations: Sequence[Violation], refused: set[str], handoff_agent: str | None
) -> Plan:
    kept = [
        dataclasses.replace(s, depends_on=tuple(d for d in s.depends_on if d not in refused))
        for s in plan.steps
        if s.id not in refused
    ]
    notes = [f"I have not done this: {v.message}." for v in violations if v.action == "drop"]
    held = [v for v in violations if v.action == "hold"]
    if held:
        summary = "Held for approval before running: " + "; ".join(
            f"{_describe(v.step)} ({v.rule}{f', ${v.amount:,.2f}' if v.amount else ''})"
            for v in held
        )
        reason = "policy: " + ", ".join(dict.fromkeys(v.rule for v in held))
        if handoff_agent is not None:
            kept = _with_handoff(kept, handoff_agent, summary, reason)
            notes.extend(
                f"A colleague has to approve this first, so I have passed it on: {v.message}."
                for v in held
            )
        else:
            notes.extend(f"I can't do this alone: {v.message}." for v in held)
    return dataclasses.replace(
        plan, steps=tuple(kept), notes=tuple(dict.fromkeys((*plan.notes, *notes)))
    )


def _with_handoff(steps: list[Step], agent: str, summary: str, reason: str) -> list[Step]:
    existing = next((s for s in steps if s.skill == HANDOFF), None)
    if existing is None:
        handoff = Step.of(
            agent, HANDOFF, {"summary": summary, "reason": reason, "priority": "high"}, kind="write"
        )
        return [*steps, handoff]
    arguments = dict(existing.arguments)
    arguments["summary"] = f"{arguments.get('summary', '')} | {summary}".strip(" |")[:4000]
    arguments["reason"] = f"{arguments.get('reason', '')}; {reason}".strip("; ")[:500]
    merged = Step.of(existing.agent, HANDOFF, arguments, kind="write")
    merged = dataclasses.replace(merged, depends_on=existing.depends_on)
    return [merged if s.id == existing.id else _redirect(s, existing.id, merged.id) for s in steps]


def _redirect(step: Step, old: str, new: str) -> Step:
    if old not in step.depends_on:
        return step
    depends_on = tuple(new if d == old else d for d in step.depends_on)
    return dataclasses.replace(step, depends_on=depends_on)


# -- the customer's data ------------------------------------------------------------------------


def _ownership(step: Step, account: Account | None) -> str | None:
    if account is None:
        return "I can only change an account for its verified owner"
    order_id = step.order_id
    if order_id is not None and order_id not in account.orders:
        return f"{order_id} is not one of your orders"
    if "order_id" in step.arguments and order_id is None:
        return "the order named is not one of yours"
    method = step.arguments.get("payment_method_id")
    if method is not None and method not in account.payment_methods:
        return "that payment method is not one of yours"
    user = step.arguments.get("user_id")
    if user is not None and user != account.user_id:
        return "I can only change your own account"
    return None


def _products(account: Account) -> Mapping[str, Mapping[str, Any]]:
    products = getattr(account, "products", None)
    return products if isinstance(products, Mapping) else {}


def _net_paid(order: Mapping[str, Any]) -> float:
    total = 0.0
    for entry in order.get("payment_history") or []:
        amount = float(entry.get("amount", 0.0))
        total += amount if entry.get("transaction_type") == "payment" else -amount
    return round(total, 2)


def _items_price(order: Mapping[str, Any], item_ids: Sequence[Any]) -> float | None:
    """Σ prices of the named items (each listing uses up one occurrence); None if one is missing."""
    pool = [(str(i.get("item_id")), float(i.get("price", 0.0))) for i in order.get("items") or []]
    total = 0.0
    for wanted in item_ids:
        index = next((n for n, (item_id, _) in enumerate(pool) if item_id == str(wanted)), None)
        if index is None:
            return None
        total += pool.pop(index)[1]
    return round(total, 2)


def _variant_prices(products: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    return {
        str(item_id): float(v.get("price", 0.0))
        for p in products.values()
        for item_id, v in (p.get("variants") or {}).items()
    }


def _money(step: Step, order: Mapping[str, Any], account: Account) -> Money | None:
    """The registry's money effect of the write over the customer's data (net paid); None when
    it names an item the order does not have, nothing when a new variant's price is unknown."""
    effect = SKILLS.money(step.skill)
    if not effect.moves_money:
        return Money()
    items = 0.0
    if effect.prices_items:
        found = _items_price(order, step.arguments.get("item_ids") or [])
        if found is None:
            return None
        items = found
    new_items = 0.0
    if effect.prices_new_items:
        prices = _variant_prices(_products(account))
        new_ids = [str(n) for n in step.arguments.get("new_item_ids") or []]
        if any(n not in prices for n in new_ids):
            return Money()
        new_items = round(sum(prices[n] for n in new_ids), 2)
    return effect.amounts(
        paid_cents=cents(_net_paid(order)),
        items_cents=cents(items),
        new_items_cents=cents(new_items),
    )


def _refund(step: Step, order: Mapping[str, Any], account: Account) -> float | None:
    """Money this write refunds on the order, net of what it charges (0 for writes that refund
    nothing); None when the write names an item the order does not have."""
    money = _money(step, order, account)
    return money.net_refund_cents / 100 if money is not None else None


def _conflicting(steps: Sequence[Step]) -> bool:
    """Writes on one order that exclude each other (a cancel excludes every other write)."""
    for step in steps:
        skill = SKILLS.get(step.skill)
        if skill is None:
            continue
        if skill.excludes_all and len(steps) > 1:
            return True
        if any(skill.conflicts_with(other.skill) for other in steps):
            return True
    return False


def _describe(step: Step) -> str:
    return f"{step.skill} on {step.order_id}" if step.order_id else step.skill
