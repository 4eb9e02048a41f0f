"""Per-ticket budgets: how much delegation, depth, time and LLM use one ticket may cause.

A budget that runs out *trips*: the engine stops what the budget covers, reports the guardrail
on the step outcomes (``StepOutcome.guardrail``), and the triage ends the ticket cleanly with a
reply and a handoff to a human (never silently).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from router.loops import DEFAULT_MAX_BOUNCES, DEFAULT_MAX_IDENTICAL


@dataclass(frozen=True, slots=True)
class Budget:
    """The limits of one ticket: delegations, depth, wall time, attempts, loop guards."""

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
    max_llm_tokens: int = 60_000
    """LLM tokens (prompt + completion) one ticket may use over all its turns."""
    max_identical_calls: int = DEFAULT_MAX_IDENTICAL
    """How often one identical call may be made in a ticket (turns replay their steps)."""
    max_bounces: int = DEFAULT_MAX_BOUNCES
    """Consecutive back-and-forth hops between two agents before it counts as ping-pong."""


GUARDRAILS = ("delegations", "depth", "wall_time", "llm_tokens", "repeat", "ping_pong")
"""The names a tripped budget or loop guard reports (metrics label values)."""


class BudgetMeter:
    """Counts delegations against a Budget (one per ticket turn) and records what tripped."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.delegations = 0
        self.trips: list[str] = []

    def take(self) -> bool:
        if self.delegations >= self.budget.max_delegations:
            self.trip("delegations")
            return False
        self.delegations += 1
        return True

    def trip(self, guardrail: str) -> None:
        if guardrail not in self.trips:
            self.trips.append(guardrail)


@dataclass(slots=True)
class TokenMeter:
    """LLM tokens per ticket over its turns (in memory, bounded to recent tickets)."""

    limit: int
    capacity: int = 4096
    _used: dict[str, int] = field(default_factory=dict)

    def add(self, ticket_id: str, tokens: int) -> bool:
        """Count the tokens of one turn; False once the ticket has used more than its limit."""
        used = self._used.pop(ticket_id, 0) + max(0, tokens)
        self._used[ticket_id] = used
        while len(self._used) > self.capacity:
            self._used.pop(next(iter(self._used)))
        return used <= self.limit

    def used(self, ticket_id: str) -> int:
        return self._used.get(ticket_id, 0)
