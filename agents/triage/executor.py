"""TriageExecutor: ticket → understanding → plan → delegations over the mesh → one reply."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from a2a.helpers import (
    get_message_text,
    new_data_part,
    new_task_from_user_message,
    new_text_part,
)
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import Message, TaskState

from agents.triage.planner import Plan, Step, plan_ticket
from agents.triage.understanding import understand
from protocol.parts import TicketEnvelope, read_customer
from router.delegate import A2ADelegate, Delegation, DelegationError
from store import Store

logger = logging.getLogger(__name__)

REPLY_ARTIFACT = "reply"
HELP_TEXT = (
    "I can check an order's status, show the payment methods on your account, "
    "or pass you to a human colleague. What can I do for you?"
)


class TriageExecutor(AgentExecutor):
    def __init__(self, delegate: A2ADelegate, store: Store) -> None:
        self._delegate = delegate
        self._store = store

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        if context.current_task is None:
            await event_queue.enqueue_event(new_task_from_user_message(context.message))
            task_id, context_id = context.task_id, context.context_id
        else:
            task_id, context_id = context.current_task.id, context.current_task.context_id
        updater = TaskUpdater(event_queue, task_id, context_id)
        await updater.start_work()
        messages = _customer_messages(context)
        text = "\n".join(t for t in (get_message_text(m) for m in messages) if t)
        customer_id = next((c for c in map(read_customer, messages) if c), None)
        orders = await self._store.list_orders(customer_id) if customer_id else []
        plan = plan_ticket(understand(text), text=text, customer_id=customer_id, orders=orders)
        if plan.question is not None:
            await updater.requires_input(updater.new_agent_message([new_text_part(plan.question)]))
            return
        if not plan.steps:
            await self._reply(updater, " ".join((*plan.notes, HELP_TEXT)), [])
            return
        ticket = TicketEnvelope(ticket_id=task_id, customer_id=customer_id, depth=1)
        delegations = await self._run(plan, ticket, updater)
        await self._reply(updater, _reply_text(plan, delegations), delegations)

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        context_id = task.context_id if task else context.context_id
        await TaskUpdater(event_queue, context.task_id, context_id).cancel()

    async def _run(
        self, plan: Plan, ticket: TicketEnvelope, updater: TaskUpdater
    ) -> list[Delegation | DelegationError]:
        async def one(step: Step) -> Delegation | DelegationError:
            await updater.update_status(
                TaskState.TASK_STATE_WORKING,
                updater.new_agent_message(
                    [new_text_part(f"{step.agent}: {step.call.skill} {_args(step)}".rstrip())]
                ),
            )
            envelope = ticket.model_copy(update={"step": step.id})
            try:
                return await self._delegate.call(step.agent, step.call, envelope)
            except DelegationError as e:
                logger.warning("ticket %s step %s: %s", ticket.ticket_id, step.id, e)
                return e

        return list(await asyncio.gather(*(one(step) for step in plan.steps)))

    async def _reply(
        self, updater: TaskUpdater, text: str, delegations: list[Delegation | DelegationError]
    ) -> None:
        record = [_record(d) for d in delegations]
        await updater.add_artifact(
            [new_text_part(text), new_data_part({"delegations": record})], name=REPLY_ARTIFACT
        )
        await updater.complete(updater.new_agent_message([new_text_part(text)]))


def _customer_messages(context: RequestContext) -> list[Message]:
    assert context.message is not None
    history = list(context.current_task.history) if context.current_task else []
    messages = [m for m in history if m.role == context.message.role]
    if all(m.message_id != context.message.message_id for m in messages):
        messages.append(context.message)
    return messages


def _args(step: Step) -> str:
    return " ".join(str(v) for k, v in step.call.arguments.items() if k != "summary")


def _reply_text(plan: Plan, delegations: list[Delegation | DelegationError]) -> str:
    sentences = list(plan.notes)
    for d in delegations:
        if isinstance(d, DelegationError):
            sentences.append(f"I could not complete part of your request ({d}).")
        elif d.ok and d.result is not None:
            sentences.append(d.text or f"{d.agent} completed {d.call.skill}.")
        else:
            reason = d.result.error if d.result and d.result.error else d.text or d.state
            sentences.append(f"I could not do that: {reason}.")
    return " ".join(s for s in sentences if s)


def _record(d: Delegation | DelegationError) -> dict[str, Any]:
    if isinstance(d, DelegationError):
        return {"error": str(d)}
    return {
        "agent": d.agent,
        "skill": d.call.skill,
        "arguments": d.call.arguments,
        "step": d.step,
        "task_id": d.task_id,
        "state": d.state,
        "ok": d.ok,
        "data": d.result.data if d.result else None,
    }
