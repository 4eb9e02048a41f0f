from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from store import Store, generate_demo
from tests.helpers import agent_settings, running_agent


@pytest.fixture(scope="module")
async def demo_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("store") / "store.db"
    url = f"sqlite+aiosqlite:///{path}"
    async with Store(url) as store:
        await store.reset(generate_demo())
    return url


@pytest.fixture(scope="module")
async def orders_agent(
    nats_url: str, tmp_path_factory: pytest.TempPathFactory, run_id: str, demo_store_url: str
) -> AsyncIterator[AgentService]:
    prefix = f"p{run_id}"
    settings = agent_settings(
        nats_url,
        tmp_path_factory.mktemp("orders"),
        prefix,
        demo_store_url,
        max_payload_bytes=64 * 1024,
        stream_keepalive_s=0.5,
    )
    async with running_agent(ORDERS, settings) as service:
        yield service
