"""The HTTP bindings' media types (agents/runtime/media_types.py): a JSON-RPC request declared
as something other than JSON is 415 and does nothing; REST answers ``application/json`` to a
client that speaks it and ``application/a2a+json`` otherwise, with the same JSON.

A real orders agent on 127.0.0.1."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from agents.runtime.media_types import preferred_json
from agents.runtime.service import AgentService
from protocol.binding import tasks_bucket
from protocol.cards import JSONRPC_PATH, REST_PATH
from tests.helpers import message_params, nats_connection, rpc, skill_message

V1 = {"A2A-Version": "1.0"}


def _send_body() -> dict[str, Any]:
    return message_params(skill_message("get_order_details", {"order_id": "#W1000004"}))


async def _stored_tasks(agent: AgentService) -> int:
    """How many tasks the agent's task bucket holds."""
    async with nats_connection(agent.settings.nats_url) as nc:
        kv = await nc.jetstream().key_value(tasks_bucket("orders", agent.settings.subject_prefix))
        status = await kv.status()
        return int(status.values)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "text/json"]
)
async def test_a_jsonrpc_request_that_is_not_json_is_415(
    orders_agent: AgentService, content_type: str
) -> None:
    params = _send_body()
    before = await _stored_tasks(orders_agent)
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            orders_agent.base_url + JSONRPC_PATH,
            content=json.dumps(rpc("SendMessage", params)).encode(),
            headers={**V1, "content-type": content_type},
        )
        assert response.status_code == 415
        assert response.headers["accept-post"] == "application/json"
        assert "application/json" in response.text
    assert await _stored_tasks(orders_agent) == before  # nothing was created


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "application/a2a+json", None],
)
async def test_a_jsonrpc_request_in_json_is_served(
    orders_agent: AgentService, content_type: str | None
) -> None:
    headers = dict(V1)
    if content_type is not None:
        headers["content-type"] = content_type
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            orders_agent.base_url + JSONRPC_PATH,
            content=json.dumps(rpc("SendMessage", _send_body())).encode(),
            headers=headers,
        )
    assert response.status_code == 200
    assert response.json()["result"]["task"]["status"]["state"] == "TASK_STATE_COMPLETED"
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("request_headers", "answered"),
    [
        ({"content-type": "application/json"}, "application/json"),
        ({"content-type": "application/a2a+json"}, "application/a2a+json"),
        ({"content-type": "application/json", "accept": "application/a2a+json"}, "a2a"),
        ({"content-type": "application/a2a+json", "accept": "application/json"}, "json"),
    ],
)
async def test_rest_answers_in_the_json_type_the_client_speaks(
    orders_agent: AgentService, request_headers: dict[str, str], answered: str
) -> None:
    wanted = {"a2a": "application/a2a+json", "json": "application/json"}.get(answered, answered)
    async with httpx.AsyncClient(timeout=30) as http:
        sent = await http.post(
            f"{orders_agent.base_url}{REST_PATH}/message:send",
            content=json.dumps(_send_body()).encode(),
            headers={**V1, **request_headers},
        )
        task = sent.json()["task"]
        read = await http.get(
            f"{orders_agent.base_url}{REST_PATH}/tasks/{task['id']}",
            headers={**V1, "accept": wanted},
        )
        missing = await http.get(
            f"{orders_agent.base_url}{REST_PATH}/tasks/no-such-task",
            headers={**V1, "accept": wanted},
        )
    assert sent.status_code == 200 and task["status"]["state"] == "TASK_STATE_COMPLETED"
    for response in (sent, read):
        assert response.headers["content-type"].split(";")[0] == wanted
        assert "Accept" in response.headers["vary"]
    assert read.json()["id"] == task["id"]
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 404


def test_preference_follows_accept_then_the_request_body() -> None:
    assert preferred_json("*/*", "application/json") == "application/json"
    assert preferred_json("", "") == "application/a2a+json"  # the SDK's (A2A 1.0.1) default
    assert preferred_json("application/json;q=0.5, application/a2a+json", "") == (
        "application/a2a+json"
    )
    assert preferred_json("application/a2a+json;q=0.2, application/json", "") == (
        "application/json"
    )
    assert preferred_json("application/json, application/a2a+json", "") == "application/a2a+json"
    assert preferred_json("application/json;q=0", "application/json") == "application/a2a+json"
