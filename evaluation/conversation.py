"""One scenario's conversation with the triage agent, turn by turn, as a third party would hold it.

Turn 1 opens a task; turn k+1 is sent only when turn k ended ``input-required``, on the same
task and context. What each turn returned is kept as plain JSON (the proto types stop here).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from a2a.client import Client, ClientCallContext
from a2a.helpers import get_artifact_text, get_message_text
from a2a.types import SendMessageRequest, Task
from a2a.utils.errors import A2AError
from google.protobuf.json_format import MessageToDict

from deskmesh.ask import ticket_message
from router.delegate import state_name

REPLY_ARTIFACT = "reply"
TURN_TIMEOUT_S = 120.0


@dataclass(slots=True)
class Turn:
    """One turn of a scenario's conversation and what the mesh answered."""

    number: int
    text: str
    state: str
    message: str
    """The agent's status message: the question when input-required."""
    latency_s: float


@dataclass(slots=True)
class Conversation:
    """A scenario's turns sent to the triage, with the tasks it answered."""

    ticket_id: str | None = None
    turns: list[Turn] = field(default_factory=list)
    reply: str = ""
    delegations: list[dict[str, Any]] = field(default_factory=list)
    """Delegation records of the triage's reply artifacts, each with the turn that reported it."""
    plan: list[dict[str, Any]] | None = None
    error: str | None = None

    @property
    def final_state(self) -> str | None:
        return self.turns[-1].state if self.turns else None

    @property
    def questions(self) -> list[str]:
        return [t.message for t in self.turns if t.state == "input-required"]


async def converse(client: Client, turns: tuple[str, ...], customer_id: str | None) -> Conversation:
    conversation = Conversation()
    task: Task | None = None
    for number, text in enumerate(turns, start=1):
        started = time.perf_counter()
        try:
            task = await _send(client, text, customer_id, task)
        except (A2AError, TimeoutError, OSError) as e:
            conversation.error = f"turn {number}: {type(e).__name__}: {e}"
            break
        latency = time.perf_counter() - started
        state = state_name(task.status.state)
        message = get_message_text(task.status.message) if task.status.HasField("message") else ""
        conversation.ticket_id = task.id
        conversation.turns.append(Turn(number, text, state, message, latency))
        _collect_artifacts(conversation, task, number)
        if state != "input-required":
            break
    return conversation


async def _send(client: Client, text: str, customer_id: str | None, task: Task | None) -> Task:
    request = SendMessageRequest(message=ticket_message(text, customer_id, task))
    context = ClientCallContext(timeout=TURN_TIMEOUT_S)
    latest: Task | None = None
    async for response in client.send_message(request, context=context):
        if response.HasField("task"):
            latest = response.task
    if latest is None:
        raise A2AError("triage answered without a task")
    return latest


def _collect_artifacts(conversation: Conversation, task: Task, turn: int) -> None:
    known = {d.get("task_id") for d in conversation.delegations if d.get("task_id")}
    for artifact in task.artifacts:
        if artifact.name != REPLY_ARTIFACT:
            continue
        conversation.reply = get_artifact_text(artifact) or conversation.reply
        for part in artifact.parts:
            data = MessageToDict(part).get("data")
            if not isinstance(data, dict):
                continue
            if isinstance(data.get("plan"), list):
                conversation.plan = data["plan"]
            for record in data.get("delegations") or []:
                if isinstance(record, dict) and record.get("task_id") not in known:
                    conversation.delegations.append({**record, "turn": turn})
                    if record.get("task_id"):
                        known.add(record["task_id"])
    if (
        not conversation.reply
        and conversation.turns
        and conversation.turns[-1].state != ("input-required")
    ):
        conversation.reply = conversation.turns[-1].message
