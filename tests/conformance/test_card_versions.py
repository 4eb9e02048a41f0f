"""The card in the view of the request's A2A version (agents/runtime/card_route.py): a 1.0
request gets a card with nothing outside the 1.0 AgentCard; an unversioned (0.3, A2A 1.0
§3.6.2) one keeps the 0.3 fields 0.3 clients read. Real agent, NATS, HTTP, SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from a2a.types import AgentCard, SecurityScheme

from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from store import Store, generate_demo
from tests.helpers import agent_settings, running_agent

CARD_PATH = "/.well-known/agent-card.json"
CARD_FIELDS = {f.json_name for f in AgentCard.DESCRIPTOR.fields}
SCHEME_FIELDS = {f.json_name for f in SecurityScheme.DESCRIPTOR.fields}


@pytest.fixture(scope="module")
async def agent(
    nats_url: str, tmp_path_factory: pytest.TempPathFactory, run_id: str
) -> AsyncIterator[AgentService]:
    root = tmp_path_factory.mktemp("cardversions")
    url = f"sqlite+aiosqlite:///{root / 'store.db'}"
    async with Store(url) as store:
        await store.reset(generate_demo())
    settings = agent_settings(
        nats_url, root, f"cv{run_id}", url, edge_auth="api_key", edge_api_keys="k1"
    )
    async with running_agent(ORDERS, settings) as service:
        yield service


async def _card(agent: AgentService, **kwargs: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(agent.base_url + CARD_PATH, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    "how", [{"headers": {"A2A-Version": "1.0"}}, {"params": {"A2A-Version": "1.0.2"}}]
)
async def test_a_1_0_request_gets_only_1_0_fields(
    agent: AgentService, how: dict[str, dict[str, str]]
) -> None:
    response = await _card(agent, **how)
    card = response.json()
    assert set(card) <= CARD_FIELDS
    assert {i["protocolVersion"] for i in card["supportedInterfaces"]} == {"1.0"}
    for scheme in card["securitySchemes"].values():
        assert set(scheme) <= SCHEME_FIELDS
    assert response.headers["vary"] == "A2A-Version"


async def test_an_unversioned_request_gets_the_0_3_fields_too(agent: AgentService) -> None:
    unversioned = await _card(agent)
    current = await _card(agent, headers={"A2A-Version": "1.0"})
    card = unversioned.json()
    assert card["preferredTransport"] == "JSONRPC" and card["protocolVersion"] == "0.3"
    assert {i["protocolVersion"] for i in card["supportedInterfaces"]} == {"1.0", "0.3"}
    assert unversioned.headers["etag"] != current.headers["etag"]
    async with httpx.AsyncClient(timeout=30) as http:  # each view revalidates against its ETag
        again = await http.get(
            agent.base_url + CARD_PATH,
            headers={"A2A-Version": "1.0", "If-None-Match": current.headers["etag"]},
        )
    assert again.status_code == 304
