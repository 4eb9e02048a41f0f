"""In-process orders, billing and escalation agents on a demo store, over real NATS.

Each test module gets its own subject prefix, cards bucket and SQLite file, so modules and
other engineers' runs sharing the NATS server never see each other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
from a2a.client import Client

from agents.billing.agent import SPEC as BILLING
from agents.escalation.agent import SPEC as ESCALATION
from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from protocol.client import create_client_factory
from store import Store, generate_demo
from tests.helpers import agent_settings, nats_connection, running_agent

SPECS = {"orders": ORDERS, "billing": BILLING, "escalation": ESCALATION}


@pytest.fixture(scope="module")
def module_prefix(run_id: str, request: pytest.FixtureRequest) -> str:
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")[:10]
    return f"s{run_id}{name}".replace("_", "")


@pytest.fixture(scope="module")
async def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("store") / "store.db"
    url = f"sqlite+aiosqlite:///{path}"
    async with Store(url) as store:
        await store.reset(generate_demo())
    return url


@pytest.fixture(scope="module")
async def store(demo_url: str) -> AsyncIterator[Store]:
    async with Store(demo_url) as opened:
        yield opened


@pytest.fixture
async def demo(store: Store) -> Store:
    """The store reset to the demo seed (for tests that write)."""
    await store.reset(generate_demo())
    return store


@pytest.fixture(scope="module")
async def specialists(
    request: pytest.FixtureRequest,
    nats_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    module_prefix: str,
    demo_url: str,
) -> AsyncIterator[dict[str, AgentService]]:
    # a test module may set SPECIALIST_SETTINGS (e.g. capabilities off) for its agents
    overrides = getattr(request.module, "SPECIALIST_SETTINGS", {})
    async with AsyncExitStack() as stack:
        services = {}
        for name, spec in SPECS.items():
            settings = agent_settings(
                nats_url, tmp_path_factory.mktemp(name), module_prefix, demo_url, **overrides
            )
            services[name] = await stack.enter_async_context(running_agent(spec, settings))
        yield services


@pytest.fixture(scope="module")
async def clients(
    specialists: dict[str, AgentService], nats_url: str
) -> AsyncIterator[dict[str, Client]]:
    """Mesh clients (NATS binding) for each specialist, built from its card."""
    async with httpx.AsyncClient(timeout=30) as http, nats_connection(nats_url) as nc:
        factory = create_client_factory(nc, httpx_client=http, streaming=False, timeout_s=60)
        yield {name: factory.create(service.card) for name, service in specialists.items()}
