"""A real A2A 0.3 client (a2a-sdk 0.3.26 in its own venv, installed by ``make interop-clients``)
resolves an agent's card and sends, gets, streams and cancels on both HTTP bindings, while the
same endpoints keep serving 1.0. Real agent, NATS, HTTP, SQLite, a separate client process."""

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


async def _run_client(base_url: str, transport: str) -> dict[str, Any]:
    if not CLIENT_PYTHON.exists():
        pytest.fail(f"{CLIENT_PYTHON} is missing: run `make interop-clients`")
    process = await asyncio.create_subprocess_exec(
        str(CLIENT_PYTHON),
        str(Path(__file__).with_name("a2a03_client.py")),
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
async def test_a_0_3_client_sends_gets_streams_and_cancels(
    agent: AgentService, transport: str
) -> None:
    seen = await _run_client(agent.base_url, transport)
    assert seen["card"] == {
        "url": agent.base_url + JSONRPC_PATH,
        "transport": "JSONRPC",
        "version": "0.3",
    }
    assert seen["send"] == "completed"
    assert seen["get"] == [True, "completed"]
    state, kinds = seen["stream"]
    assert state == "completed" and kinds[0] == "Task" and len(kinds) > 1
    assert seen["asked"] == "input-required"
    assert seen["cancel"] == "canceled"


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
