"""A2ADelegate: one skill call to a specialist over A2A, with a timeout and a safe retry.

The specialist is found in the live directory and reached through the mesh's client factory,
which picks the card's NATS interface (HTTP when NATS is not available). A retry repeats the
same ticket step, so the specialist's idempotency key makes a repeated write a no-op.

Transient failures (no live instance in the directory, no responder on NATS, a transport error)
are retried with exponential backoff and jitter until the retry window (by default the
delegation timeout; the engine's step timeout bounds it too) is spent, always with the same
ticket step, hence the same idempotency key. An error the specialist answered with is not
transient and is retried once at most.

The engine names every attempt; the message carries that name as its A2A context id, so the
attempt's task can be found (``ListTasks`` by context) and cancelled (``CancelTask``) while the
blocking call is still waiting for it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from a2a.client import ClientCallContext, ClientFactory
from a2a.client.errors import A2AClientError
from a2a.helpers import get_artifact_text, get_message_text
from a2a.types import (
    AgentCard,
    CancelTaskRequest,
    ListTasksRequest,
    Message,
    Role,
    SendMessageConfiguration,
    SendMessageRequest,
    Task,
    TaskState,
)
from a2a.utils.errors import A2AError, TaskNotCancelableError, TaskNotFoundError
from google.protobuf.json_format import ParseDict
from google.protobuf.struct_pb2 import Struct

from protocol.capabilities import CAPABILITY_EXTENSION_URI, CAPABILITY_HEADER
from protocol.discovery import Directory
from protocol.errors import DeskmeshError
from protocol.parts import (
    TICKET_METADATA_KEY,
    SkillCall,
    SkillResult,
    TicketEnvelope,
    find_skill_result,
    skill_call_part,
)

logger = logging.getLogger(__name__)


_CAPABILITY: ContextVar[str | None] = ContextVar("deskmesh_capability", default=None)
EXTENSIONS_HEADER = "A2A-Extensions"


@contextmanager
def delegation_capability(token: str | None) -> Iterator[None]:
    """Delegations made inside (and in tasks started inside) carry ``token``."""
    reset = _CAPABILITY.set(token)
    try:
        yield
    finally:
        _CAPABILITY.reset(reset)


class DelegationError(DeskmeshError):
    """A delegation could not be carried out (no live agent, transport failure)."""


@dataclass(frozen=True, slots=True)
class Delegation:
    """The outcome of one delegation as the triage sees it."""

    agent: str
    call: SkillCall
    step: str
    task_id: str
    state: str
    result: SkillResult | None
    text: str
    """The specialist's words: its result's text, or its status message."""
    attempts: int = 1
    """Sends it took (more than one: the specialist was unreachable for a while)."""

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.ok

    @property
    def needs_input(self) -> bool:
        return self.state == "input-required"


_STATE_NAMES: dict[int, str] = {
    TaskState.TASK_STATE_COMPLETED: "completed",
    TaskState.TASK_STATE_FAILED: "failed",
    TaskState.TASK_STATE_CANCELED: "canceled",
    TaskState.TASK_STATE_REJECTED: "rejected",
    TaskState.TASK_STATE_INPUT_REQUIRED: "input-required",
    TaskState.TASK_STATE_AUTH_REQUIRED: "auth-required",
    TaskState.TASK_STATE_WORKING: "working",
    TaskState.TASK_STATE_SUBMITTED: "submitted",
}


_UNFINISHED = frozenset(
    {
        TaskState.TASK_STATE_SUBMITTED,
        TaskState.TASK_STATE_WORKING,
        TaskState.TASK_STATE_INPUT_REQUIRED,
        TaskState.TASK_STATE_AUTH_REQUIRED,
    }
)


def state_name(state: int) -> str:
    return _STATE_NAMES.get(state, "unknown")


BACKOFF_S = (0.25, 4.0)
"""First and largest wait between two sends of one delegation (before jitter)."""


class A2ADelegate:
    """Delegates one skill call to a specialist over A2A (NATS first), with a retry."""

    def __init__(
        self,
        factory: ClientFactory,
        directory: Directory,
        *,
        timeout_s: float = 30.0,
        attempts: int = 2,
        retry_window_s: float | None = None,
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        # attempts: sends after an error the specialist answered with; transient failures are
        # retried until retry_window_s (default timeout_s) is spent. on_retry(agent) counts them.
        self._factory = factory
        self._directory = directory
        self._timeout_s = timeout_s
        self._attempts = attempts
        self._retry_window_s = timeout_s if retry_window_s is None else retry_window_s
        self._on_retry = on_retry

    async def call(
        self, agent: str, call: SkillCall, ticket: TicketEnvelope, *, attempt: str | None = None
    ) -> Delegation:
        """Send the call; ``attempt`` (unique) becomes the message's context id for ``cancel``."""
        context_id = attempt or uuid.uuid4().hex
        deadline = time.monotonic() + self._retry_window_s
        delay, answered_errors, sends = BACKOFF_S[0], 0, 0
        while True:
            sends += 1
            try:
                task = await self._send(agent, call, ticket, context_id)
            except (A2AClientError, A2AError, DelegationError) as e:
                transient = isinstance(e, (A2AClientError, DelegationError))
                answered_errors += not transient
                logger.warning(
                    "delegation %s.%s for ticket %s step %s failed (send %d): %s",
                    agent,
                    call.skill,
                    ticket.ticket_id,
                    ticket.step,
                    sends,
                    e,
                )
                wait = delay * random.uniform(0.5, 1.0)
                if answered_errors >= self._attempts or time.monotonic() + wait > deadline:
                    raise DelegationError(f"{agent} could not be reached: {e}") from e
                if self._on_retry is not None:
                    self._on_retry(agent)
                await asyncio.sleep(wait)
                delay = min(delay * 2, BACKOFF_S[1])
                continue
            return _delegation(agent, call, ticket.step, task, sends)

    async def cancel(self, agent: str, attempt: str) -> int:
        """Cancel the agent's unfinished tasks of one attempt; returns how many were cancelled."""
        client = self._factory.create(self._card(agent))
        context = ClientCallContext(timeout=self._timeout_s)
        listed = await client.list_tasks(ListTasksRequest(context_id=attempt), context=context)
        cancelled = 0
        for task in listed.tasks:
            if task.status.state not in _UNFINISHED:
                continue
            try:
                await client.cancel_task(CancelTaskRequest(id=task.id), context=context)
            except (TaskNotCancelableError, TaskNotFoundError):
                continue  # it finished in the meantime
            cancelled += 1
            logger.info("cancelled %s task %s", agent, task.id)
        return cancelled

    def _card(self, agent: str) -> AgentCard:
        card = self._directory.card(agent)
        if card is None:
            raise DelegationError(f"no live {agent} agent in the directory")
        return card

    async def _send(
        self, agent: str, call: SkillCall, ticket: TicketEnvelope, context_id: str
    ) -> Task:
        client = self._factory.create(self._card(agent))
        metadata = Struct()
        raw: dict[str, object] = {TICKET_METADATA_KEY: ticket.model_dump(mode="json")}
        service_parameters: dict[str, str] = {}
        # guardrails: the ticket capability travels as an A2A extension, in a request header
        # only: a message's metadata is stored with the task, where a reader could harvest it
        capability = _CAPABILITY.get()
        if capability is not None:
            service_parameters = {
                EXTENSIONS_HEADER: CAPABILITY_EXTENSION_URI,
                CAPABILITY_HEADER: capability,
            }
        ParseDict(raw, metadata)
        message = Message(
            role=Role.ROLE_USER,
            message_id=str(uuid.uuid4()),
            context_id=context_id,
            parts=[skill_call_part(call)],
            metadata=metadata,
        )
        context = ClientCallContext(timeout=self._timeout_s, service_parameters=service_parameters)
        # The answer's artifacts and status are all a delegation reads; without the history
        # (our own message back) neither side converts it to and from JSON.
        request = SendMessageRequest(
            message=message, configuration=SendMessageConfiguration(history_length=0)
        )
        async for response in client.send_message(request, context=context):
            if response.HasField("task"):
                return response.task
        raise DelegationError(f"{agent} answered without a task")


def _delegation(
    agent: str, call: SkillCall, step: str, task: Task, attempts: int = 1
) -> Delegation:
    result, text = None, ""
    for artifact in task.artifacts:
        result = find_skill_result(artifact.parts) or result
        text = get_artifact_text(artifact) or text
    if not text and task.status.HasField("message"):
        text = get_message_text(task.status.message)
    return Delegation(
        agent=agent,
        call=call,
        step=step,
        task_id=task.id,
        state=state_name(task.status.state),
        result=result,
        text=text,
        attempts=attempts,
    )
