"""TriageExecutor: ticket → plan → DAG execution over the mesh → one reply (or one question).

Every turn re-reads the task's customer messages: the first is the ticket, later ones answer
the triage's questions. Re-planning a later turn gives the same step ids, so a write that
already ran is replayed by its idempotency key instead of repeated.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from a2a.helpers import get_message_text, new_data_part, new_task_from_user_message, new_text_part
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import Message, TaskState

from agents.triage import reply
from agents.triage.capability import CapabilityMinter
from agents.triage.customer import CustomerData, load_customer
from agents.triage.identity import identify
from agents.triage.plan_guard import PlanGuard
from agents.triage.planning import PlanningService
from protocol.parts import TicketEnvelope, read_customer
from router.delegate import delegation_capability
from router.engine import PlanEngine, StepOutcome, TicketCancelled
from router.plan import Plan, PlanError, Step
from router.policy import HANDOFF

logger = logging.getLogger(__name__)

REPLY_ARTIFACT = "reply"


class TriageExecutor(AgentExecutor):
    def __init__(
        self,
        planning: PlanningService,
        engine: PlanEngine,
        minter: CapabilityMinter | None = None,
        guard: PlanGuard | None = None,
    ) -> None:
        self._planning = planning
        self._engine = engine
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
        identity = None
        if customer_id is None:  # an anonymous ticket may name its account (triage/identity.py)
            identity = await identify(self._planning._store, turns)  # noqa: SLF001
            customer_id = identity.user_id
        customer = await load_customer(self._planning._store, customer_id)  # noqa: SLF001
        try:
            plan, screening = await self._planning.screened_plan(turns, customer)  # guardrails
            if screening.flagged:
                self._guard.tripped("screening")
        except PlanError as e:
            logger.error("ticket %s: invalid plan: %s", task_id, e)
            await self._finish(updater, task_id, Plan(notes=(reply.HELP_TEXT,)), [])
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
        if trips:
            handoff = self._guard.handoff_for_trips(trips, outcomes, handoff_agent)
            if handoff is not None:
                token = (
                    self._minter.mint(Plan(steps=(handoff,)), task_id, customer)
                    if self._minter
                    else None
                )
                with delegation_capability(token):
                    outcomes.append(await self._engine.escalate(handoff, ticket))
            plan = dataclasses.replace(plan, notes=(*plan.notes, self._guard.trip_note(trips)))
            guarded = self._guard.record(screening, decision, trips)
            await self._finish(updater, task_id, plan, outcomes, guarded, customer)
            return
        guarded = self._guard.record(screening, decision, trips)
        # --- end guardrails ---
        questions = reply.specialist_questions(outcomes)
        if questions and len(turns) <= self._planning.settings.max_questions:
            answered = [o for o in outcomes if o.status != "needs_input"]
            done = (
                reply.compose(Plan(language=plan.language), answered, customer) if answered else ""
            )  # no help text in front of a specialist's question
            text = " ".join(q for q in (done, *questions) if q)
            await updater.requires_input(updater.new_agent_message([new_text_part(text)]))
            return
        await self._finish(updater, task_id, plan, outcomes, guarded, customer)

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
    ) -> None:
        text = reply.compose(plan, outcomes, customer)
        data = {
            "delegations": [reply.record(o) for o in outcomes],
            "actions": reply.actions(outcomes, task_id),
            "planner": plan.planner,
            "language": plan.language,
            **(guarded or {}),  # guardrails: screening, policy, tripped guardrails
        }
        await updater.add_artifact([new_text_part(text), new_data_part(data)], name=REPLY_ARTIFACT)
        await updater.complete(updater.new_agent_message([new_text_part(text)]))


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
