"""Task ownership and the A2A edge: a principal sees only its own tasks on every binding, no A2A
operation gives a capability token back, every /a2a route refuses an unauthenticated call in its
binding's error format, and parts outside the card's input modes are refused.

Real orders agents (edge auth on with two keys; off: the conftest's orders_service), real NATS,
HTTP and SQLite."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import nats
import pytest
from starlette.routing import Mount, Route

from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from protocol.binding import rpc_subject, tasks_bucket
from protocol.capabilities import CAPABILITY_EXTENSION_URI
from protocol.cards import JSONRPC_PATH, REST_PATH
from store import Store
from tests.helpers import (
    agent_settings,
    message_params,
    nats_rpc,
    rpc,
    running_agent,
    skill_message,
)

KEY_1, KEY_2 = "key-one-secret", "key-two-secret"
V1 = {"A2A-Version": "1.0"}
LIAM, LIAM_PENDING = "liam_chen_1002", "#W1000004"


@pytest.fixture(scope="module")
async def keyed(
    nats_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    guard_prefix: str,
    guard_store_url: str,
) -> AsyncIterator[AgentService]:
    settings = agent_settings(
        nats_url,
        tmp_path_factory.mktemp("keyed"),
        f"{guard_prefix}k",
        guard_store_url,
        edge_auth="api_key",
        edge_api_keys=f"{KEY_1},{KEY_2}",
    )
    async with running_agent(ORDERS, settings) as service:
        yield service


def _key(key: str | None) -> dict[str, str]:
    return {**V1, "X-API-Key": key} if key else dict(V1)


async def _http_send(service: AgentService, message: Any, key: str | None) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            service.base_url + JSONRPC_PATH,
            json=rpc("SendMessage", message_params(message)),
            headers=_key(key),
        )
    return response.json()["result"]["task"]


async def _http_views(service: AgentService, task_id: str, key: str | None) -> dict[str, Any]:
    """What one caller gets for ``task_id`` from every HTTP read of both bindings."""
    base = service.base_url
    async with httpx.AsyncClient(timeout=30) as http:

        async def jsonrpc(method: str, params: dict[str, Any]) -> dict[str, Any]:
            body = rpc(method, params)
            response = await http.post(base + JSONRPC_PATH, json=body, headers=_key(key))
            return response.json()

        listed_rest = await http.get(
            f"{base}{REST_PATH}/tasks?includeArtifacts=true", headers=_key(key)
        )
        tenant_rest = await http.get(f"{base}/x{REST_PATH}/tasks", headers=_key(key))
        return {
            "get": await jsonrpc("GetTask", {"id": task_id}),
            "list": await jsonrpc("ListTasks", {"includeArtifacts": True}),
            "cancel": await jsonrpc("CancelTask", {"id": task_id}),
            "subscribe": await jsonrpc("SubscribeToTask", {"id": task_id}),
            "rest_get": (
                await http.get(f"{base}{REST_PATH}/tasks/{task_id}", headers=_key(key))
            ).status_code,
            "rest_list": listed_rest.json(),
            "tenant_list": tenant_rest.json(),
        }


def _listed_ids(body: dict[str, Any]) -> set[str]:
    tasks = body.get("result", body).get("tasks", [])
    return {t["id"] for t in tasks}


async def test_two_api_keys_see_only_their_own_tasks(keyed: AgentService) -> None:
    read = skill_message("get_order_details", {"order_id": LIAM_PENDING})
    mine = await _http_send(keyed, read, KEY_1)
    own = await _http_views(keyed, mine["id"], KEY_1)
    assert own["get"]["result"]["id"] == mine["id"]
    assert mine["id"] in _listed_ids(own["list"]) and mine["id"] in _listed_ids(own["rest_list"])
    assert own["rest_get"] == 200

    other = await _http_views(keyed, mine["id"], KEY_2)
    for op in ("get", "cancel", "subscribe"):
        assert other[op]["error"]["code"] == -32001, (op, other[op])  # TaskNotFound: no leak
    assert other["rest_get"] == 404
    for op in ("list", "rest_list", "tenant_list"):
        assert mine["id"] not in _listed_ids(other[op]), op


async def _nats_call(
    url: str, inbox_agent: str, subject: str, method: str, params: dict[str, Any]
) -> dict[str, Any]:
    nc = await nats.connect(url, inbox_prefix=f"_INBOX.{inbox_agent}")
    try:
        return await nats_rpc(nc, subject, rpc(method, params), V1)
    finally:
        await nc.close()


async def test_two_nats_callers_see_only_their_own_tasks(keyed: AgentService) -> None:
    url, subject = keyed.settings.nats_url, rpc_subject("orders", keyed.settings.subject_prefix)
    read = skill_message("get_order_details", {"order_id": LIAM_PENDING})
    sent = await _nats_call(url, "alpha", subject, "SendMessage", message_params(read))
    task_id = sent["result"]["task"]["id"]
    own = await _nats_call(url, "alpha", subject, "GetTask", {"id": task_id})
    assert own["result"]["id"] == task_id
    listed = await _nats_call(url, "alpha", subject, "ListTasks", {})
    assert task_id in _listed_ids(listed)
    for method in ("GetTask", "CancelTask", "SubscribeToTask"):
        other = await _nats_call(url, "beta", subject, method, {"id": task_id})
        assert other["error"]["code"] == -32001, (method, other)
    assert task_id not in _listed_ids(await _nats_call(url, "beta", subject, "ListTasks", {}))
    # and an HTTP principal sees none of the NATS caller's tasks
    assert (await _http_views(keyed, task_id, KEY_1))["get"]["error"]["code"] == -32001


async def test_anonymous_listing_leaks_no_stored_task(
    orders_service: AgentService, guard_store: Store
) -> None:
    """Regression (issue 13): with edge auth off an anonymous
    ``GET /a2a/rest/tasks?includeArtifacts=true`` returned stored tasks with customers'
    addresses and payment-method ids."""
    subject = rpc_subject("orders", orders_service.settings.subject_prefix)
    ticket = f"tk-{uuid.uuid4().hex[:8]}"
    details = skill_message(
        "get_order_details", {"order_id": LIAM_PENDING}, ticket_id=ticket, customer_id=LIAM
    )
    by_triage = await _nats_call(
        orders_service.settings.nats_url, "triage", subject, "SendMessage", message_params(details)
    )
    stored = by_triage["result"]["task"]
    assert stored["status"]["state"] == "TASK_STATE_COMPLETED"
    assert "payment_method_id" in json.dumps(stored)  # customer data the listing leaked
    anonymous = await _http_send(orders_service, skill_message("get_product_details", {}), None)
    views = await _http_views(orders_service, stored["id"], None)
    assert _listed_ids(views["rest_list"]) == _listed_ids(views["list"]) == set()
    assert _listed_ids(views["tenant_list"]) == set()
    assert views["get"]["error"]["code"] == -32001  # the mesh's task is not the anonymous one's
    assert "payment_method_id" not in json.dumps(views)
    # an anonymous caller still reads its own task by id (deskmesh ask --task)
    own = await _http_views(orders_service, anonymous["id"], None)
    assert own["get"]["result"]["id"] == anonymous["id"]


async def test_no_capability_token_is_stored_or_read_back(
    keyed: AgentService, guard_store: Store
) -> None:
    """A write's token (message metadata) leaves no trace in the task store or any read."""
    subject = rpc_subject("orders", keyed.settings.subject_prefix)
    url = keyed.settings.nats_url
    ticket = f"tk-{uuid.uuid4().hex[:8]}"
    cancel = skill_message(
        "cancel_pending_order",
        {"order_id": LIAM_PENDING, "reason": "no longer needed"},
        ticket_id=ticket,
        customer_id=LIAM,
    )
    token = cancel.metadata[CAPABILITY_EXTENSION_URI]["token"]
    sent = await _nats_call(url, "triage", subject, "SendMessage", message_params(cancel))
    task = sent["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"  # the token did its job
    reads = [
        sent,
        await _nats_call(url, "triage", subject, "GetTask", {"id": task["id"]}),
        await _nats_call(url, "triage", subject, "ListTasks", {"includeArtifacts": True}),
    ]
    for read in reads:
        text = json.dumps(read)
        assert token not in text and CAPABILITY_EXTENSION_URI not in text
    stored = await _stored_task_versions(keyed, task["id"])
    assert stored and not any(token.encode() in version for version in stored)


async def _stored_task_versions(service: AgentService, task_id: str) -> list[bytes]:
    """Every stored version of a task, raw, from whichever task store the agent runs."""
    settings = service.settings
    if settings.task_store == "sql" or settings.task_database_url:
        db = settings.var_dir / "tasks-orders.db"
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT * FROM tasks_orders").fetchall()
        return [repr(row).encode() for row in rows]
    nc = await nats.connect(settings.nats_url)
    try:
        kv = await nc.jetstream().key_value(tasks_bucket("orders", settings.subject_prefix))
        return [entry.value or b"" for entry in await kv.history(task_id)]
    finally:
        await nc.close()


def _a2a_routes(routes: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    """(method, path) of every A2A route the app mounts, path parameters filled in."""
    found = []
    for route in routes:
        if isinstance(route, Mount):
            found += _a2a_routes(route.routes, prefix + route.path.replace("{tenant}", "x"))
        elif isinstance(route, Route) and "/a2a" in prefix + route.path:
            path = (prefix + route.path).replace("{id}", "t1").replace("{push_id}", "p1")
            found += [(method, path) for method in sorted(route.methods or {"GET"})]
    return found


async def test_every_a2a_route_refuses_an_unauthenticated_call(keyed: AgentService) -> None:
    assert keyed.app is not None
    routes = _a2a_routes(keyed.app.routes)
    assert any(path.startswith("/x/a2a/rest/") for _, path in routes)  # tenant routes walked
    assert (("POST", JSONRPC_PATH)) in routes
    async with httpx.AsyncClient(timeout=30) as http:
        for method, path in routes:
            if method == "HEAD":
                continue
            for key in (None, "wrong-key"):
                response = await http.request(
                    method, keyed.base_url + path, headers=_key(key), json={}
                )
                assert response.status_code == 401, (method, path)
                assert response.headers["www-authenticate"] == "ApiKey"
                body = response.json()
                if path == JSONRPC_PATH:
                    assert body["jsonrpc"] == "2.0" and body["error"]["code"] == -32000
                else:
                    assert body["error"]["status"] == "UNAUTHENTICATED", path
                    assert body["error"]["code"] == 401


def _unsupported_part_message() -> dict[str, Any]:
    message = message_params(skill_message("get_product_details", {}))
    message["message"]["parts"].append({"text": "x", "mediaType": "application/x-unsupported"})
    return message


async def test_a_part_outside_the_cards_input_modes_is_refused_on_every_binding(
    keyed: AgentService,
) -> None:
    params = _unsupported_part_message()
    subject = rpc_subject("orders", keyed.settings.subject_prefix)
    over_nats = await _nats_call(keyed.settings.nats_url, "alpha", subject, "SendMessage", params)
    async with httpx.AsyncClient(timeout=30) as http:
        jsonrpc = await http.post(
            keyed.base_url + JSONRPC_PATH, json=rpc("SendMessage", params), headers=_key(KEY_1)
        )
        rest = await http.post(
            f"{keyed.base_url}{REST_PATH}/message:send", json=params, headers=_key(KEY_1)
        )
    assert over_nats["error"]["code"] == jsonrpc.json()["error"]["code"] == -32005
    assert rest.status_code == 400
    assert rest.json()["error"]["details"][0]["reason"] == "CONTENT_TYPE_NOT_SUPPORTED"


@pytest.mark.parametrize("field", ["userId", "user_id"])  # user_id: clients from before camelCase
async def test_the_customer_may_come_in_the_request_metadata(
    orders_service: AgentService, field: str
) -> None:
    """Clients such as Google ADK put it in the request's metadata, not the message's."""

    async def read_as(customer: str) -> dict[str, Any]:
        params = message_params(skill_message("get_order_details", {"order_id": LIAM_PENDING}))
        params["metadata"] = {"deskmesh/customer": {field: customer}}
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(
                orders_service.base_url + JSONRPC_PATH, json=rpc("SendMessage", params), headers=V1
            )
        return response.json()["result"]["task"]

    assert (await read_as(LIAM))["status"]["state"] == "TASK_STATE_COMPLETED"
    refused = await read_as("ava_moreno_1001")  # another customer's order: ownership holds
    assert refused["status"]["state"] == "TASK_STATE_REJECTED"
    assert refused["artifacts"][0]["parts"][0]["data"]["error_code"] == "not_owner"
