"""Plan: a validated DAG of skill calls on the mesh's specialists, shared by both planners.

A step names an agent, one of its skills and the arguments; ``depends_on`` lists steps that must
have finished first (writes on the same order are chained in the customer's order; the engine
still runs a dependent step when an earlier one was refused, as the specialist re-checks its
preconditions). Step ids are derived from the call itself, so re-planning the same request on a
later turn yields the same id and therefore the same idempotency key: a write can't be
repeated by asking twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from a2a.types import AgentCard

from domain import SKILLS, SkillRegistry
from protocol.errors import DeskmeshError

SkillKind = Literal["read", "write"]
ITEM_CHANGE_SKILLS = frozenset(s.id for s in SKILLS.writes() if s.item_change)
"""Writes that change an order's items: at most one of them per order."""


class PlanError(DeskmeshError):
    """A plan that must not run (cycle, unknown skill, unordered writes, …).

    ``code`` names the rule that failed without quoting the plan (safe to log).
    """

    def __init__(self, message: str, code: str = "invalid_plan") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class SkillInfo:
    """What the planner knows about one skill (from the live cards or the registry)."""

    agent: str
    skill: str
    kind: SkillKind
    name: str = ""
    description: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every routable skill of the live mesh, by skill id."""

    skills: Mapping[str, SkillInfo]

    @classmethod
    def from_cards(cls, cards: Iterable[AgentCard]) -> Catalog:
        skills: dict[str, SkillInfo] = {}
        for card in cards:
            for s in card.skills:
                known = SKILLS.get(s.id)  # a registered skill's kind is the registry's
                kind: SkillKind = known.kind if known else "write" if "write" in s.tags else "read"
                skills.setdefault(
                    s.id,
                    SkillInfo(card.name, s.id, kind, s.name, s.description, tuple(s.examples)),
                )
        return cls(skills)

    @classmethod
    def from_registry(cls, registry: SkillRegistry = SKILLS) -> Catalog:
        """Every registered skill on its owning agent (the mesh as defined, not as live)."""
        return cls(
            {
                s.id: SkillInfo(s.agent, s.id, s.kind, s.name, s.description, s.examples)
                for s in registry
            }
        )

    def agent_of(self, skill: str) -> str | None:
        info = self.skills.get(skill)
        return info.agent if info else None

    def is_write(self, skill: str) -> bool:
        info = self.skills.get(skill)
        return info is not None and info.kind == "write"


def step_id(skill: str, arguments: Mapping[str, Any]) -> str:
    """Stable id of a call: the same skill with the same arguments has the same id."""
    payload = json.dumps(arguments, sort_keys=True, separators=(",", ":"), default=str)
    return f"{skill}.{hashlib.sha256(payload.encode()).hexdigest()[:12]}"


@dataclass(frozen=True, slots=True)
class Step:
    """One skill call of a plan on one agent, with the steps it waits for."""

    id: str
    agent: str
    skill: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()
    kind: SkillKind = "read"

    @classmethod
    def of(
        cls,
        agent: str,
        skill: str,
        arguments: Mapping[str, Any] | None = None,
        *,
        kind: SkillKind = "read",
        depends_on: Sequence[str] = (),
    ) -> Step:
        args = dict(arguments or {})
        return cls(step_id(skill, args), agent, skill, args, tuple(depends_on), kind)

    @property
    def order_id(self) -> str | None:
        value = self.arguments.get("order_id")
        return value if isinstance(value, str) else None

    def idempotency_key(self, ticket_id: str) -> str:
        """The key the specialist's store sees (``TicketEnvelope.idempotency_key``)."""
        return f"{ticket_id}:{self.id}"


@dataclass(frozen=True, slots=True)
class Plan:
    """Steps to run, or one question to ask first; plus notes for the reply.

    ``targets`` names the agents the ticket is about even when nothing can run yet (a question
    is pending): routing is measured on it. ``escalate`` is set when the ticket goes to a human.
    """

    steps: tuple[Step, ...] = ()
    question: str | None = None
    notes: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    language: str = "en"
    planner: str = "offline"
    metadata: Mapping[str, Any] = field(default_factory=dict)
    """How the plan was made (LLM model, token usage, fallback reason); never customer text."""

    @property
    def writes(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.kind == "write")

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)


