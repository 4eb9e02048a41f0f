"""SpecialistExecutor: runs one skill per A2A task, from a structured call or from free text.

Outcomes map to A2A task states: a skill that did its work → COMPLETED with a result artifact;
a refused write (failed precondition, another customer's data) → REJECTED with the same artifact
shape and the reason; a request that lacks something → INPUT_REQUIRED with one question;
an unexpected error → FAILED with a generic message (details stay in the log).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from a2a.helpers import get_message_text, new_task_from_user_message, new_text_part
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import Part, Role
from google.protobuf.json_format import MessageToDict
from pydantic import ValidationError

from agents.runtime.capability_gate import CapabilityGate, capability_token
from agents.runtime.free_text import Resolver, Understood, ask_missing, choose_skill, understand
from agents.runtime.metrics import AgentMetrics
from agents.runtime.ownership import log_refused_read
from agents.runtime.skills import Skill, SkillContext
from protocol.capabilities import CapabilityError
from protocol.parts import (
    SkillCall,
    SkillResult,
    find_skill_call,
    read_customer,
    read_ticket,
    skill_result_part,
)
from store import ActionError, OwnershipError, Store
from store.errors import MoneyLimitExceeded

logger = logging.getLogger(__name__)

RESULT_ARTIFACT = "result"
PENDING_METADATA_KEY = "deskmesh/pending"
"""Metadata of an input-required message: {skill, arguments, missing, candidates}."""


class SpecialistExecutor(AgentExecutor):
    """Runs one of a specialist's skills per A2A task (structured call or free text)."""

    def __init__(
        self,
        agent: str,
        skills: Sequence[Skill],
        store: Store,
        *,
        gate: CapabilityGate | None = None,
        metrics: AgentMetrics | None = None,
    ) -> None:
        self._agent = agent
        self._skills = {skill.id: skill for skill in skills}
        self._store = store
        # guardrails: every write passes the capability gate (no gate: no write needs one)
        self._gate = gate
        self._metrics = metrics

    @property
    def skills(self) -> list[Skill]:
        return list(self._skills.values())

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        if context.current_task is None:
            await event_queue.enqueue_event(new_task_from_user_message(context.message))
            task_id, context_id = context.task_id, context.context_id
        else:
            # a2a-sdk 1.3 bug #1206: on follow-ups only current_task knows the real context id.
            task_id, context_id = context.current_task.id, context.current_task.context_id
        updater = TaskUpdater(event_queue, task_id, context_id)
        await updater.start_work()
        message = context.message
        if message is None:
            await updater.reject(updater.new_agent_message([new_text_part("no message")]))
            return
        try:
            call = find_skill_call(message)
        except ValueError as e:
            await updater.reject(updater.new_agent_message([new_text_part(str(e))]))
            return
        customer = _customer(context)
        pending = _pending(context)
        if call is not None and pending is not None and call.skill == pending.skill:
            call = SkillCall(skill=call.skill, arguments={**pending.arguments, **call.arguments})
        if call is None:
            understood = await self._understand(context, pending, customer)
            if understood is None:
                await updater.requires_input(
                    updater.new_agent_message([new_text_part(self._menu())])
                )
                return
            if understood.missing:
                await self._ask(updater, understood)
                return
            call = SkillCall(skill=understood.skill.id, arguments=understood.arguments)
        await self._run(call, context, updater, task_id, customer)

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        context_id = task.context_id if task else context.context_id
        await TaskUpdater(event_queue, context.task_id, context_id).cancel()

    async def _understand(
        self, context: RequestContext, pending: SkillCall | None, customer: str | None
    ) -> Understood | None:
        """Read a free-text request; a follow-up continues the skill the task asked about."""
        resolver = Resolver(self._store, customer)
        if pending is not None and pending.skill in self._skills:
            text = get_message_text(context.message) if context.message else ""
            skill = self._skills[pending.skill]
            return await understand(skill, text, resolver, pending.arguments)
        text = "\n".join(t for t in (get_message_text(m) for m in _user_messages(context)) if t)
        skill = choose_skill(text, self.skills)
        if skill is None:
            return None
        return await understand(skill, text, resolver)

    async def _ask(self, updater: TaskUpdater, understood: Understood) -> None:
        """INPUT_REQUIRED with one question; the task remembers the skill and arguments."""
        pending = {
            "skill": understood.skill.id,
            "arguments": understood.arguments,
            "missing": understood.missing,
            "candidates": understood.candidates,
        }
        metadata = {PENDING_METADATA_KEY: pending}
        parts = [new_text_part(understood.question or "")]
        await updater.requires_input(updater.new_agent_message(parts, metadata=metadata))

    async def _run(
        self,
        call: SkillCall,
        context: RequestContext,
        updater: TaskUpdater,
        task_id: str,
        customer: str | None,
    ) -> None:
        skill = self._skills.get(call.skill)
        if skill is None:
            reason = f"{self._agent} has no skill {call.skill!r}"
            await self._finish_refused(updater, call.skill, reason, "unknown_skill")
            return
        try:
            arguments = skill.input_model.model_validate(call.arguments)
        except ValidationError as e:
            missing = _missing_arguments(e)
            if missing:
                resolver = Resolver(self._store, customer)
                await self._ask(
                    updater, await ask_missing(skill, call.arguments, missing, resolver)
                )
                return
            reason = f"invalid arguments for {skill.id}: {e.errors()[0]['msg']}"
            await self._finish_refused(updater, skill.id, reason, "invalid_arguments")
            return
        if skill.kind == "write" and customer is None and not skill.anonymous:
            # Nobody vouched for a customer, so there is no one whose data this may change.
            reason = f"{skill.name} needs a verified customer"
            await self._finish_refused(updater, skill.id, reason, "customer_required")
            return
        message = context.message
        assert message is not None
        # --- guardrails: the ticket capability must cover this write (docs/guardrails.md) ---
        limits = None
        if skill.kind == "write" and self._gate is not None:
            try:
                limits = await self._gate.check_write(
                    skill=skill.id,
                    anonymous=skill.anonymous,
                    arguments=arguments.model_dump(mode="json"),
                    call_arguments=call.arguments,
                    token=capability_token(message, context),
                    customer_id=customer,
                    ticket=read_ticket(message),
                    task_id=task_id,
                )
            except CapabilityError as e:
                logger.warning("write %s on task %s refused: %s", skill.id, task_id, e.code)
                self._tripped("capability")
                await self._finish_refused(updater, skill.id, str(e), e.code)
                return
        # --- end guardrails ---
        skill_context = SkillContext(self._store, customer, read_ticket(message), task_id, limits)
        try:
            outcome = await skill.handler(arguments, skill_context)
        except OwnershipError as e:
            if skill.kind == "read":
                await log_refused_read(skill_context, skill.id, call.arguments, e)
            self._tripped("ownership")
            await self._finish_refused(updater, skill.id, e.message, e.code)
            return
        except MoneyLimitExceeded as e:
            logger.warning("write %s on task %s refused: %s", skill.id, task_id, e.message)
            self._tripped("capability")
            await self._finish_refused(updater, skill.id, e.message, e.code)
            return
        except ActionError as e:
            await self._finish_refused(updater, skill.id, e.message, e.code)
            return
        except Exception:
            logger.exception("skill %s failed on task %s", skill.id, task_id)
            await updater.failed(
                updater.new_agent_message([new_text_part(f"{skill.name} failed unexpectedly")])
            )
            return
        result = SkillResult(skill=skill.id, ok=True, data=outcome.data)
        await updater.add_artifact(_result_parts(result, outcome.text), name=RESULT_ARTIFACT)
        await updater.complete()

    async def _finish_refused(
        self, updater: TaskUpdater, skill_id: str, reason: str, code: str
    ) -> None:
        result = SkillResult(skill=skill_id, ok=False, error=reason, error_code=code)
        await updater.add_artifact(_result_parts(result, reason), name=RESULT_ARTIFACT)
        await updater.reject(updater.new_agent_message([new_text_part(reason)]))

    def _tripped(self, guardrail: str) -> None:
        if self._metrics is not None:
            self._metrics.guardrail_tripped(guardrail)

    def _menu(self) -> str:
        names = "; ".join(f"{s.name} ({s.description})" for s in self.skills)
        return f"What would you like the {self._agent} agent to do? It can help with: {names}."


