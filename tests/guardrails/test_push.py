"""Push notifications (agents/runtime/push.py): a webhook gets the task's events with its
credentials, configs belong to their caller on both HTTP bindings, webhook URLs outside the
allow-list are refused and nothing is stored, and replicas share the configs (JetStream and SQL).

Real orders agents (edge auth on, two keys), a real webhook receiver on 127.0.0.1, real NATS with
JetStream and SQLite."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from a2a.server.context import ServerCallContext
from a2a.server.tasks import InMemoryPushNotificationConfigStore
from a2a.types import Task, TaskPushNotificationConfig
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agents.orders.agent import SPEC as ORDERS
from agents.runtime.push import (
    MAX_CONFIGS_PER_TASK,
    PushUrlPolicy,
    ScrubbingPushSender,
    allowed_hosts,
)
from agents.runtime.service import AgentService
from protocol.binding import rpc_subject
from protocol.capabilities import CAPABILITY_EXTENSION_URI
from protocol.cards import JSONRPC_PATH, REST_PATH
from tests.helpers import (
    agent_settings,
    message_params,
    nats_connection,
    nats_rpc,
    rpc,
    running_agent,
    skill_message,
)

KEY_1, KEY_2 = "push-key-one", "push-key-two"
LIAM, LIAM_PENDING = "liam_chen_1002", "#W1000004"
STREAM_PAYLOADS = {"task", "message", "statusUpdate", "artifactUpdate"}
TERMINAL = {"TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_REJECTED"}


@dataclass
class Webhook:
    """A real HTTP receiver: every POST it gets, in order."""

    url: str = ""
    received: asyncio.Queue[tuple[dict[str, str], dict[str, Any]]] = field(
        default_factory=asyncio.Queue
    )

    async def _post(self, request: Request) -> Response:
        await self.received.put((dict(request.headers), await request.json()))
        return Response(status_code=204)

    async def until_terminal(self) -> list[tuple[dict[str, str], dict[str, Any]]]:
        got = []
        while True:
            headers, body = await asyncio.wait_for(self.received.get(), timeout=20)
            got.append((headers, body))
            state = (body.get("statusUpdate") or body.get("task") or {}).get("status", {})
            if state.get("state") in TERMINAL:
                return got


@contextlib.asynccontextmanager
async def webhook() -> AsyncIterator[Webhook]:
    hook = Webhook()
    app = Starlette(routes=[Route("/hook", hook._post, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)  # connections wait in the backlog until uvicorn accepts them
    hook.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield hook
    finally:
        server.should_exit = True
        await serving
        sock.close()


def _settings(nats_url: str, var_dir: Path, prefix: str, store_url: str, **extra: Any) -> Any:
    return agent_settings(
        nats_url,
        var_dir,
        prefix,
        store_url,
        edge_auth="api_key",
        edge_api_keys=f"{KEY_1},{KEY_2}",
        push_allowed_hosts="127.0.0.1",
        **extra,
    )


@pytest.fixture(scope="module")
async def pushing(
    nats_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    guard_prefix: str,
    guard_store_url: str,
) -> AsyncIterator[AgentService]:
    settings = _settings(nats_url, tmp_path_factory.mktemp("push"), guard_prefix, guard_store_url)
    async with running_agent(ORDERS, settings) as service:
        yield service


def _headers(key: str) -> dict[str, str]:
    return {"A2A-Version": "1.0", "X-API-Key": key}


async def _jsonrpc(service: AgentService, key: str, method: str, params: dict[str, Any]) -> Any:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            service.base_url + JSONRPC_PATH, json=rpc(method, params), headers=_headers(key)
        )
    return response.json()


async def _task(service: AgentService, key: str) -> str:
    read = skill_message("get_order_details", {"order_id": LIAM_PENDING})
    sent = await _jsonrpc(service, key, "SendMessage", message_params(read))
    return str(sent["result"]["task"]["id"])


async def test_a_webhook_gets_every_event_with_its_credentials(pushing: AgentService) -> None:
    async with webhook() as hook:
        ticket = "tk-push-1"
        cancel = skill_message(
            "cancel_pending_order",
            {"order_id": LIAM_PENDING, "reason": "no longer needed"},
            ticket_id=ticket,
            customer_id=LIAM,
        )
        token = cancel.metadata[CAPABILITY_EXTENSION_URI]["token"]
        params = message_params(cancel)
        params["configuration"] = {
            "taskPushNotificationConfig": {
                "id": "my-hook",
                "url": hook.url,
                "token": "per-task-secret",
                "authentication": {"scheme": "Bearer", "credentials": "hook-credentials"},
            }
        }
        sent = await _jsonrpc(pushing, KEY_1, "SendMessage", params)
        task_id = sent["result"]["task"]["id"]
        deliveries = await hook.until_terminal()

    for headers, body in deliveries:
        assert headers["authorization"] == "Bearer hook-credentials"
        assert headers["x-a2a-notification-token"] == "per-task-secret"
        assert len(body) == 1 and set(body) <= STREAM_PAYLOADS, body  # one StreamResponse field
        payload = next(iter(body.values()))
        assert payload.get("taskId", payload.get("id")) == task_id
        assert token not in str(body)  # the capability never leaves in a notification
    assert deliveries[-1][1]["statusUpdate"]["status"]["state"] == "TASK_STATE_COMPLETED"


async def test_push_configs_belong_to_their_caller_on_both_bindings(
    pushing: AgentService,
) -> None:
    task_id = await _task(pushing, KEY_1)
    config = {"taskId": task_id, "id": "c1", "url": "http://127.0.0.1:9/hook"}
    created = await _jsonrpc(pushing, KEY_1, "CreateTaskPushNotificationConfig", config)
    assert created["result"]["id"] == "c1" and created["result"]["taskId"] == task_id
    rest = f"{pushing.base_url}{REST_PATH}/tasks/{task_id}/pushNotificationConfigs"
    async with httpx.AsyncClient(timeout=30) as http:
        own = await http.get(rest, headers=_headers(KEY_1))
        assert [c["id"] for c in own.json()["configs"]] == ["c1"]
        for method, url in (("GET", rest), ("GET", f"{rest}/c1"), ("DELETE", f"{rest}/c1")):
            other = await http.request(method, url, headers=_headers(KEY_2))
            assert other.status_code == 404, (method, url, other.text)  # not even its task
        created_by_other = await http.post(
            rest, json={"id": "c2", "url": "http://127.0.0.1:9/x"}, headers=_headers(KEY_2)
        )
        assert created_by_other.status_code == 404
    for method, params in (
        ("GetTaskPushNotificationConfig", {"taskId": task_id, "id": "c1"}),
        ("ListTaskPushNotificationConfigs", {"taskId": task_id}),
        ("DeleteTaskPushNotificationConfig", {"taskId": task_id, "id": "c1"}),
    ):
        answer = await _jsonrpc(pushing, KEY_2, method, params)
        assert answer["error"]["code"] == -32001, (method, answer)
    still = await _jsonrpc(pushing, KEY_1, "GetTaskPushNotificationConfig", config)
    assert still["result"]["url"] == config["url"]
    for _ in range(2):  # deleting twice is no error (idempotent)
        deleted = await _jsonrpc(pushing, KEY_1, "DeleteTaskPushNotificationConfig", config)
        assert "error" not in deleted
    gone = await _jsonrpc(pushing, KEY_1, "GetTaskPushNotificationConfig", config)
    assert gone["error"]["code"] == -32001


async def test_push_configs_belong_to_their_caller_on_nats(pushing: AgentService) -> None:
    subject = rpc_subject("orders", pushing.settings.subject_prefix)
    url = pushing.settings.nats_url

    async def call(agent: str, method: str, params: dict[str, Any]) -> Any:
        async with nats_connection(url, as_agent=agent) as nc:
            return await nats_rpc(nc, subject, rpc(method, params), {"A2A-Version": "1.0"})

    read = message_params(skill_message("get_order_details", {"order_id": LIAM_PENDING}))
    task_id = (await call("alpha", "SendMessage", read))["result"]["task"]["id"]
    config = {"taskId": task_id, "id": "n1", "url": "http://127.0.0.1:9/hook"}
    assert "result" in await call("alpha", "CreateTaskPushNotificationConfig", config)
    assert (await call("alpha", "GetTaskPushNotificationConfig", config))["result"]["id"] == "n1"
    for method in ("GetTaskPushNotificationConfig", "CreateTaskPushNotificationConfig"):
        assert (await call("beta", method, config))["error"]["code"] == -32001, method


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.7/hook",  # a private address, not listed
        "http://localhost:8080/hook",  # loopback by name, not listed
        "http://169.254.169.254/latest/meta-data",  # cloud metadata
        "file:///etc/passwd",
        "ftp://127.0.0.1/hook",
        "http://user:secret@127.0.0.1/hook",  # credentials go in `authentication`
    ],
)
async def test_a_webhook_outside_the_allow_list_is_refused_and_nothing_stored(
    pushing: AgentService, url: str
) -> None:
    task_id = await _task(pushing, KEY_1)
    refused = await _jsonrpc(
        pushing, KEY_1, "CreateTaskPushNotificationConfig", {"taskId": task_id, "url": url}
    )
    assert refused["error"]["code"] == -32602, refused
    listed = await _jsonrpc(pushing, KEY_1, "ListTaskPushNotificationConfigs", {"taskId": task_id})
    assert listed["result"].get("configs", []) == []
    inline = message_params(skill_message("get_order_details", {"order_id": LIAM_PENDING}))
    inline["configuration"] = {"taskPushNotificationConfig": {"url": url}}
    assert (await _jsonrpc(pushing, KEY_1, "SendMessage", inline))["error"]["code"] == -32602


async def test_without_an_allow_list_only_public_addresses_are_webhooks() -> None:
    policy = PushUrlPolicy(allowed_hosts(""))
    assert await policy("https://8.8.8.8/hook")
    for url in ("http://127.0.0.1:80/hook", "http://[::1]/hook", "http://192.168.1.9/hook"):
        assert not await policy(url), url
    listed = PushUrlPolicy(allowed_hosts(" Hooks.Example.com , *.corp.example "))
    assert await listed("https://hooks.example.com/a")
    assert await listed("https://a.corp.example/a")
    assert not await listed("https://corp.example/a")  # *.x names subdomains only
    assert not await listed("https://8.8.8.8/hook")  # a list allows only what it names


@pytest.mark.parametrize("task_store", ["jetstream", "sql"])
async def test_replicas_share_push_configs(
    nats_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    guard_prefix: str,
    guard_store_url: str,
    task_store: str,
) -> None:
    """A config created through one replica is read, and deleted, through another; the limit
    of configs per task holds across replicas."""
    var_dir = tmp_path_factory.mktemp(f"push-{task_store}")
    prefix = f"{guard_prefix}r{task_store[0]}"
    extra: dict[str, Any] = {"task_store": task_store}
    if task_store == "sql":
        extra["task_database_url"] = f"sqlite+aiosqlite:///{var_dir / 'tasks.db'}"
    first = _settings(nats_url, var_dir / "a", prefix, guard_store_url, **extra)
    second = _settings(nats_url, var_dir / "b", prefix, guard_store_url, **extra)
    async with running_agent(ORDERS, first) as a, running_agent(ORDERS, second) as b:
        task_id = await _task(a, KEY_1)
        config = {"taskId": task_id, "id": "shared", "url": "http://127.0.0.1:9/hook"}
        assert "result" in await _jsonrpc(a, KEY_1, "CreateTaskPushNotificationConfig", config)
        read = await _jsonrpc(b, KEY_1, "GetTaskPushNotificationConfig", config)
        assert read["result"]["url"] == config["url"]
        assert "error" not in await _jsonrpc(b, KEY_1, "DeleteTaskPushNotificationConfig", config)
        gone = await _jsonrpc(a, KEY_1, "ListTaskPushNotificationConfigs", {"taskId": task_id})
        assert gone["result"].get("configs", []) == []
        for n in range(MAX_CONFIGS_PER_TASK):
            more = {**config, "id": f"c{n}"}
            assert "result" in await _jsonrpc(b, KEY_1, "CreateTaskPushNotificationConfig", more)
        again = await _jsonrpc(a, KEY_1, "CreateTaskPushNotificationConfig", {**config, "id": "c0"})
        assert "result" in again  # replacing one of them is no new config
        over = await _jsonrpc(a, KEY_1, "CreateTaskPushNotificationConfig", config)
        assert over["error"]["code"] == -32602, over
        listed = await _jsonrpc(b, KEY_1, "ListTaskPushNotificationConfigs", {"taskId": task_id})
        assert len(listed["result"]["configs"]) == MAX_CONFIGS_PER_TASK


async def test_an_event_that_holds_a_capability_is_delivered_without_it() -> None:
    """The second line behind take_capability: the sender scrubs a copy, the event stays."""
    store = InMemoryPushNotificationConfigStore()
    message = skill_message(
        "cancel_pending_order",
        {"order_id": LIAM_PENDING, "reason": "x"},
        ticket_id="tk-scrub",
        customer_id=LIAM,
    )
    token = message.metadata[CAPABILITY_EXTENSION_URI]["token"]
    task = Task(id="t-scrub", context_id="c", history=[message])
    async with webhook() as hook, httpx.AsyncClient(timeout=10) as http:
        config = TaskPushNotificationConfig(id="h", url=hook.url)
        await store.set_info("t-scrub", config, ServerCallContext())
        sender = ScrubbingPushSender(http, store, push_url_validator=PushUrlPolicy(("127.0.0.1",)))
        await sender.send_notification("t-scrub", task)
        _, body = await asyncio.wait_for(hook.received.get(), timeout=20)
    assert body["task"]["id"] == "t-scrub" and token not in str(body)
    assert CAPABILITY_EXTENSION_URI in task.history[0].metadata  # the caller's event untouched
