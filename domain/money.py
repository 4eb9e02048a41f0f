"""Money effects: what a write refunds and charges, one computation for every place that asks.

The plan policy (before a plan runs, over the customer's data), the capability minter and gate
(the grant's limits) and the store (inside the write's transaction) all call
``MoneyEffect.amounts``; each supplies the three sums from its own view of the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


def cents(amount: float) -> int:
    """An amount in dollars as integer cents."""
    return round(amount * 100)


@dataclass(frozen=True, slots=True)
class Money:
    """What one write refunds and charges, in integer cents."""

    refund_cents: int = 0
    charge_cents: int = 0

    @property
    def moved_cents(self) -> int:
        """The larger of the two: the amount a human approves."""
        return max(self.refund_cents, self.charge_cents)

    @property
    def net_refund_cents(self) -> int:
        """What the order loses: a refund balanced by a charge of the same size nets to 0."""
        return max(0, self.refund_cents - self.charge_cents)


class MoneyEffect(Enum):
    """How a skill moves money (the retail semantics of ``../shared/spec/retail-actions.md``)."""

    NONE = "none"
    """Moves no money (reads, address changes, handoffs)."""
    REFUND_PAYMENTS = "refund_payments"
    """Refunds every payment-history entry of the order (a cancellation)."""
    MOVE_PAYMENT = "move_payment"
    """Charges the paid amount to a new method and refunds it to the old one."""
    REFUND_ITEMS = "refund_items"
    """Refunds the named items' prices (a return)."""
    SETTLE_DIFFERENCE = "settle_difference"
    """Charges Σ(new − old) when positive, else refunds it (item changes and exchanges)."""

    @property
    def moves_money(self) -> bool:
        return self is not MoneyEffect.NONE

    @property
    def prices_items(self) -> bool:
        """Needs the prices of the order's named items (``item_ids``)."""
        return self in (MoneyEffect.REFUND_ITEMS, MoneyEffect.SETTLE_DIFFERENCE)

    @property
    def prices_new_items(self) -> bool:
        """Needs the prices of the replacement variants (``new_item_ids``)."""
        return self is MoneyEffect.SETTLE_DIFFERENCE

    def amounts(
        self, *, paid_cents: int = 0, items_cents: int = 0, new_items_cents: int = 0
    ) -> Money:
        """The write's refund and charge from the order's paid amount, the named items' prices
        and their replacements' prices (each caller passes the sums this effect reads)."""
        if self is MoneyEffect.REFUND_PAYMENTS:
            return Money(paid_cents, 0)
        if self is MoneyEffect.MOVE_PAYMENT:
            return Money(paid_cents, paid_cents)
        if self is MoneyEffect.REFUND_ITEMS:
            return Money(items_cents, 0)
        if self is MoneyEffect.SETTLE_DIFFERENCE:
            difference = new_items_cents - items_cents
            return Money(max(-difference, 0), max(difference, 0))
        return Money()
