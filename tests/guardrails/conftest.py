"""In-process specialists on a demo store with the session's test capability keys."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from agents.billing.agent import SPEC as BILLING
from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from store import Store, generate_demo
from tests.helpers import agent_settings, running_agent


@pytest.fixture(scope="module")
async def guard_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("guard-store") / "store.db"
    url = f"sqlite+aiosqlite:///{path}"
    async with Store(url) as store:
        await store.reset(generate_demo())
    return url


@pytest.fixture
async def guard_store(guard_store_url: str) -> AsyncIterator[Store]:
    """The store reset to the demo seed."""
    async with Store(guard_store_url) as store:
        await store.reset(generate_demo())
        yield store


@pytest.fixture(scope="module")
def guard_prefix(run_id: str, request: pytest.FixtureRequest) -> str:
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")[:8]
    return f"g{run_id}{name}".replace("_", "")


@pytest.fixture(scope="module")
async def orders_service(
    nats_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    guard_prefix: str,
    guard_store_url: str,
) -> AsyncIterator[AgentService]:
    settings = agent_settings(
        nats_url, tmp_path_factory.mktemp("orders"), guard_prefix, guard_store_url
    )
    async with running_agent(ORDERS, settings) as service:
        yield service


@pytest.fixture(scope="module")
async def billing_service(
    nats_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    guard_prefix: str,
    guard_store_url: str,
) -> AsyncIterator[AgentService]:
    settings = agent_settings(
        nats_url, tmp_path_factory.mktemp("billing"), guard_prefix, guard_store_url
    )
    async with running_agent(BILLING, settings) as service:
        yield service
