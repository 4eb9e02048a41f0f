"""An in-process mesh (four agents on real NATS, one SQLite store) for the guardrail tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from a2a.client import Client
from a2a.types import SendMessageRequest, Task
from google.protobuf.json_format import MessageToDict

from agents.billing.agent import SPEC as BILLING
from agents.escalation.agent import SPEC as ESCALATION
from agents.orders.agent import SPEC as ORDERS
from agents.triage.agent import SPEC as TRIAGE
from protocol.client import create_client_factory
from store import Store
from tests.helpers import agent_settings, nats_connection, running_agent


@asynccontextmanager
async def mesh_client(
    nats_url: str, root: Path, data: dict[str, Any]
) -> AsyncIterator[tuple[Client, str]]:
    url = f"sqlite+aiosqlite:///{root / 'store.db'}"
    async with Store(url) as store:
        await store.reset(data)
    prefix = f"gg{uuid.uuid4().hex[:8]}"
    async with AsyncExitStack() as stack:
        services = {}
        for spec in (ORDERS, BILLING, ESCALATION, TRIAGE):
            settings = agent_settings(nats_url, root / spec.name, prefix, url)
            services[spec.name] = await stack.enter_async_context(running_agent(spec, settings))
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=60))
        nc = await stack.enter_async_context(nats_connection(nats_url))
        factory = create_client_factory(nc, httpx_client=http, streaming=False, timeout_s=60)
        yield factory.create(services["triage"].card), url


async def send(client: Client, message: Any) -> Task:
    responses = [r async for r in client.send_message(SendMessageRequest(message=message))]
    return responses[-1].task


def reply_data(task: Task) -> dict[str, Any]:
    for artifact in task.artifacts:
        if artifact.name == "reply":
            for part in artifact.parts:
                if part.HasField("data"):
                    return MessageToDict(part.data)
    return {}