def _user_messages(context: RequestContext) -> list:
    history = list(context.current_task.history) if context.current_task else []
    messages = [m for m in history if m.role == context.message.role]  # type: ignore[union-attr]
    if context.message is not None and all(
        m.message_id != context.message.message_id for m in messages
    ):
        messages.append(context.message)
    return messages


def _result_parts(result: SkillResult, text: str) -> list[Part]:
    return [skill_result_part(result), new_text_part(text)]


def _missing_arguments(error: ValidationError) -> list[str]:
    """The missing arguments, when missing arguments are all that is wrong."""
    missing = [str(e["loc"][0]) for e in error.errors() if e["type"] == "missing" and e["loc"]]
    return missing if len(missing) == len(error.errors()) else []


def _customer(context: RequestContext) -> str | None:
    """The task's verified customer: from the first user message that names one."""
    for message in _user_messages(context):
        ticket = read_ticket(message)
        customer = ticket.customer_id if ticket and ticket.customer_id else read_customer(message)
        if customer:
            return customer
    return None


def _pending(context: RequestContext) -> SkillCall | None:
    """The skill call a follow-up continues: the task's last input-required question."""
    task = context.current_task
    if task is None:
        return None
    messages = [task.status.message] if task.status.HasField("message") else []
    messages += [m for m in reversed(task.history) if m.role == Role.ROLE_AGENT]
    for message in messages:
        raw = MessageToDict(message.metadata).get(PENDING_METADATA_KEY)
        if isinstance(raw, dict) and isinstance(raw.get("skill"), str):
            return SkillCall(skill=raw["skill"], arguments=raw.get("arguments") or {})
    return None
