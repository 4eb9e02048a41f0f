"""Helpers of the specialist tests: send over the mesh client, read the result back."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from a2a.client import Client
from a2a.helpers import get_artifact_text, get_message_text
from a2a.types import GetTaskRequest, Message, Part, Role, SendMessageRequest, Task, TaskState
from google.protobuf.json_format import MessageToDict, ParseDict

from agents.runtime.specialist import PENDING_METADATA_KEY
from protocol.parts import SkillResult, customer_metadata, find_skill_result
from store import generate_demo
from tests.helpers import attach_capability, mint_test_capability, skill_message

WRITE_SKILLS = (
    "cancel_pending_order",
    "modify_pending_order_items",
    "modify_pending_order_address",
    "modify_pending_order_payment",
    "return_delivered_order_items",
    "exchange_delivered_order_items",
    "modify_user_address",
    "transfer_to_human_agents",
)
COMPLETED = TaskState.TASK_STATE_COMPLETED
REJECTED = TaskState.TASK_STATE_REJECTED
INPUT_REQUIRED = TaskState.TASK_STATE_INPUT_REQUIRED


async def send(client: Client, message: Message) -> Task:
    responses = [r async for r in client.send_message(SendMessageRequest(message=message))]
    first = responses[-1]
    if first.HasField("task"):
        return first.task
    return await client.get_task(GetTaskRequest(id=responses[0].task.id))


async def call(
    client: Client,
    skill: str,
    arguments: dict[str, Any] | None = None,
    *,
    customer: str | None,
    ticket_id: str | None = None,
    step: str = "0",
) -> Task:
    """A structured skill call as triage sends it (ticket envelope with the customer)."""
    ticket = ticket_id or f"tk-{uuid.uuid4().hex[:12]}"
    return await send(
        client,
        skill_message(skill, arguments, ticket_id=ticket, step=step, customer_id=customer),
    )


def text_request(text: str, customer: str | None, task: Task | None = None) -> Message:
    """A third-party agent's free-text message (customer in metadata; follow-up on ``task``)."""
    message = Message(role=Role.ROLE_USER, message_id=str(uuid.uuid4()), parts=[Part(text=text)])
    if customer:
        ParseDict(customer_metadata(customer), message.metadata)
        attach_capability(message, helpdesk_capability(customer))
    if task is not None:
        message.task_id = task.id
        message.context_id = task.context_id
    return message


@functools.cache
def _demo() -> dict[str, Any]:
    return generate_demo()


def helpdesk_capability(customer: str) -> str:
    """What a helpdesk integration would hold for a verified customer: every write skill on
    the customer's own orders and payment methods (demo data set, test key)."""
    user = _demo()["users"].get(customer, {})
    return mint_test_capability(
        customer,
        f"helpdesk-{customer}",
        WRITE_SKILLS,
        user.get("orders", []),
        list(user.get("payment_methods", {})),
    )


def result(task: Task) -> SkillResult:
    for artifact in task.artifacts:
        found = find_skill_result(artifact.parts)
        if found is not None:
            return found
    raise AssertionError(f"no skill result in task {MessageToDict(task)}")


def text(task: Task) -> str:
    if task.artifacts:
        return get_artifact_text(task.artifacts[-1])
    return get_message_text(task.status.message)


def pending(task: Task) -> dict[str, Any]:
    """The input-required question's metadata: skill, arguments, missing, candidates."""
    return MessageToDict(task.status.message.metadata)[PENDING_METADATA_KEY]
