"""An in-process mesh (four agents on real NATS, one SQLite store) for the guardrail tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from a2a.client import Client
from a2a.types import SendMessageRequest, Task
from google.protobuf.json_format import MessageToDict

from agents.billing.agent import SPEC as BILLING
from agents.escalation.agent import SPEC as ESCALATION
from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from agents.runtime.spec import AgentSpec
from agents.triage.agent import SPEC as TRIAGE
from protocol.client import create_client_factory
from store import Store
from tests.helpers import agent_settings, nats_connection, running_agent


@dataclass(frozen=True, slots=True)
class InProcessMesh:
    triage: Client
    store_url: str
    services: dict[str, AgentService]


@asynccontextmanager
async def in_process_mesh(
    nats_url: str, root: Path, data: dict[str, Any], triage: AgentSpec = TRIAGE
) -> AsyncIterator[InProcessMesh]:
    """The mesh on ``data``; ``triage``: the triage spec (its settings built by the test)."""
    url = f"sqlite+aiosqlite:///{root / 'store.db'}"
    async with Store(url) as store:
        await store.reset(data)
    prefix = f"gg{uuid.uuid4().hex[:8]}"
    async with AsyncExitStack() as stack:
        services = {}
        for spec in (ORDERS, BILLING, ESCALATION, triage):
            settings = agent_settings(nats_url, root / spec.name, prefix, url)
            services[spec.name] = await stack.enter_async_context(running_agent(spec, settings))
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=60))
        nc = await stack.enter_async_context(nats_connection(nats_url))
        factory = create_client_factory(nc, httpx_client=http, streaming=False, timeout_s=60)
        yield InProcessMesh(factory.create(services["triage"].card), url, services)


@asynccontextmanager
async def mesh_client(
    nats_url: str, root: Path, data: dict[str, Any], triage: AgentSpec = TRIAGE
) -> AsyncIterator[tuple[Client, str]]:
    async with in_process_mesh(nats_url, root, data, triage) as mesh:
        yield mesh.triage, mesh.store_url


def guardrail_trips(service: AgentService, guardrail: str) -> float:
    """The agent's ``deskmesh_guardrail_trips_total`` for one guardrail (its /metrics value)."""
    labels = {"agent": service.spec.name, "guardrail": guardrail}
    value = service.metrics.registry.get_sample_value("deskmesh_guardrail_trips_total", labels)
    return value or 0.0


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
