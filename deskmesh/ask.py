"""``deskmesh ask``: a ticket sent to triage the way any third-party A2A client would send it.

It discovers triage from its well-known card, talks JSON-RPC over HTTP with the plain a2a-sdk
client, prints progress as the stream arrives, and the reply (or the question) at the end.
"""

from __future__ import annotations

import json
import uuid

import httpx
from a2a.client import A2ACardResolver, ClientCallContext
from a2a.helpers import get_artifact_text, get_message_text
from a2a.types import GetTaskRequest, Message, Part, Role, SendMessageRequest, Task, TaskState
from a2a.utils.errors import A2AError
from google.protobuf.json_format import MessageToDict, ParseDict

from agents.runtime.auth import client_headers
from protocol.client import create_client_factory
from protocol.parts import customer_metadata

TIMEOUT_S = 120.0


def ticket_message(text: str, customer: str | None, task: Task | None) -> Message:
    message = Message(role=Role.ROLE_USER, message_id=str(uuid.uuid4()), parts=[Part(text=text)])
    if customer:
        ParseDict(customer_metadata(customer), message.metadata)
    if task is not None:
        message.task_id = task.id
        message.context_id = task.context_id
    return message


async def ask(
    triage_url: str,
    text: str,
    *,
    customer: str | None = None,
    task_id: str | None = None,
    as_json: bool = False,
    api_key: str | None = None,
) -> int:
    async with httpx.AsyncClient(timeout=TIMEOUT_S) as http:
        card = await A2ACardResolver(http, triage_url).get_agent_card()
        # edge auth: the card says which scheme; the CLI passes --api-key or the environment's
        mode = "bearer" if "bearer" in card.security_schemes else "api_key"
        http.headers.update(client_headers(mode, api_key))
        client = create_client_factory(None, httpx_client=http, streaming=True).create(card)
        context = ClientCallContext(timeout=TIMEOUT_S)
        try:
            previous = None
            if task_id:
                previous = await client.get_task(GetTaskRequest(id=task_id), context=context)
            request = SendMessageRequest(message=ticket_message(text, customer, previous))
            final_id = None
            async for response in client.send_message(request, context=context):
                final_id = _show_progress(response, quiet=as_json) or final_id
            if final_id is None:
                print("triage answered without a task")
                return 1
            task = await client.get_task(GetTaskRequest(id=final_id), context=context)
        except A2AError as e:
            print(f"error: {e}")
            return 2
    if as_json:
        print(json.dumps(MessageToDict(task), indent=2, ensure_ascii=False))
    else:
        _show_result(task)
    return 0 if task.status.state != TaskState.TASK_STATE_FAILED else 1


def _show_progress(response: object, *, quiet: bool) -> str | None:
    kind = response.WhichOneof("payload")  # type: ignore[attr-defined]
    if kind == "task":
        task = response.task  # type: ignore[attr-defined]
        if not quiet:
            print(f"task {task.id}")
        return str(task.id)
    if kind == "status_update" and not quiet:
        update = response.status_update  # type: ignore[attr-defined]
        state = update.status.state
        if update.status.HasField("message") and state == TaskState.TASK_STATE_WORKING:
            print(f"  … {get_message_text(update.status.message)}")
        return str(update.task_id)
    return None


def _show_result(task: Task) -> None:
    state = TaskState.Name(task.status.state).removeprefix("TASK_STATE_").lower()
    replies = [get_artifact_text(a) for a in task.artifacts if a.name == "reply"]
    if task.status.state == TaskState.TASK_STATE_INPUT_REQUIRED:
        print(f"\n{get_message_text(task.status.message)}")
        print(f'\nanswer with: deskmesh ask --task {task.id} "…"')
        return
    text = replies[-1] if replies else get_message_text(task.status.message)
    print(f"\n[{state}] {text}")
