"""AgentResources: the live objects an agent's executor and routes may use."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from a2a.client import ClientFactory
from nats.aio.client import Client as NATS

from agents.runtime.metrics import AgentMetrics
from agents.runtime.settings import AgentSettings
from protocol.discovery import Directory
from store import Store


@dataclass(slots=True)
class AgentResources:
    """What an agent's executor may use: settings, store, NATS, directory, client factory."""

    settings: AgentSettings
    nc: NATS
    store: Store
    http: httpx.AsyncClient
    directory: Directory | None = None
    client_factory: ClientFactory | None = None
    metrics: AgentMetrics | None = None
