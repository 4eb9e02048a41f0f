"""The same requests over JSON-RPC/HTTP and over NATS give equivalent tasks, errors and streams."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from a2a.client import Client
from a2a.types import (
    CancelTaskRequest,
    GetTaskRequest,
    ListTasksRequest,
    SendMessageRequest,
    SubscribeToTaskRequest,
)
from a2a.utils.errors import (
    A2AError,
    TaskNotCancelableError,
    TaskNotFoundError,
    UnsupportedOperationError,
)
from google.protobuf.json_format import MessageToDict

from agents.runtime.service import AgentService
from protocol.client import NatsTransport, create_client_factory
from tests.helpers import nats_connection, skill_message, text_message

VOLATILE = {"id", "taskId", "contextId", "messageId", "artifactId", "timestamp"}


def normalized(value: Any) -> Any:
    """Drop generated ids and timestamps so two runs of one request compare equal."""
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    return value


@pytest.fixture
async def clients(orders_agent: AgentService, nats_url: str) -> AsyncIterator[dict[str, Client]]:
    assert orders_agent.card is not None
    async with httpx.AsyncClient(timeout=30) as http, nats_connection(nats_url) as nc:
        over_http = create_client_factory(None, httpx_client=http, streaming=False)
        over_nats = create_client_factory(nc, httpx_client=http, streaming=False)
        yield {
            "http": over_http.create(orders_agent.card),
            "nats": over_nats.create(orders_agent.card),
        }


@pytest.fixture
async def streaming_clients(
    orders_agent: AgentService, nats_url: str
) -> AsyncIterator[dict[str, Client]]:
    assert orders_agent.card is not None
    async with httpx.AsyncClient(timeout=30) as http, nats_connection(nats_url) as nc:
        yield {
            "http": create_client_factory(None, httpx_client=http).create(orders_agent.card),
            "nats": create_client_factory(nc, httpx_client=http).create(orders_agent.card),
        }


async def _send(client: Client, message: Any) -> dict[str, Any]:
    responses = [r async for r in client.send_message(SendMessageRequest(message=message))]
    assert len(responses) == 1
    return MessageToDict(responses[0])


async def _error(call: Any) -> type[A2AError]:
    with pytest.raises(A2AError) as caught:
        await call
    return type(caught.value)


def test_mesh_client_picks_nats_and_third_party_client_picks_http(
    clients: dict[str, Client],
) -> None:
    assert isinstance(clients["nats"]._transport, NatsTransport)  # noqa: SLF001
    assert not isinstance(clients["http"]._transport, NatsTransport)  # noqa: SLF001


@pytest.mark.parametrize(
    "message_factory",
    [
        lambda: skill_message("get_order_details", {"order_id": "#W1000001"}),
        lambda: skill_message("get_order_details", {"order_id": "#W9999999"}),
        lambda: skill_message("no_such_skill"),
        lambda: text_message("where is my order #W1000002?"),
        lambda: text_message("hello there"),
    ],
    ids=["read", "not-found", "unknown-skill", "free-text", "needs-input"],
)
async def test_send_message_is_equivalent(clients: dict[str, Client], message_factory: Any) -> None:
    results = {name: await _send(client, message_factory()) for name, client in clients.items()}
    assert normalized(results["http"]) == normalized(results["nats"])
    assert results["nats"]["task"]["status"]["state"].startswith("TASK_STATE_")


async def test_get_list_and_errors_are_equivalent(clients: dict[str, Client]) -> None:
    """Each binding reads its own caller's task alike. The callers differ (NATS: the calling
    connection's inbox; HTTP here: anonymous, edge auth off), so each sees only its own task,
    and the anonymous caller's ListTasks is empty (agents/runtime/task_access.py)."""
    created = {
        name: await _send(c, skill_message("get_order_details", {"order_id": "#W1000001"}))
        for name, c in clients.items()
    }
    ids = {name: task["task"]["id"] for name, task in created.items()}
    got = {
        name: MessageToDict(await c.get_task(GetTaskRequest(id=ids[name])))
        for name, c in clients.items()
    }
    assert normalized(got["http"]) == normalized(got["nats"])
    assert got["nats"]["id"] == ids["nats"]

    listed = {
        name: MessageToDict(await c.list_tasks(ListTasksRequest(page_size=100)))
        for name, c in clients.items()
    }
    assert {t["id"] for t in listed["nats"]["tasks"]} == {ids["nats"]}
    assert listed["http"].get("tasks", []) == []

    for name, client in clients.items():
        other = ids["http" if name == "nats" else "nats"]
        assert await _error(client.get_task(GetTaskRequest(id="missing"))) is TaskNotFoundError
        assert await _error(client.get_task(GetTaskRequest(id=other))) is TaskNotFoundError, name
        assert (
            await _error(client.cancel_task(CancelTaskRequest(id=ids[name])))
            is TaskNotCancelableError
        ), name


async def test_streams_are_equivalent(streaming_clients: dict[str, Client]) -> None:
    streams = {}
    for name, client in streaming_clients.items():
        message = skill_message("get_order_details", {"order_id": "#W1000001"})
        events = [
            MessageToDict(r) async for r in client.send_message(SendMessageRequest(message=message))
        ]
        streams[name] = events
    kinds = [next(iter(e)) for e in streams["nats"]]
    assert kinds[0] == "task"
    assert kinds[-1] == "statusUpdate"
    assert streams["nats"][-1]["statusUpdate"]["status"]["state"] == "TASK_STATE_COMPLETED"
    assert normalized(streams["http"]) == normalized(streams["nats"])


async def test_subscribe_to_finished_task_is_equivalent(
    streaming_clients: dict[str, Client],
) -> None:
    message = skill_message("get_order_details", {"order_id": "#W1000001"})
    events = [
        r async for r in streaming_clients["nats"].send_message(SendMessageRequest(message=message))
    ]
    task_id = events[0].task.id
    for client in streaming_clients.values():
        with pytest.raises(A2AError) as caught:
            async for _ in client.subscribe(SubscribeToTaskRequest(id=task_id)):
                pass
        assert type(caught.value) is UnsupportedOperationError


async def test_stream_caller_that_stops_listening_leaves_nothing_behind(
    orders_agent: AgentService, streaming_clients: dict[str, Client]
) -> None:
    server = orders_agent.nats_server
    assert server is not None
    client = streaming_clients["nats"]
    first = await _send_blocking(orders_agent, text_message("hello there"))
    assert first["task"]["status"]["state"] == "TASK_STATE_INPUT_REQUIRED"
    # An input-required task has no end yet, so this subscription would stream forever.
    stream = client.subscribe(SubscribeToTaskRequest(id=first["task"]["id"]))
    event = await anext(stream)
    assert event.task.id == first["task"]["id"]
    assert server.in_flight == 1
    await stream.aclose()
    await asyncio.wait_for(server.wait_idle(), timeout=15)
    assert server.in_flight == 0


async def _send_blocking(agent: AgentService, message: Any) -> dict[str, Any]:
    assert agent.card is not None
    async with httpx.AsyncClient(timeout=30) as http:
        client = create_client_factory(None, httpx_client=http, streaming=False).create(agent.card)
        return await _send(client, message)