def chain_same_order_writes(steps: Sequence[Step]) -> tuple[Step, ...]:
    """Make each write depend on the previous write to the same order (in the given order)."""
    return chain_writes(steps)


SharedResources = Callable[[Step], Iterable[str]]


def chain_writes(steps: Sequence[Step], shared: SharedResources | None = None) -> tuple[Step, ...]:
    """Make each write depend on the previous write that touches one of its resources.

    A write's resources are its order and whatever ``shared`` names (e.g. a gift card whose
    balance it charges or refunds): writes on one balance must run in the customer's order,
    as the outcome of the second depends on the first.
    """
    last: dict[str, str] = {}
    out: list[Step] = []
    for s in steps:
        if s.kind == "write":
            keys = {f"order:{s.order_id}"} if s.order_id else set()
            keys |= {f"shared:{k}" for k in (shared(s) if shared else ())}
            before = [last[k] for k in sorted(keys) if k in last]
            extra = tuple(b for b in dict.fromkeys(before) if b not in s.depends_on)
            if extra:
                s = Step(s.id, s.agent, s.skill, s.arguments, (*s.depends_on, *extra), s.kind)
            for k in keys:
                last[k] = s.id
        out.append(s)
    return tuple(out)


def validate_plan(plan: Plan, catalog: Catalog, *, max_writes: int = 12) -> None:
    """Raise PlanError unless the plan is safe to run on the mesh described by ``catalog``."""
    ids = [s.id for s in plan.steps]
    if len(set(ids)) != len(ids):
        raise PlanError("duplicate step ids", "duplicate_step")
    by_id = {s.id: s for s in plan.steps}
    for s in plan.steps:
        info = catalog.skills.get(s.skill)
        if info is None:
            raise PlanError(f"no live agent offers skill {s.skill!r}", "unknown_skill")
        if info.agent != s.agent:
            raise PlanError(
                f"skill {s.skill!r} belongs to {info.agent}, not {s.agent}", "wrong_agent"
            )
        if info.kind != s.kind:
            raise PlanError(
                f"skill {s.skill!r} is a {info.kind}, the plan says {s.kind}", "kind_mismatch"
            )
        for d in s.depends_on:
            if d not in by_id:
                raise PlanError(f"step {s.id} depends on unknown step {d}", "unknown_dependency")
    _check_acyclic(plan.steps)
    writes = plan.writes
    if len(writes) > max_writes:
        raise PlanError(
            f"{len(writes)} writes exceed the per-ticket limit of {max_writes}", "too_many_writes"
        )
    item_changes: set[str] = set()
    previous_write: dict[str, Step] = {}
    for s in writes:
        order = s.order_id
        if order is None:
            continue
        skill = SKILLS.get(s.skill)
        if skill is not None and skill.item_change:
            if order in item_changes:
                raise PlanError(f"more than one item change on order {order}", "two_item_changes")
            item_changes.add(order)
        before = previous_write.get(order)
        if before is not None and not _reaches(by_id, s.id, before.id):
            raise PlanError(f"writes on order {order} are not chained in order", "unchained_writes")
        previous_write[order] = s


def _reaches(by_id: Mapping[str, Step], start: str, target: str) -> bool:
    stack, seen = [start], set()
    while stack:
        current = stack.pop()
        if current == target:
            return True
        if current in seen:
            continue
        seen.add(current)
        stack.extend(by_id[current].depends_on)
    return False


def _check_acyclic(steps: Sequence[Step]) -> None:
    state: dict[str, int] = {}
    by_id = {s.id: s for s in steps}

    def visit(node: str) -> None:
        mark = state.get(node, 0)
        if mark == 1:
            raise PlanError(f"dependency cycle through step {node}", "cycle")
        if mark == 2:
            return
        state[node] = 1
        for d in by_id[node].depends_on:
            visit(d)
        state[node] = 2

    for s in steps:
        visit(s.id)


def levels(steps: Sequence[Step]) -> list[list[Step]]:
    """Steps grouped into waves: every step's dependencies lie in earlier waves."""
    done: set[str] = set()
    remaining = list(steps)
    waves: list[list[Step]] = []
    while remaining:
        wave = [s for s in remaining if all(d in done for d in s.depends_on)]
        if not wave:
            raise PlanError("dependency cycle", "cycle")
        waves.append(wave)
        done.update(s.id for s in wave)
        remaining = [s for s in remaining if s.id not in done]
    return waves
