"""Per-ticket budgets: how much delegation one ticket may cause."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Budget:
    max_delegations: int = 24
    """Delegations per ticket turn, retries included."""
    max_depth: int = 3
    """How deep a chain of delegations may go (triage → specialist is depth 1)."""
    wall_time_s: float = 120.0
    """Time for running the whole plan of one turn."""
    step_timeout_s: float = 30.0
    """Time for one delegation attempt."""
    attempts: int = 2
    """Attempts per step after a timeout; a retry reuses the step's idempotency key."""


class BudgetMeter:
    """Counts delegations against a Budget (one per ticket turn)."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.delegations = 0

    def take(self) -> bool:
        if self.delegations >= self.budget.max_delegations:
            return False
        self.delegations += 1
        return True
