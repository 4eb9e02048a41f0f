"""Third-party A2A clients, each in a process of its own, resolve an agent's card and send, get,
stream and cancel on both HTTP bindings: a2a-sdk 0.3.26 (Python, its own venv), @a2a-js/sdk
1.3.0 and 0.3.14 (Node), all installed by ``make interop-clients``. Real agent, NATS, HTTP,
SQLite."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from protocol.cards import JSONRPC_PATH
from store import Store, generate_demo
from tests.helpers import agent_settings, rpc, running_agent

ROOT = Path(__file__).resolve().parents[2]
CLIENT_PYTHON = Path(os.environ.get("DESKMESH_A2A03_PYTHON", ROOT / ".venv-a2a03/bin/python"))
JS = Path(__file__).with_name("js")
CLIENTS = {
    "python-a2a-sdk-0.3": [CLIENT_PYTHON, Path(__file__).with_name("a2a03_client.py")],
    "js-a2a-sdk-1.3": ["node", JS / "client-1.mjs"],
    "js-a2a-sdk-0.3": ["node", JS / "client-03.mjs"],
}
LIAM = "liam_chen_1002"


@pytest.fixture(scope="module")
async def agent(
    nats_url: str, tmp_path_factory: pytest.TempPathFactory, run_id: str
) -> AsyncIterator[AgentService]:
    root = tmp_path_factory.mktemp("a2a03")
    url = f"sqlite+aiosqlite:///{root / 'store.db'}"
    async with Store(url) as store:
        await store.reset(generate_demo())
    settings = agent_settings(nats_url, root, f"i03{run_id}", url)
    async with running_agent(ORDERS, settings) as service:
        yield service


def _state(name: str) -> str:
    """One spelling of a task state across SDKs (``TASK_STATE_CANCELED``, ``canceled``)."""
    return name.lower().removeprefix("task_state_").replace("_", "-")


async def _run_client(client: str, base_url: str, transport: str) -> dict[str, Any]:
    program, script = CLIENTS[client]
    if not (Path(program).exists() if program != "node" else (JS / "node_modules").exists()):
        pytest.fail(f"{client} is not installed: run `make interop-clients`")
    process = await asyncio.create_subprocess_exec(
        str(program),
        str(script),
        base_url,
        transport,
        LIAM,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()[-3000:]
    return json.loads(out)


@pytest.mark.parametrize("transport", ["JSONRPC", "HTTP+JSON"])
@pytest.mark.parametrize("client", list(CLIENTS))
async def test_a_client_sends_gets_streams_and_cancels(
    agent: AgentService, client: str, transport: str
) -> None:
    seen = await _run_client(client, agent.base_url, transport)
    if "card" in seen:  # the Python 0.3 client reports the card's 0.3 fields it read
        assert seen["card"] == {
            "url": agent.base_url + JSONRPC_PATH,
            "transport": "JSONRPC",
            "version": "0.3",
        }
    assert _state(seen["send"]) == "completed"
    assert seen["get"][0] is True and _state(seen["get"][1]) == "completed"
    state, kinds = seen["stream"]
    assert _state(state) == "completed" and kinds[0].lower() == "task" and len(kinds) > 1
    assert _state(seen["asked"]) == "input-required"
    assert _state(seen["cancel"]) == "canceled"


async def test_unversioned_requests_are_0_3_and_versioned_ones_1_0(agent: AgentService) -> None:
    url = agent.base_url + JSONRPC_PATH
    get = {"id": "missing"}
    async with httpx.AsyncClient(timeout=30) as http:
        legacy = (await http.post(url, json=rpc("tasks/get", get))).json()
        current = (await http.post(url, json=rpc("GetTask", get), headers=V1)).json()
        legacy_as_1_0 = (await http.post(url, json=rpc("tasks/get", get), headers=V1)).json()
        current_unversioned = (await http.post(url, json=rpc("GetTask", get))).json()
    assert legacy["error"]["code"] == current["error"]["code"] == -32001  # task not found
    assert legacy_as_1_0["error"]["code"] == -32601  # no such method in 1.0
    assert current_unversioned["error"]["code"] == -32009  # a 1.0 method asked for as 0.3


V1 = {"A2A-Version": "1.0"}
