"""CapabilityMinter: the ticket capability triage mints for a plan before running it.

The grant is the plan's own scope: its steps (id and argument digest of each call, so the token
drives only these calls), the verified customer, the skills of the plan's steps, the
orders and payment methods their arguments name, and money limits per write equal to the
largest refund and the largest charge one of the plan's writes can move (computed over the
customer's data with the same ``write_scope`` the specialists use). No verified customer, or no
key configured: no capability, so specialists refuse every write but an anonymous handoff.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agents.runtime.settings import AgentSettings
from agents.runtime.write_scope import price_in, write_scope
from agents.triage.customer import CustomerData
from protocol.capabilities import CapabilityKeys, Grant, argument_digest, mint
from router.plan import Plan


class CapabilityMinter:
    """Mints the ticket capability that covers exactly a plan's writes."""

    def __init__(self, keys: CapabilityKeys, ttl_s: float = 300.0) -> None:
        self._keys = keys
        self._ttl = timedelta(seconds=ttl_s)

    @classmethod
    def from_settings(cls, settings: AgentSettings) -> CapabilityMinter | None:
        keys = settings.capability_keys()
        if keys is None or keys.private is None:
            return None
        return cls(keys, settings.capability_ttl_s)

    def grant(self, plan: Plan, ticket_id: str, customer: CustomerData) -> Grant:
        orders: set[str] = set()
        methods: set[str] = set()
        max_refund = max_charge = 0
        price = price_in(customer.products)
        for step in plan.steps:
            order = customer.orders.get(step.order_id or "")
            scope = write_scope(step.skill, step.arguments, order, price)
            orders.update(scope.orders)
            methods.update(scope.payment_methods)
            max_refund = max(max_refund, scope.refund_cents)
            max_charge = max(max_charge, scope.charge_cents)
        return Grant(
            ticket_id=ticket_id,
            customer_id=customer.user_id,
            skills=frozenset(step.skill for step in plan.steps),
            orders=frozenset(orders),
            payment_methods=frozenset(methods),
            max_refund_cents=max_refund,
            max_charge_cents=max_charge,
            expires_at=datetime.now(UTC) + self._ttl,
            steps=frozenset(
                (step.id, argument_digest(step.skill, step.arguments)) for step in plan.steps
            ),
        )

    def mint(self, plan: Plan, ticket_id: str, customer: CustomerData | None) -> str | None:
        if customer is None or not plan.steps:
            return None
        return mint(self.grant(plan, ticket_id, customer), self._keys)
