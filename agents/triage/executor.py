"""TriageExecutor: ticket → plan → DAG execution over the mesh → one reply (or one question).

Every turn re-reads the task's customer messages: the first is the ticket, later ones answer
the triage's questions. Re-planning a later turn gives the same step ids, so a write that
already ran is replayed by its idempotency key instead of repeated.

Faults never pass silently (agents/triage/outcome.py, docs/faults.md): a turn with a step that
could not run ends ``failed`` after a handoff was tried, a missing specialist fails the ticket
instead of shrinking the catalog, an oversized ticket is rejected before it is read, and every
degraded ticket is logged and counted.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from a2a.helpers import get_message_text, new_task_from_user_message, new_text_part
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import Message, TaskState

from agents.triage import reply
from agents.triage.capability import CapabilityMinter
from agents.triage.customer import CustomerData, load_customer
from agents.triage.identity import identify
from agents.triage.outcome import TicketOutcome, assess, fault_summary
from agents.triage.plan_guard import PlanGuard
from agents.triage.planning import PlanningService
from protocol.discovery import Directory
from protocol.parts import TicketEnvelope, data_part, read_customer
from router.delegate import delegation_capability
from router.engine import PlanEngine, StepOutcome, TicketCancelled
from router.plan import Plan, PlanError, Step
from router.policy import HANDOFF

logger = logging.getLogger(__name__)

REPLY_ARTIFACT = "reply"
TOO_LARGE_TEXT = (
    "This ticket is too long for me to read ({size} characters; the limit is {limit}). "
    "Please send a shorter description of what you need."
)
PLAN_ERROR_TEXT = (
    "Something went wrong while I read this ticket, so nothing has been done. "
    "Please try again or rephrase it."
)
MISSING_TEXT = (
    "I cannot work on tickets right now: part of the service desk is unavailable ({agents}). "
    "Please try again in a few minutes."
)


class TriageExecutor(AgentExecutor):
    """The triage's A2A executor: plan a ticket turn, check it, run it, reply."""

    def __init__(
        self,
        planning: PlanningService,
        engine: PlanEngine,
        minter: CapabilityMinter | None = None,
        guard: PlanGuard | None = None,
        *,
        directory: Directory | None = None,
        on_degraded: Callable[[str], None] | None = None,
    ) -> None:
        self._planning = planning
        self._engine = engine
        self._directory = directory  # faults: stale / missing specialists
        self._on_degraded = on_degraded
        self._minter = minter  # guardrails: mints the ticket's capability
        self._guard = guard or PlanGuard(on_trip=engine.on_trip)  # guardrails: checks, budgets

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        if context.current_task is None:
            await event_queue.enqueue_event(new_task_from_user_message(context.message))
            task_id, context_id = context.task_id, context.context_id
        else:
            task_id, context_id = context.current_task.id, context.current_task.context_id
        assert task_id is not None and context_id is not None
        updater = TaskUpdater(event_queue, task_id, context_id)
        await updater.start_work()
        messages = _customer_messages(context)
        turns = [t for t in (get_message_text(m) for m in messages) if t]
        customer_id = next((c for c in map(read_customer, messages) if c), None)
        # --- faults (issue 14): bounded work per ticket; a missing specialist is a fault ---
        size, limit = sum(len(t) for t in turns), self._planning.settings.max_ticket_chars
        if size > limit:
            self._degraded(task_id, ("too_large",))
            text = TOO_LARGE_TEXT.format(size=size, limit=limit)
            await updater.reject(updater.new_agent_message([new_text_part(text)]))
            return
        identity = None
        if customer_id is None:  # an anonymous ticket may name its account (triage/identity.py)
            identity = await identify(self._planning._store, turns)  # noqa: SLF001
            customer_id = identity.user_id
        missing = await self._missing_specialists()
        if missing:
            self._degraded(task_id, ("missing_specialist",))
            text = MISSING_TEXT.format(agents=", ".join(sorted(missing)))
            await updater.failed(updater.new_agent_message([new_text_part(text)]))
            return
        stale = ("stale_directory",) if self._directory and self._directory.stale else ()
        # --- end faults ---
        customer = await load_customer(self._planning._store, customer_id)  # noqa: SLF001
        try:
            plan, screening = await self._planning.screened_plan(turns, customer)  # guardrails
            if screening.flagged:
                self._guard.tripped("screening")
        except PlanError as e:
            logger.error("ticket %s: invalid plan: %s", task_id, e)
            self._degraded(task_id, ("not_done",))
            await updater.failed(updater.new_agent_message([new_text_part(PLAN_ERROR_TEXT)]))
            return
        if plan.question is not None:
            question = reply.question(plan, identity, customer)
            await updater.requires_input(updater.new_agent_message([new_text_part(question)]))
            return
        ticket = TicketEnvelope(ticket_id=task_id, customer_id=customer_id, depth=0)
        # --- guardrails (issue 6): plan checks and the LLM budget before any write runs ---
        handoff_agent = self._planning.catalog().agent_of(HANDOFF)
        plan, decision, trips = self._guard.check(plan, customer, task_id, handoff_agent)
        # --- end guardrails ---

        async def progress(step: Step) -> None:
            await updater.update_status(
                TaskState.TASK_STATE_WORKING,
                updater.new_agent_message([new_text_part(_progress_text(step))]),
            )

        # --- guardrails: the ticket's capability travels with every delegation ---
        capability = self._minter.mint(plan, task_id, customer) if self._minter else None
        # --- end guardrails ---
        try:
            with delegation_capability(capability):
                outcomes = (
                    await self._engine.run(plan, ticket, on_start=progress) if plan.steps else []
                )
        except TicketCancelled:
            return  # cancel() publishes the canceled state
        # --- guardrails (issue 6): validate peer output; a tripped budget ends with a human ---
        outcomes = self._guard.validate(outcomes)
        trips = list(dict.fromkeys([*trips, *self._guard.trips(outcomes)]))
        extra_handoff: StepOutcome | None = None
        if trips:
            handoff = self._guard.handoff_for_trips(trips, outcomes, handoff_agent)
            if handoff is not None:
                extra_handoff = await self._hand_off(handoff, ticket, task_id, customer)
                outcomes.append(extra_handoff)
            plan = dataclasses.replace(plan, notes=(*plan.notes, self._guard.trip_note(trips)))
        guarded = self._guard.record(screening, decision, trips)
        # --- end guardrails ---
        questions = reply.specialist_questions(outcomes)
        unrun = [o for o in outcomes if not o.ran]
        if not trips and not unrun and questions and len(turns) <= self._max_questions:
            answered = [o for o in outcomes if o.status != "needs_input"]
            done = (
                reply.compose(Plan(language=plan.language), answered, customer) if answered else ""
            )  # no help text in front of a specialist's question
            text = " ".join(q for q in (done, *questions) if q)
            await updater.requires_input(updater.new_agent_message([new_text_part(text)]))
            return
        # --- faults (issue 14): a step that could not run goes to a human, the ticket fails ---
        if unrun and extra_handoff is None and handoff_agent is not None:
            if not any(o.step.skill == HANDOFF and o.status == "done" for o in outcomes):
                step = _fault_handoff(handoff_agent, unrun)
                extra_handoff = await self._hand_off(step, ticket, task_id, customer)
                outcomes.append(extra_handoff)
        outcome = assess(outcomes, extra_handoff=extra_handoff, degraded=stale)
        self._degraded(task_id, outcome.degraded, outcome)
        # --- end faults ---
        await self._finish(updater, task_id, plan, outcomes, guarded, customer, outcome)

    @property
    def _max_questions(self) -> int:
        return self._planning.settings.max_questions

    async def _hand_off(
        self, step: Step, ticket: TicketEnvelope, task_id: str, customer: CustomerData | None
    ) -> StepOutcome:
        """One handoff outside the ticket's spent budgets, with its own capability."""
        token = self._minter.mint(Plan(steps=(step,)), task_id, customer) if self._minter else None
        with delegation_capability(token):
            return await self._engine.escalate(step, ticket)

    async def _missing_specialists(self) -> set[str]:
        """Expected specialists never seen in the directory (after waiting a little)."""
        if self._directory is None:
            return set()
        expected = self._planning.settings.expected()
        directory = self._directory
        if expected <= set(directory.known_cards()):
            return set()
        try:
            await directory.wait_until(
                lambda d: expected <= set(d.known_cards()),
                self._planning.settings.specialist_wait_s,
            )
        except TimeoutError:
            return expected - set(directory.known_cards())
        return set()

    def _degraded(
        self, task_id: str, reasons: tuple[str, ...], outcome: TicketOutcome | None = None
    ) -> None:
        if not reasons:
            return
        details = ""
        if outcome is not None and outcome.not_run:
            details = "; not run: " + ", ".join(
                f"{o.step.id} {o.step.agent}.{o.step.skill} ({o.reason})" for o in outcome.not_run
            )
            details += f"; human has it: {outcome.human_has_it}"
        logger.warning("ticket %s degraded: %s%s", task_id, ", ".join(reasons), details)
        if self._on_degraded is not None:
            for reason in reasons:
                self._on_degraded(reason)

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        """CancelTask: stop the ticket's plan and cancel its in-flight delegations first."""
        task = context.current_task
        context_id = task.context_id if task else context.context_id
        assert context.task_id is not None and context_id is not None
        cancelled = await self._engine.cancel(context.task_id)
        logger.info("ticket %s cancelled (%d delegations cancelled)", context.task_id, cancelled)
        await TaskUpdater(event_queue, context.task_id, context_id).cancel()

    async def _finish(
        self,
        updater: TaskUpdater,
        task_id: str,
        plan: Plan,
        outcomes: list[StepOutcome],
        guarded: dict[str, Any] | None = None,
        customer: CustomerData | None = None,
        outcome: TicketOutcome | None = None,
    ) -> None:
        text = reply.compose(plan, outcomes, customer)
        data = {
            "delegations": [reply.record(o) for o in outcomes],
            "actions": reply.actions(outcomes, task_id),
            "planner": plan.planner,
            "language": plan.language,
            **(guarded or {}),  # guardrails: screening, policy, tripped guardrails
        }
        # faults (issue 14): what ran, what did not, whether a human has it; own reply section
        if outcome is not None:
            data["outcome"] = outcome.record()
            if section := outcome.section():
                text = f"{text}\n\n{section}"
        await updater.add_artifact([new_text_part(text), data_part(data)], name=REPLY_ARTIFACT)
        message = updater.new_agent_message([new_text_part(text)])
        if outcome is not None and outcome.failed:
            await updater.failed(message)
        else:
            await updater.complete(message)


def _fault_handoff(agent: str, unrun: list[StepOutcome]) -> Step:
    return Step.of(
        agent,
        HANDOFF,
        {"summary": fault_summary(unrun), "reason": "fault: steps not done", "priority": "high"},
        kind="write",
    )


def _progress_text(step: Step) -> str:
    shown = " ".join(
        str(v) for k, v in step.arguments.items() if k not in ("summary", "reason", "priority")
    )
    return f"{step.agent}: {step.skill} {shown}".rstrip()


def _customer_messages(context: RequestContext) -> list[Message]:
    assert context.message is not None
    history = list(context.current_task.history) if context.current_task else []
    messages = [m for m in history if m.role == context.message.role]
    if all(m.message_id != context.message.message_id for m in messages):
        messages.append(context.message)
    return messages
