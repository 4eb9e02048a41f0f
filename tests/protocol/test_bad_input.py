"""Bad input on both bindings gets its spec error, changes nothing, and the agent keeps serving."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from agents.runtime.service import AgentService
from protocol.cards import JSONRPC_PATH
from tests.helpers import http_rpc, message_params, nats_connection, nats_rpc, rpc, skill_message

V1 = {"A2A-Version": "1.0"}
Call = Callable[[bytes | dict[str, Any], dict[str, str] | None], Awaitable[dict[str, Any]]]


@pytest.fixture(params=["http", "nats"])
async def call(request: pytest.FixtureRequest, orders_agent: AgentService, nats_url: str):
    if request.param == "http":
        url = orders_agent.base_url + JSONRPC_PATH

        async def via_http(body: bytes | dict[str, Any], headers: dict[str, str] | None) -> Any:
            return await http_rpc(url, body, headers)

        yield via_http
        return
    assert orders_agent.nats_server is not None
    subject = orders_agent.nats_server.subject
    async with nats_connection(nats_url) as nc:

        async def via_nats(body: bytes | dict[str, Any], headers: dict[str, str] | None) -> Any:
            return await nats_rpc(nc, subject, body, headers)

        yield via_nats


CASES: list[tuple[str, bytes | dict[str, Any], dict[str, str] | None, int]] = [
    ("invalid json", b'{"jsonrpc": "2.0", "id": 1, "method": ', V1, -32700),
    ("batch", b"[]", V1, -32600),
    ("not an object", b'"GetTask"', V1, -32600),
    ("wrong jsonrpc version", {"jsonrpc": "1.0", "id": 1, "method": "GetTask"}, V1, -32600),
    ("unknown method", rpc("tasks/get", {"id": "x"}), V1, -32601),
    ("invalid params", rpc("GetTask", {"id": {"nested": True}}), V1, -32602),
    ("missing A2A-Version", rpc("GetTask", {"id": "nope"}), None, -32009),
    ("unsupported A2A-Version", rpc("GetTask", {"id": "nope"}), {"A2A-Version": "9.9"}, -32009),
    ("unknown task", rpc("GetTask", {"id": "no-such-task"}), V1, -32001),
    ("cancel unknown task", rpc("CancelTask", {"id": "no-such-task"}), V1, -32001),
    (
        "push config on an unknown task",
        rpc("CreateTaskPushNotificationConfig", {"taskId": "t", "url": "http://127.0.0.1:9/x"}),
        V1,
        -32001,
    ),
    ("oversized payload", rpc("GetTask", {"id": "x" * (100 * 1024)}), V1, -32600),
]


@pytest.mark.parametrize(("name", "body", "headers", "code"), CASES, ids=[c[0] for c in CASES])
async def test_bad_request_gets_its_error(
    call: Call, name: str, body: bytes | dict[str, Any], headers: dict[str, str] | None, code: int
) -> None:
    response = await call(body, headers)
    assert response["error"]["code"] == code, response
    assert "result" not in response
    if name == "oversized payload":
        assert response["error"]["message"] == "Payload too large"


async def test_agent_keeps_serving_after_bad_input(call: Call) -> None:
    for _, body, headers, _ in CASES:
        await call(body, headers)
    message = skill_message("get_order_details", {"order_id": "#W1000001"})
    response = await call(rpc("SendMessage", message_params(message)), V1)
    task = response["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"
    result = task["artifacts"][0]["parts"][0]["data"]
    assert result["ok"] is True
    assert result["data"]["order"]["order_id"] == "#W1000001"


async def test_malformed_skill_call_is_rejected_not_crashed(call: Call) -> None:
    message = skill_message("get_order_details", {"order_id": "not-an-order"})
    response = await call(rpc("SendMessage", message_params(message)), V1)
    task = response["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_REJECTED"
    assert json.dumps(task).count("invalid_arguments") == 1
