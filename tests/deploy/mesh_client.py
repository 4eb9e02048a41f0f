"""Talking to the compose-equivalent mesh the way a third-party A2A client does (HTTP)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from a2a.client import A2ACardResolver, Client, ClientConfig, create_client
from a2a.types import GetTaskRequest, SendMessageRequest, Task
from google.protobuf.json_format import MessageToDict

from agents.runtime.auth import client_headers
from deskmesh.ask import ticket_message

SPECIALISTS = ("orders", "billing", "escalation")


def edge_api_key() -> str:
    """The compose mesh's edge API key (its first accepted key; development default)."""
    from tests.deploy.compose import load_compose, service_env

    keys = service_env(load_compose()["services"]["triage"]).get("DESKMESH_EDGE_API_KEYS", "")
    return keys.split(",")[0]


async def triage_client(
    http: httpx.AsyncClient, url: str, *, published_at: str | None = None
) -> Client:
    """A client of triage's card at ``url``. ``published_at``: the base URL the card names
    (``DESKMESH_PUBLIC_URL``), when it is a name inside a container network that only reaches
    the client through a published port (``url``)."""
    card = await A2ACardResolver(http, url).get_agent_card()
    if published_at is not None:
        for interface in card.supported_interfaces:
            interface.url = interface.url.replace(published_at, url, 1)
    if card.security_schemes:  # guardrails: the compose mesh has edge auth on
        http.headers.update(client_headers("api_key", edge_api_key()))
    return await create_client(card, client_config=ClientConfig(httpx_client=http, streaming=False))


async def send_ticket(client: Client, text: str, customer: str) -> Task:
    responses = [
        r
        async for r in client.send_message(
            SendMessageRequest(message=ticket_message(text, customer, None))
        )
    ]
    final = responses[-1]
    if final.HasField("task"):
        return final.task
    return await client.get_task(GetTaskRequest(id=responses[0].task.id))


def delegations(task: Task) -> list[dict[str, Any]]:
    for artifact in task.artifacts:
        for part in artifact.parts:
            if part.HasField("data"):
                return list(MessageToDict(part.data).get("delegations", []))
    return []


def wait_for_directory(triage_url: str, agents: tuple[str, ...], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=5) as http:
        while True:
            listed = {e["agent"] for e in http.get(f"{triage_url}/directory").json()["agents"]}
            if set(agents) <= listed:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"directory lists {sorted(listed)}, not {agents}")
            time.sleep(0.1)


async def until_listed(
    http: httpx.AsyncClient, triage_url: str, agents: tuple[str, ...] = SPECIALISTS,
    timeout_s: float = 60,
) -> None:  # fmt: skip
    """Until triage's directory lists ``agents`` (async twin of wait_for_directory)."""
    async with asyncio.timeout(timeout_s):
        while True:
            response = await http.get(f"{triage_url}/directory")
            if set(agents) <= {e["agent"] for e in response.json()["agents"]}:
                return
            await asyncio.sleep(0.5)
