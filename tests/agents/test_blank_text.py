"""A message whose text part is empty or only whitespace is invalid params on every agent and
every binding (-32602 on JSON-RPC and NATS, 400 on REST), creates no task and changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from agents.runtime.service import AgentService
from agents.triage.agent import SPEC as TRIAGE
from protocol.cards import JSONRPC_PATH, REST_PATH
from store import Store, canonical
from tests.helpers import agent_settings, nats_connection, nats_rpc, rpc, running_agent

V1 = {"A2A-Version": "1.0", "content-type": "application/json"}
BLANK = {"empty": "", "spaces": "   ", "whitespace": " \n\t "}
AGENTS = ("orders", "billing", "escalation", "triage")
BINDINGS = ("jsonrpc", "rest", "nats")


@pytest.fixture(scope="module")
async def agents(
    specialists: dict[str, AgentService],
    nats_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    module_prefix: str,
    demo_url: str,
) -> AsyncIterator[dict[str, AgentService]]:
    settings = agent_settings(nats_url, tmp_path_factory.mktemp("triage"), module_prefix, demo_url)
    async with running_agent(TRIAGE, settings) as triage:
        yield {**specialists, "triage": triage}


def send_params(*texts: str) -> dict[str, Any]:
    parts = [{"text": text} for text in texts]
    return {"message": {"messageId": str(uuid.uuid4()), "role": "ROLE_USER", "parts": parts}}


async def send(service: AgentService, binding: str, params: dict[str, Any], nats_url: str) -> Any:
    """(HTTP status or None, JSON-RPC error code or None, the answer) of one SendMessage."""
    if binding == "nats":
        assert service.nats_server is not None
        async with nats_connection(nats_url) as nc:
            answer = await nats_rpc(nc, service.nats_server.subject, rpc("SendMessage", params), V1)
        return None, answer.get("error", {}).get("code"), answer
    async with httpx.AsyncClient(timeout=60) as http:
        if binding == "rest":
            response = await http.post(
                service.base_url + REST_PATH + "/message:send", json=params, headers=V1
            )
            return response.status_code, None, response.json()
        response = await http.post(
            service.base_url + JSONRPC_PATH, json=rpc("SendMessage", params), headers=V1
        )
    answer = response.json()
    return response.status_code, answer.get("error", {}).get("code"), answer


@pytest.mark.parametrize("binding", BINDINGS)
@pytest.mark.parametrize("agent", AGENTS)
async def test_a_blank_text_part_is_invalid_params(
    agents: dict[str, AgentService], nats_url: str, store: Store, agent: str, binding: str
) -> None:
    before = canonical(await store.export())
    for name, text in BLANK.items():
        for params in (send_params(text), send_params("where is my order #W1000001?", text)):
            status, code, answer = await send(agents[agent], binding, params, nats_url)
            if binding == "rest":
                assert status == 400, (name, answer)
                assert answer["error"]["status"] == "INVALID_ARGUMENT", answer
            else:
                assert code == -32602, (name, answer)
                assert "result" not in answer
            assert "text part without text" in str(answer), answer
    assert canonical(await store.export()) == before


@pytest.mark.parametrize("agent", AGENTS)
async def test_the_agent_still_serves_a_message_with_text(
    agents: dict[str, AgentService], nats_url: str, agent: str
) -> None:
    for binding in BINDINGS:
        status, code, answer = await send(agents[agent], binding, send_params("hello"), nats_url)
        assert code is None and status in (None, 200), answer
        task = answer["result"]["task"] if binding != "rest" else answer["task"]
        assert task["status"]["state"].startswith("TASK_STATE_"), task


@pytest.mark.parametrize("binding", ["jsonrpc", "nats"])
@pytest.mark.parametrize("arguments", [None, ["not", "an", "object"], "text"])
async def test_a_malformed_skill_call_is_refused_not_an_internal_error(
    agents: dict[str, AgentService], nats_url: str, binding: str, arguments: Any
) -> None:
    data = {"skill": "get_order_details", "arguments": arguments}
    part = {"mediaType": "application/vnd.deskmesh.skill-call+json", "data": data}
    params = {"message": {"messageId": str(uuid.uuid4()), "role": "ROLE_USER", "parts": [part]}}
    _, code, answer = await send(agents["orders"], binding, params, nats_url)
    assert code is None, answer  # the fuzz found -32603 here (the tracing wrapper raised)
    assert answer["result"]["task"]["status"]["state"] == "TASK_STATE_REJECTED"
