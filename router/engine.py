"""PlanEngine: runs a Plan's DAG over the mesh.

Every step starts as soon as the steps it depends on have finished, so independent steps run
in parallel and writes to one order run in the plan's order. Each attempt has a timeout; a
retry sends the same ticket step, so the specialist's idempotency key (ticket id + step id)
turns a repeated write into a replay of the first outcome. Budgets cap delegations, depth and
wall time; whatever a budget stops is reported as not done, with the reason.

Every attempt carries an attempt id (the delegate sends it as the A2A context id), so the
specialist's task can be cancelled while the call is still in flight: when the ticket is
cancelled (``cancel(ticket_id)``), when the wall-time budget runs out, and when an attempt
times out before its retry.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from domain.errors import DeskmeshError
from protocol.parts import SkillCall, TicketEnvelope
from router.budget import Budget, BudgetMeter
from router.delegate import Delegation, DelegationError
from router.loops import Hop, LoopGuard, LoopGuards
from router.plan import Plan, Step

logger = logging.getLogger(__name__)

Status = Literal["done", "refused", "needs_input", "failed", "skipped"]


CANCEL_TIMEOUT_S = 5.0


class Delegator(Protocol):
    """How the engine reaches a specialist (``router.delegate.A2ADelegate`` on the mesh)."""

    async def call(
        self, agent: str, call: SkillCall, ticket: TicketEnvelope, *, attempt: str
    ) -> Delegation:
        """One delegation; ``attempt`` identifies it for ``cancel`` (unique per attempt)."""
        ...

    async def cancel(self, agent: str, attempt: str) -> int:
        """Cancel the specialist's unfinished task(s) of an attempt; how many were cancelled."""
        ...


class TicketCancelled(DeskmeshError):
    """The ticket was cancelled while its plan ran; nothing more may be published for it."""


@dataclass(slots=True)
class _Run:
    tasks: list[asyncio.Task[StepOutcome]] = field(default_factory=list)
    in_flight: dict[str, str] = field(default_factory=dict)
    """attempt id → agent, for the delegations currently waiting for an answer."""
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """How one plan step ended (done, refused, failed, skipped) and its delegation."""

    step: Step
    status: Status
    delegation: Delegation | None = None
    reason: str = ""
    guardrail: str = ""
    """The budget or loop guard that stopped this step (``router.budget.GUARDRAILS``), if any."""
    retried: bool = False
    """It took more than one send (the specialist was unreachable or slow for a while)."""

    @property
    def ran(self) -> bool:
        """The specialist did the step, or answered it (a refusal or a question)."""
        return self.status in ("done", "refused", "needs_input")

    @property
    def text(self) -> str:
        return self.delegation.text if self.delegation else ""


ProgressHook = Callable[[Step], Awaitable[None]]


TripHook = Callable[[str], None]


