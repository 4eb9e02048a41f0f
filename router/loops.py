"""Loop detection per ticket: repeated identical calls and ping-pong between agents.

Every delegation of a ticket is a hop ``caller → agent: skill(arguments)``. ``LoopGuard.observe``
records it and says whether it trips a guardrail:

- **repeat**: the same call (agent, skill, arguments) more than ``max_identical`` times in one
  ticket. A ticket's later turns legitimately replay the same steps (a clarification re-plans the
  ticket, the idempotency key makes a write a replay), so the limit sits above the number of turns
  a ticket may take;
- **ping-pong**: the chain of hops bouncing between two agents (A → B, B → A, A → B, …) more than
  ``max_bounces`` times in a row, whatever the calls: agents handing work back and forth.

The guard is in memory, per ticket; the engine keeps the guards of recent tickets (LRU).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MAX_IDENTICAL = 4
DEFAULT_MAX_BOUNCES = 3


@dataclass(frozen=True, slots=True)
class Hop:
    """One delegation as the loop guards see it (from, to, call)."""

    caller: str
    agent: str
    skill: str
    arguments: Mapping[str, Any] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        payload = json.dumps(self.arguments, sort_keys=True, separators=(",", ":"), default=str)
        digest = hashlib.sha256(payload.encode()).hexdigest()[:16]
        return f"{self.agent}.{self.skill}.{digest}"


@dataclass(frozen=True, slots=True)
class LoopTrip:
    """A loop guard that stopped a ticket, and why."""

    guardrail: str
    """``repeat`` or ``ping_pong``."""
    message: str


class LoopGuard:
    """One ticket's loop guards: identical calls and ping-pong between agents."""

    def __init__(
        self, max_identical: int = DEFAULT_MAX_IDENTICAL, max_bounces: int = DEFAULT_MAX_BOUNCES
    ) -> None:
        self.max_identical = max_identical
        self.max_bounces = max_bounces
        self._seen: Counter[str] = Counter()
        self._last_edge: tuple[str, str] | None = None
        self._bounces = 0

    def observe(self, hop: Hop) -> LoopTrip | None:
        """Record a hop about to be made; a LoopTrip if it must not be made."""
        signature = hop.signature
        if self._seen[signature] >= self.max_identical:
            return LoopTrip(
                "repeat",
                f"the same {hop.skill} call was made {self._seen[signature]} times already",
            )
        edge = (hop.caller, hop.agent)
        if self._last_edge is not None and edge == self._last_edge[::-1] and edge[0] != edge[1]:
            self._bounces += 1
        elif edge != self._last_edge:
            self._bounces = 0
        if self._bounces > self.max_bounces:
            return LoopTrip(
                "ping_pong", f"{hop.caller} and {hop.agent} kept handing the ticket back and forth"
            )
        self._last_edge = edge
        self._seen[signature] += 1
        return None


class LoopGuards:
    """The guards of the most recent tickets (bounded memory)."""

    def __init__(
        self,
        capacity: int = 4096,
        *,
        max_identical: int = DEFAULT_MAX_IDENTICAL,
        max_bounces: int = DEFAULT_MAX_BOUNCES,
    ) -> None:
        self._capacity = capacity
        self._max_identical = max_identical
        self._max_bounces = max_bounces
        self._guards: OrderedDict[str, LoopGuard] = OrderedDict()

    def for_ticket(self, ticket_id: str) -> LoopGuard:
        guard = self._guards.pop(ticket_id, None)
        if guard is None:
            guard = LoopGuard(self._max_identical, self._max_bounces)
        self._guards[ticket_id] = guard
        while len(self._guards) > self._capacity:
            self._guards.popitem(last=False)
        return guard
