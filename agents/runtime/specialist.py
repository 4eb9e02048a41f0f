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
from a2a.types import Part
from pydantic import ValidationError

from agents.runtime.free_text import match_free_text
from agents.runtime.skills import Skill, SkillContext
from protocol.parts import (
    SkillCall,
    SkillResult,
    find_skill_call,
    read_customer,
    read_ticket,
    skill_result_part,
)
from store import ActionError, Store

logger = logging.getLogger(__name__)

RESULT_ARTIFACT = "result"


class SpecialistExecutor(AgentExecutor):
    def __init__(self, agent: str, skills: Sequence[Skill], store: Store) -> None:
        self._agent = agent
        self._skills = {skill.id: skill for skill in skills}
        self._store = store

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
        try:
            call = self._read_call(context)
        except ValueError as e:
            await updater.reject(updater.new_agent_message([new_text_part(str(e))]))
            return
        if call is None:
            await updater.requires_input(updater.new_agent_message([new_text_part(self._menu())]))
            return
        await self._run(call, context, updater, task_id)

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        context_id = task.context_id if task else context.context_id
        await TaskUpdater(event_queue, context.task_id, context_id).cancel()

    def _read_call(self, context: RequestContext) -> SkillCall | None:
        message = context.message
        if message is None:
            raise ValueError("the request carries no message")
        call = find_skill_call(message)
        if call is not None:
            return call
        text = "\n".join(
            get_message_text(m) for m in _user_messages(context) if get_message_text(m)
        )
        match = match_free_text(text, self.skills)
        if match.skill is None:
            return None
        return SkillCall(skill=match.skill.id, arguments=match.arguments)

    async def _run(
        self, call: SkillCall, context: RequestContext, updater: TaskUpdater, task_id: str
    ) -> None:
        skill = self._skills.get(call.skill)
        if skill is None:
            reason = f"{self._agent} has no skill {call.skill!r}"
            await self._finish_refused(updater, call.skill, reason, "unknown_skill")
            return
        try:
            arguments = skill.input_model.model_validate(call.arguments)
        except ValidationError as e:
            question = _missing_arguments_question(skill, e)
            if question is not None:
                await updater.requires_input(updater.new_agent_message([new_text_part(question)]))
                return
            reason = f"invalid arguments for {skill.id}: {e.errors()[0]['msg']}"
            await self._finish_refused(updater, skill.id, reason, "invalid_arguments")
            return
        message = context.message
        assert message is not None
        ticket = read_ticket(message)
        customer = ticket.customer_id if ticket and ticket.customer_id else read_customer(message)
        skill_context = SkillContext(self._store, customer, ticket, task_id)
        try:
            outcome = await skill.handler(arguments, skill_context)
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


def _missing_arguments_question(skill: Skill, error: ValidationError) -> str | None:
    missing = [str(e["loc"][0]) for e in error.errors() if e["type"] == "missing" and e["loc"]]
    if not missing or len(missing) != len(error.errors()):
        return None
    readable = ", ".join(name.replace("_", " ") for name in missing)
    return f"To {skill.name.lower()} I need the {readable}. Could you tell me?"