class PlanEngine:
    """Runs a plan's steps in dependency waves within the ticket's budget."""

    def __init__(
        self,
        delegate: Delegator,
        budget: Budget | None = None,
        *,
        name: str = "triage",
        on_trip: TripHook | None = None,
    ) -> None:
        self._delegate = delegate
        self.budget = budget or Budget()
        self._runs: dict[str, _Run] = {}
        # --- guardrails (issue 6): loop guards per ticket, trip counting ---
        self.name = name
        self.on_trip = on_trip
        self._loops = LoopGuards(
            max_identical=self.budget.max_identical_calls, max_bounces=self.budget.max_bounces
        )
        # --- end guardrails ---

    async def run(
        self, plan: Plan, ticket: TicketEnvelope, on_start: ProgressHook | None = None
    ) -> list[StepOutcome]:
        """Outcomes in the plan's step order; TicketCancelled if ``cancel`` stopped the run."""
        meter = BudgetMeter(self.budget)
        loops = self._loops.for_ticket(ticket.ticket_id)
        run = _Run()
        done: dict[str, asyncio.Future[StepOutcome]] = {
            s.id: asyncio.get_running_loop().create_future() for s in plan.steps
        }

        async def run_step(step: Step) -> StepOutcome:
            for dependency in step.depends_on:
                await done[dependency]
            try:
                outcome = await self._one(step, ticket, meter, on_start, run, loops)
            except Exception:
                # Dependent steps still run (the specialist re-checks its preconditions).
                logger.exception("step %s crashed", step.id)
                outcome = StepOutcome(step, "failed", reason="an internal error")
            done[step.id].set_result(outcome)
            return outcome

        run.tasks = [asyncio.create_task(run_step(s)) for s in plan.steps]
        tasks = run.tasks
        self._runs[ticket.ticket_id] = run
        try:
            async with asyncio.timeout(self.budget.wall_time_s):
                if tasks:  # wait, not gather: a timeout must leave the steps to _stop
                    await asyncio.wait(tasks)
        except TimeoutError:
            logger.warning("ticket %s: wall-time budget exhausted", ticket.ticket_id)
            meter.trip("wall_time")
            await self._stop(run)
        except asyncio.CancelledError:
            await asyncio.shield(self._stop(run))
            raise
        finally:
            for t in tasks:
                if not t.done():
                    t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if self._runs.get(ticket.ticket_id) is run:
                del self._runs[ticket.ticket_id]
        if run.cancelled:
            raise TicketCancelled(ticket.ticket_id)
        outcomes: list[StepOutcome] = []
        for step, task in zip(plan.steps, tasks, strict=True):
            if task.cancelled() or task.exception() is not None:
                reason, guardrail = "the time for this ticket ran out", "wall_time"
                if not task.cancelled():
                    logger.error("step %s crashed", step.id, exc_info=task.exception())
                    reason, guardrail = "an internal error", ""
                outcomes.append(StepOutcome(step, "skipped", reason=reason, guardrail=guardrail))
            else:
                outcomes.append(task.result())
        self._count_trips(meter.trips, outcomes)
        return outcomes

    # --- guardrails (issue 6) ---
    def _count_trips(self, trips: list[str], outcomes: list[StepOutcome]) -> None:
        names = dict.fromkeys([*trips, *(o.guardrail for o in outcomes if o.guardrail)])
        for name in names:
            logger.warning("guardrail tripped: %s", name)
            if self.on_trip is not None:
                self.on_trip(name)

    async def escalate(self, step: Step, ticket: TicketEnvelope) -> StepOutcome:
        """Run one handoff step outside the ticket's spent budgets (its own delegation, one
        attempt's time): how a tripped budget still ends in a human's queue."""
        budget = Budget(
            max_delegations=self.budget.attempts,
            max_depth=max(self.budget.max_depth, ticket.depth + 1),
            step_timeout_s=self.budget.step_timeout_s,
            attempts=self.budget.attempts,
        )
        run = _Run()
        return await self._one(step, ticket, BudgetMeter(budget), None, run, None, budget)

    # --- end guardrails ---

    async def cancel(self, ticket_id: str) -> int:
        """Stop a running ticket: its steps end and the specialists' in-flight tasks are
        cancelled over A2A. Returns how many specialist tasks were cancelled."""
        run = self._runs.get(ticket_id)
        if run is None:
            return 0
        run.cancelled = True
        return await self._stop(run)

    async def _stop(self, run: _Run) -> int:
        """Cancel the run's step tasks and, over A2A, the specialist tasks still in flight."""
        in_flight = dict(run.in_flight)
        for t in run.tasks:
            if not t.done():
                t.cancel()
        results = await asyncio.gather(
            *(self._cancel_attempt(agent, attempt) for attempt, agent in in_flight.items())
        )
        return sum(results)

    async def _cancel_attempt(self, agent: str, attempt: str) -> int:
        try:
            async with asyncio.timeout(min(CANCEL_TIMEOUT_S, self.budget.step_timeout_s)):
                return await self._delegate.cancel(agent, attempt)
        except Exception as e:  # noqa: BLE001 - best effort: the outcome is reported anyway
            logger.warning("could not cancel %s attempt %s: %s", agent, attempt, type(e).__name__)
            return 0

    async def _attempt(
        self, step: Step, call: SkillCall, envelope: TicketEnvelope, run: _Run
    ) -> Delegation:
        attempt = uuid.uuid4().hex
        run.in_flight[attempt] = step.agent
        try:
            async with asyncio.timeout(self.budget.step_timeout_s):
                return await self._delegate.call(step.agent, call, envelope, attempt=attempt)
        except TimeoutError:
            # The specialist may still be working on it: stop that before the retry.
            await self._cancel_attempt(step.agent, attempt)
            raise
        finally:
            run.in_flight.pop(attempt, None)

    async def _one(
        self,
        step: Step,
        ticket: TicketEnvelope,
        meter: BudgetMeter,
        on_start: ProgressHook | None,
        run: _Run,
        loops: LoopGuard | None = None,
        budget: Budget | None = None,
    ) -> StepOutcome:
        budget = budget or self.budget
        if ticket.depth + 1 > budget.max_depth:
            return StepOutcome(
                step, "skipped", reason="the delegation chain is too deep", guardrail="depth"
            )
        # --- guardrails (issue 6): loops ---
        if loops is not None:
            trip = loops.observe(Hop(self.name, step.agent, step.skill, step.arguments))
            if trip is not None:
                return StepOutcome(step, "skipped", reason=trip.message, guardrail=trip.guardrail)
        # --- end guardrails ---
        envelope = ticket.model_copy(update={"step": step.id, "depth": ticket.depth + 1})
        call = SkillCall(skill=step.skill, arguments=dict(step.arguments))
        if on_start is not None:
            await on_start(step)
        last = "no attempt was made"
        for attempt in range(1, budget.attempts + 1):
            if not meter.take():
                return StepOutcome(
                    step,
                    "skipped",
                    reason="the ticket's delegation budget ran out",
                    guardrail="delegations",
                )
            try:
                delegation = await self._attempt(step, call, envelope, run)
            except TimeoutError:
                last = f"{step.agent} did not answer in time"
                logger.warning("step %s attempt %d timed out", step.id, attempt)
                continue
            except DelegationError as e:
                return StepOutcome(step, "failed", reason=str(e), retried=True)
            retried = attempt > 1 or delegation.attempts > 1
            status, reason = _status(delegation), _reason(delegation)
            return StepOutcome(step, status, delegation, reason, retried=retried)
        return StepOutcome(step, "failed", reason=last, retried=True)


def _status(d: Delegation) -> Status:
    if d.ok:
        return "done"
    if d.needs_input:
        return "needs_input"
    if d.state == "rejected" or (d.result is not None and not d.result.ok):
        return "refused"
    return "failed"


def _reason(d: Delegation) -> str:
    if d.ok:
        return ""
    if d.result is not None and d.result.error:
        return d.result.error
    return d.text or d.state
