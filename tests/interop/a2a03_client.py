"""An A2A 0.3 client (a2a-sdk 0.3, its own venv: ``make interop-clients``) against one agent.

Run as ``.venv-a2a03/bin/python a2a03_client.py BASE_URL TRANSPORT CUSTOMER``; prints one JSON
object with what each operation returned. Imports nothing from deskmesh.
"""

import asyncio
import json
import sys
import uuid

import httpx
from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
from a2a.types import Message, Part, Role, TaskIdParams, TaskQueryParams, TextPart


def message(text: str, customer: str, task_id: str | None = None) -> Message:
    return Message(
        role=Role.user,
        message_id=str(uuid.uuid4()),
        parts=[Part(root=TextPart(text=text))],
        metadata={"deskmesh/customer": {"userId": customer}},
        task_id=task_id,
    )


async def last_task(client, msg: Message):
    task, kinds = None, []
    async for event in client.send_message(msg):
        if isinstance(event, tuple):
            task, update = event
            kinds.append(type(update).__name__ if update is not None else "Task")
        else:
            kinds.append("Message")
    return task, kinds


async def main(base_url: str, transport: str, customer: str) -> dict:
    async with httpx.AsyncClient(timeout=60) as http:
        card = await A2ACardResolver(http, base_url).get_agent_card()
        config = dict(httpx_client=http, supported_transports=[transport])
        unary = ClientFactory(ClientConfig(streaming=False, **config)).create(card)
        streaming = ClientFactory(ClientConfig(streaming=True, **config)).create(card)
        sent, _ = await last_task(unary, message("What orders do I have?", customer))
        got = await unary.get_task(TaskQueryParams(id=sent.id))
        streamed, kinds = await last_task(streaming, message("What orders do I have?", customer))
        asked, _ = await last_task(unary, message("Please cancel my order", customer))
        cancelled = await unary.cancel_task(TaskIdParams(id=asked.id))
        return {
            "card": {
                "url": card.url,
                "transport": card.preferred_transport,
                "version": card.protocol_version,
            },
            "send": sent.status.state.value,
            "get": [got.id == sent.id, got.status.state.value],
            "stream": [streamed.status.state.value, kinds],
            "asked": asked.status.state.value,
            "cancel": cancelled.status.state.value,
        }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(*sys.argv[1:4]))))
