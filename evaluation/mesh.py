"""The mesh an evaluation talks to: four agents in this process, or a running mesh by URL.

In-process is the default: the four ``AgentService``s share one SQLite store that the runner
resets before every scenario, on an embedded (or given) NATS, under a subject prefix and cards
bucket of their own so that several evaluation workers can share one NATS server.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Protocol

import httpx
import nats
from a2a.client import A2ACardResolver, Client
from nats.aio.client import Client as NATS
from pydantic import SecretStr

from agents.runtime.service import AgentService
from agents.runtime.settings import AgentSettings
from agents.runtime.spec import AgentSpec
from deskmesh.embedded_nats import EmbeddedNats, free_port
from protocol.capabilities import CapabilityKeys
from protocol.client import create_client_factory
from store import Store

SPECIALISTS = ("billing", "escalation", "orders")
TURN_TIMEOUT_S = 120.0


class EvalMesh(Protocol):
    """What the runner needs: a client of the triage agent and the mesh's store."""

    client: Client
    store: Store


def default_specs() -> dict[str, AgentSpec]:
    from agents.billing.agent import SPEC as BILLING
    from agents.escalation.agent import SPEC as ESCALATION
    from agents.orders.agent import SPEC as ORDERS
    from agents.triage.agent import SPEC as TRIAGE

    return {"triage": TRIAGE, "orders": ORDERS, "billing": BILLING, "escalation": ESCALATION}


class InProcessMesh:
    """Triage and the three specialists as AgentServices of this event loop."""

    def __init__(
        self,
        work_dir: Path,
        *,
        nats_url: str | None = None,
        specs: dict[str, AgentSpec] | None = None,
        prefix: str | None = None,
    ) -> None:
        self.work_dir = work_dir
        self.nats_url = nats_url
        self.specs = specs or default_specs()
        self.prefix = prefix or f"ev{uuid.uuid4().hex[:10]}"
        self.store_url = f"sqlite+aiosqlite:///{work_dir / 'store.db'}"
        # guardrails: one capability root key pair for the in-process mesh (run-time config)
        self.capability_keys = CapabilityKeys.generate()
        self._stack = AsyncExitStack()
        self.services: dict[str, AgentService] = {}
        self.store: Store
        self.client: Client

    async def __aenter__(self) -> InProcessMesh:
        try:
            await self._start()
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stack.aclose()

    async def _start(self) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        if self.nats_url is None:
            server = EmbeddedNats(self.work_dir / "nats", port=free_port())
            await asyncio.to_thread(server.start)
            self._stack.callback(server.stop)
            self.nats_url = server.url
        self.store = await self._stack.enter_async_context(Store(self.store_url))
        nc = await nats.connect(self.nats_url)
        self._stack.push_async_callback(_close, nc, f"cards_{self.prefix}")
        # specialists first, so the triage's directory finds them on its first read
        for name in sorted(self.specs, key=lambda n: n == "triage"):
            service = AgentService(self.specs[name], self._settings(name))
            self.services[name] = await self._stack.enter_async_context(service)
        triage = self.services["triage"]
        assert triage.resources is not None and triage.resources.directory is not None
        await triage.resources.directory.wait_for(set(self.specs) - {"triage"}, timeout_s=30)
        http = await self._stack.enter_async_context(httpx.AsyncClient(timeout=TURN_TIMEOUT_S))
        factory = create_client_factory(
            nc, httpx_client=http, streaming=False, timeout_s=TURN_TIMEOUT_S
        )
        assert triage.card is not None
        self.client = factory.create(triage.card)

    def _settings(self, name: str) -> AgentSettings:
        """The harness's own configuration of agent ``name``: built-in defaults plus these,
        never the caller's environment (a stray DESKMESH_* can't change the gate's figures)."""
        assert self.nats_url is not None
        return AgentSettings.defaults().model_copy(
            update={
                "nats_url": self.nats_url,
                "var_dir": self.work_dir / name,
                "subject_prefix": self.prefix,
                "cards_bucket": f"cards_{self.prefix}",
                "database_url": self.store_url,
                "shutdown_grace_s": 1.0,
                "log_level": "WARNING",
                "capability_private_key": SecretStr(self.capability_keys.private_hex),
            }
        )


class RemoteMesh:
    """A mesh that is already running: triage by URL, its store by database URL."""

    def __init__(self, triage_url: str, database_url: str) -> None:
        self.triage_url = triage_url.rstrip("/")
        self.database_url = database_url
        self._stack = AsyncExitStack()
        self.store: Store
        self.client: Client

    async def __aenter__(self) -> RemoteMesh:
        try:
            self.store = await self._stack.enter_async_context(Store(self.database_url))
            http = await self._stack.enter_async_context(httpx.AsyncClient(timeout=TURN_TIMEOUT_S))
            card = await A2ACardResolver(http, self.triage_url).get_agent_card()
            factory = create_client_factory(None, httpx_client=http, streaming=False)
            self.client = factory.create(card)
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stack.aclose()


async def _close(nc: NATS, bucket: str) -> None:
    """Drop this mesh's cards bucket (it would outlive us on a shared NATS) and disconnect."""
    with contextlib.suppress(Exception):
        await nc.jetstream().delete_key_value(bucket)
    with contextlib.suppress(Exception):
        await nc.drain()
