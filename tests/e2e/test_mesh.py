"""End to end: real agent processes, real NATS, real SQLite, real HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from a2a.client import A2ACardResolver, Client, ClientConfig, create_client
from a2a.helpers import get_artifact_text, get_message_text
from a2a.types import GetTaskRequest, SendMessageRequest, Task, TaskState
from google.protobuf.json_format import MessageToDict

from deskmesh.ask import ticket_message
from deskmesh.runner import Mesh
from protocol.cards import card_from_dict
from protocol.client import NatsTransport, create_client_factory
from tests.e2e.conftest import CARD_TTL_S
from tests.helpers import nats_connection, skill_message

CUSTOMER = "ava_moreno_1001"
TICKET = "Where is my order #W1000001? And which cards do I have on file?"


def _directory(mesh: Mesh) -> dict[str, Any]:
    with httpx.Client(timeout=5) as http:
        return mesh.live_agents(http)


def _card(mesh: Mesh, agent: str) -> Any:
    return card_from_dict(_directory(mesh)[agent]["card"])


@pytest.fixture
async def mesh_clients(mesh: Mesh, nats_url: str) -> AsyncIterator[dict[str, Any]]:
    """Clients as a mesh member has them: NATS preferred, cards from the directory. They connect
    as triage, so they may read the specialists' tasks triage's delegations created."""
    async with (
        httpx.AsyncClient(timeout=60) as http,
        nats_connection(nats_url, as_agent="triage") as nc,
    ):
        factory = create_client_factory(nc, httpx_client=http, streaming=False, timeout_s=60)
        yield {name: factory.create(_card(mesh, name)) for name in mesh.agents}


async def _send(client: Client, message: Any) -> Task:
    responses = [r async for r in client.send_message(SendMessageRequest(message=message))]
    final = responses[-1]
    if final.HasField("task"):
        return final.task
    return await client.get_task(GetTaskRequest(id=responses[0].task.id))


def _reply(task: Task) -> str:
    return "\n".join(get_artifact_text(a) for a in task.artifacts if a.name == "reply")


def _delegations(task: Task) -> list[dict[str, Any]]:
    for artifact in task.artifacts:
        for part in artifact.parts:
            if part.HasField("data"):
                return MessageToDict(part.data)["delegations"]
    return []


async def test_ticket_reaches_specialists_over_nats_and_back(
    mesh_clients: dict[str, Any],
) -> None:
    triage = mesh_clients["triage"]
    assert isinstance(triage._transport, NatsTransport)  # noqa: SLF001
    task = await _send(triage, ticket_message(TICKET, CUSTOMER, None))
    assert task.status.state == TaskState.TASK_STATE_COMPLETED
    delegations = _delegations(task)
    assert {(d["agent"], d["skill"]) for d in delegations} == {
        ("orders", "get_order_details"),
        ("billing", "get_payment_methods"),
    }
    assert all(d["ok"] for d in delegations)
    reply = _reply(task)
    assert "#W1000001" in reply and "ending" in reply
    # The specialists' own tasks exist and report what the reply words for the customer.
    orders_task_id = next(d["task_id"] for d in delegations if d["agent"] == "orders")
    orders_task = await mesh_clients["orders"].get_task(GetTaskRequest(id=orders_task_id))
    assert orders_task.status.state == TaskState.TASK_STATE_COMPLETED
    specialist = get_artifact_text(orders_task.artifacts[0])
    assert "#W1000001 is pending" in specialist and "#W1000001 (" in reply and "is pending" in reply


async def test_third_party_http_client_gets_the_same_result(
    mesh: Mesh, mesh_clients: dict[str, Any]
) -> None:
    over_nats = await _send(mesh_clients["triage"], ticket_message(TICKET, CUSTOMER, None))
    async with httpx.AsyncClient(timeout=60) as http:
        card = await A2ACardResolver(http, mesh.triage_url).get_agent_card()
        client = await create_client(card, client_config=ClientConfig(httpx_client=http))
        over_http = await _send(client, ticket_message(TICKET, CUSTOMER, None))
    assert over_http.status.state == over_nats.status.state == TaskState.TASK_STATE_COMPLETED
    assert _reply(over_http) == _reply(over_nats)


async def test_ambiguous_ticket_asks_once_then_completes(mesh_clients: dict[str, Any]) -> None:
    triage = mesh_clients["triage"]
    first = await _send(triage, ticket_message("where is my order?", CUSTOMER, None))
    assert first.status.state == TaskState.TASK_STATE_INPUT_REQUIRED
    question = get_message_text(first.status.message)
    assert all(order in question for order in ("#W1000001", "#W1000002", "#W1000003"))
    second = await _send(triage, ticket_message("the sunglasses one, #W1000002", CUSTOMER, first))
    assert second.id == first.id
    assert second.status.state == TaskState.TASK_STATE_COMPLETED
    assert [d["arguments"]["order_id"] for d in _delegations(second)] == ["#W1000002"]


async def test_other_customers_order_is_refused(mesh_clients: dict[str, Any]) -> None:
    task = await _send(
        mesh_clients["orders"],
        skill_message(
            "get_order_details",
            {"order_id": "#W1000001"},
            ticket_id="t-x",
            customer_id="someone_else",
        ),
    )
    assert task.status.state == TaskState.TASK_STATE_REJECTED
    result = MessageToDict(task.artifacts[0].parts[0].data)
    assert result["ok"] is False and result["error_code"] == "not_owner"
    assert "data" not in result or result["data"] is None


async def test_task_survives_an_agent_restart(mesh: Mesh, mesh_clients: dict[str, Any]) -> None:
    orders = mesh_clients["orders"]
    before = await _send(orders, skill_message("get_order_details", {"order_id": "#W1000003"}))
    assert before.status.state == TaskState.TASK_STATE_COMPLETED
    assert mesh.stop_agent("orders") == 0
    mesh.start_agent("orders")
    await asyncio.to_thread(mesh.wait_until_live, 60)
    after = await orders.get_task(GetTaskRequest(id=before.id))
    assert (after.id, after.context_id) == (before.id, before.context_id)
    assert after.status.state == TaskState.TASK_STATE_COMPLETED
    assert get_artifact_text(after.artifacts[0]) == get_artifact_text(before.artifacts[0])


def test_killed_agent_leaves_the_directory_and_comes_back(mesh: Mesh) -> None:
    assert "billing" in _directory(mesh)
    mesh.stop_agent("billing", kill=True)
    killed_at = time.monotonic()
    deadline = killed_at + 15
    while "billing" in _directory(mesh):
        assert time.monotonic() < deadline, "killed agent still listed after 15 s"
        time.sleep(0.2)
    gone_after = time.monotonic() - killed_at
    assert gone_after <= CARD_TTL_S + 1.0
    mesh.start_agent("billing")
    mesh.wait_until_live(60)
    assert "billing" in _directory(mesh)


def test_cli_ask_and_agents(mesh: Mesh) -> None:
    env = {**os.environ, "DESKMESH_TRIAGE_URL": mesh.triage_url}
    cli = [sys.executable, "-m", "deskmesh.cli"]
    ask = subprocess.run(
        [*cli, "ask", TICKET, "--customer", CUSTOMER],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "… orders: get_order_details #W1000001" in ask.stdout
    assert "[completed] Order #W1000001 (" in ask.stdout and "is pending" in ask.stdout
    agents = subprocess.run(
        [*cli, "agents"], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    for name in ("triage", "billing", "orders", "escalation"):
        assert name in agents.stdout


def test_up_serves_until_interrupted_and_leaves_no_process(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DESKMESH_NATS_URL"}
    env["PYTHONUNBUFFERED"] = "1"
    up = subprocess.Popen(
        [sys.executable, "-m", "deskmesh.cli", "--var", str(tmp_path), "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert up.stdout is not None
    lines = []
    for line in up.stdout:
        lines.append(line)
        if "Ctrl-C stops the mesh" in line:
            break
    output = "".join(lines)
    assert "deskmesh ask" in output
    for name in ("triage", "billing", "orders", "escalation"):
        assert f"a2a.{name}.rpc" in output
    mesh_file = json.loads((tmp_path / "mesh.json").read_text())
    pids = [a["pid"] for a in mesh_file["agents"].values()] + [mesh_file["nats_pid"]]
    up.send_signal(signal.SIGINT)
    assert up.wait(60) == 0
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not (tmp_path / "mesh.json").exists()
