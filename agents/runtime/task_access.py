"""Who sees which task, and what a stored task never holds: the handler layer over the SDK's.

Ownership: the task store scopes every task to ``task_owner(context)``, the principal the
binding authenticated (edge API key or bearer token on HTTP, the calling agent's inbox on NATS;
``ServerCallContext.user``). GetTask, ListTasks, CancelTask, SubscribeToTask and a follow-up
SendMessage read through the store with that owner, so another principal's task reads as not
found. Whatever store replaces the SDK's must honour the same ``owner_resolver``.

Anonymous callers (edge auth off, ``make run``) share one owner, so they may address a task by
its id (an unguessable UUID, which ``deskmesh ask --task`` needs) but ListTasks, which would
enumerate every anonymous ticket with its customer data, answers an empty page.

The customer: a client may name it (``deskmesh/customer``) in the request's metadata rather than
the message's (Google ADK does); it is copied into the message, where the agents read it.

Capabilities: a token that arrives in the message metadata is moved out of the message into
the call's state before the SDK stores the message, so no stored task carries one; tasks read
back are scrubbed as well (stores written before this layer existed).

Blank text: a message with a text part that is empty or only whitespace is invalid params
(-32602 on JSON-RPC and NATS, 400 on REST) before any task exists. The SDK itself refuses an
empty text part only inside the executor, where it surfaces as -32603, and lets a whitespace
one through to the agent, which has nothing to read.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from a2a.server.context import ServerCallContext
from a2a.server.events import Event
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.types import (
    CancelTaskRequest,
    GetTaskRequest,
    ListTasksRequest,
    ListTasksResponse,
    Message,
    SendMessageRequest,
    SubscribeToTaskRequest,
    Task,
)
from a2a.utils.errors import InvalidParamsError
from google.protobuf.struct_pb2 import Struct

from protocol.capabilities import CAPABILITY_EXTENSION_URI
from protocol.parts import CUSTOMER_METADATA_KEY

CAPABILITY_STATE_KEY = "deskmesh.capability"
"""``ServerCallContext.state`` key of the capability taken out of the request's message."""


def task_owner(context: ServerCallContext) -> str:
    """The owner of the tasks a call creates and sees: its principal, '' when anonymous."""
    return context.user.user_name if context.user.is_authenticated else ""


def take_capability(message: Message, context: ServerCallContext) -> None:
    """Move a capability from the message metadata into the call's state (never stored)."""
    if CAPABILITY_EXTENSION_URI not in message.metadata:
        return
    raw = message.metadata[CAPABILITY_EXTENSION_URI]
    token = raw["token"] if isinstance(raw, Struct) and "token" in raw else raw
    if isinstance(token, str) and token:
        context.state[CAPABILITY_STATE_KEY] = token
    del message.metadata[CAPABILITY_EXTENSION_URI]


def refuse_blank_text(message: Message) -> None:
    """Raise invalid params if a text part of ``message`` is empty or only whitespace."""
    for index, part in enumerate(message.parts):
        if part.WhichOneof("content") == "text" and not part.text.strip():
            raise InvalidParamsError(
                message=f"message part {index} is a text part without text",
                data={"field": f"message.parts[{index}].text"},
            )


def customer_into_message(params: SendMessageRequest) -> None:
    """A customer named only in the request metadata moves to the message metadata."""
    if CUSTOMER_METADATA_KEY in params.metadata and CUSTOMER_METADATA_KEY not in (
        params.message.metadata
    ):
        params.message.metadata[CUSTOMER_METADATA_KEY] = params.metadata[CUSTOMER_METADATA_KEY]


def scrub(item: Any) -> Any:
    """The task or message without any capability in its messages' metadata (in place)."""
    if isinstance(item, Message):
        if CAPABILITY_EXTENSION_URI in item.metadata:
            del item.metadata[CAPABILITY_EXTENSION_URI]
    elif isinstance(item, Task):
        for message in item.history:
            scrub(message)
        if item.status.HasField("message"):
            scrub(item.status.message)
    return item


class MeshRequestHandler(DefaultRequestHandler):
    """The SDK's request handler plus the mesh's task-access rules (module docstring)."""

    async def on_message_send(
        self, params: SendMessageRequest, context: ServerCallContext
    ) -> Message | Task:
        refuse_blank_text(params.message)
        take_capability(params.message, context)
        customer_into_message(params)
        return scrub(await super().on_message_send(params, context))

    async def on_message_send_stream(
        self, params: SendMessageRequest, context: ServerCallContext
    ) -> AsyncGenerator[Event, None]:
        refuse_blank_text(params.message)
        take_capability(params.message, context)
        customer_into_message(params)
        async for event in super().on_message_send_stream(params, context):
            yield scrub(event)

    async def on_get_task(self, params: GetTaskRequest, context: ServerCallContext) -> Task | None:
        return scrub(await super().on_get_task(params, context))

    async def on_list_tasks(
        self, params: ListTasksRequest, context: ServerCallContext
    ) -> ListTasksResponse:
        if not context.user.is_authenticated:
            return ListTasksResponse(page_size=0, total_size=0)
        page = await super().on_list_tasks(params, context)
        for task in page.tasks:
            scrub(task)
        return page

    async def on_cancel_task(
        self, params: CancelTaskRequest, context: ServerCallContext
    ) -> Task | None:
        return scrub(await super().on_cancel_task(params, context))

    async def on_subscribe_to_task(
        self, params: SubscribeToTaskRequest, context: ServerCallContext
    ) -> AsyncGenerator[Event, None]:
        async for event in super().on_subscribe_to_task(params, context):
            yield scrub(event)
