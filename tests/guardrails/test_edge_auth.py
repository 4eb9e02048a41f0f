"""HTTP edge auth: with it on, the A2A HTTP endpoints need the key; cards and health stay public."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from deskmesh.ask import ask
from protocol.cards import JSONRPC_PATH, REST_PATH, card_from_dict
from tests.helpers import agent_settings, message_params, rpc, running_agent, skill_message

KEY = "edge-test-key"
V1 = {"A2A-Version": "1.0"}


@pytest.fixture(scope="module", params=["api_key", "bearer"])
async def guarded(
    request: pytest.FixtureRequest,
    nats_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    guard_prefix: str,
    guard_store_url: str,
) -> AsyncIterator[AgentService]:
    settings = agent_settings(
        nats_url,
        tmp_path_factory.mktemp("edge"),
        f"{guard_prefix}{request.param[0]}",
        guard_store_url,
        edge_auth=request.param,
        edge_api_keys=f"other-key,{KEY}",
    )
    async with running_agent(ORDERS, settings) as service:
        yield service


def _auth(service: AgentService, key: str) -> dict[str, str]:
    if service.settings.edge_auth == "bearer":
        return {"Authorization": f"Bearer {key}"}
    return {"X-API-Key": key}


async def test_jsonrpc_needs_the_key(guarded: AgentService) -> None:
    body = rpc("SendMessage", message_params(skill_message("get_product_details", {})))
    url = guarded.base_url + JSONRPC_PATH
    async with httpx.AsyncClient(timeout=30) as http:
        anonymous = await http.post(url, json=body, headers=V1)
        wrong = await http.post(url, json=body, headers={**V1, **_auth(guarded, "nope")})
        rest = await http.get(f"{guarded.base_url}{REST_PATH}/tasks/x", headers=V1)
        allowed = await http.post(url, json=body, headers={**V1, **_auth(guarded, KEY)})
    assert anonymous.status_code == wrong.status_code == rest.status_code == 401
    assert "www-authenticate" in anonymous.headers
    assert allowed.status_code == 200
    assert "result" in allowed.json() or "error" in allowed.json()  # served by the agent


async def test_card_and_health_stay_public_and_the_card_declares_the_scheme(
    guarded: AgentService,
) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        card = await http.get(f"{guarded.base_url}/.well-known/agent-card.json")
        health = await http.get(f"{guarded.base_url}/healthz")
        ready = await http.get(f"{guarded.base_url}/readyz")
    assert card.status_code == health.status_code == ready.status_code == 200
    parsed = card_from_dict(card.json())
    (name,) = parsed.security_schemes
    scheme = parsed.security_schemes[name]
    if guarded.settings.edge_auth == "bearer":
        assert scheme.http_auth_security_scheme.scheme == "Bearer"
    else:
        assert scheme.api_key_security_scheme.name == "X-API-Key"
        assert scheme.api_key_security_scheme.location == "header"
    assert [list(r.schemes) for r in parsed.security_requirements] == [[name]]
    uris = [e.uri for e in parsed.capabilities.extensions]
    assert "urn:deskmesh:ext:capability:v1" in uris


async def test_deskmesh_ask_sends_the_key(
    guarded: AgentService, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await ask(
        guarded.base_url, "what is product 1234567890?", customer="ava_moreno_1001", api_key=KEY
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "task " in out


def test_auth_is_off_by_default(tmp_path: Path) -> None:
    assert agent_settings("nats://x", tmp_path, "p", "sqlite://").edge_auth == "off"
