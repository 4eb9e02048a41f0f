"""The agent's A2A task store: JetStream (default wherever NATS has it) or SQL, by settings.

Either way finished tasks go after ``task_retention_s``: JetStream by a per-message TTL, SQL by
the agent's periodic purge (agents/runtime/task_retention.py)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import time
import warnings
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from a2a.server.agent_execution import SimpleRequestContextBuilder
from a2a.server.cluster import TaskEventStream, VersionedTaskStore
from a2a.server.id_generator import IDGenerator
from a2a.server.models import create_task_model
from a2a.server.owner_resolver import OwnerResolver, resolve_user_scope
from a2a.server.tasks import DatabaseTaskStore, TaskStore
from nats.aio.client import Client as NATS
from nats.js.errors import KeyNotFoundError
from nats.js.kv import KeyValue

from agents.runtime.jetstream_events import open_jetstream_tasks
from agents.runtime.jetstream_tasks import FreshTaskIds, jetstream_available
from agents.runtime.outage_retry import OutageRetry
from agents.runtime.settings import AgentSettings
from agents.runtime.task_retention import TaskPurger
from store import create_engine


@functools.cache
def _task_model(table_name: str) -> type:
    """The SDK's task model on a per-agent table (agents may share one task database).

    Declared once per process: the SDK's ``DatabaseTaskStore(table_name=...)`` would declare it
    again for every store, which SQLAlchemy refuses for a second in-process replica.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "This declarative base already contains a class")
        return create_task_model(table_name)


def card_liveness(cards: KeyValue, agent: str):  # noqa: ANN201 - a RunnerAlive
    """Whether an instance is alive = its card in the cards bucket has not expired."""

    async def alive(instance: str) -> bool:
        try:
            entry = await cards.get(f"{agent}.{instance}")
        except KeyNotFoundError:
            return False
        try:
            return float(json.loads(entry.value or b"{}")["expires_at"]) > time.time()
        except (KeyError, TypeError, ValueError):
            return False

    return alive


async def wants_jetstream(settings: AgentSettings, nc: NATS) -> bool:
    if settings.task_store == "auto":
        return settings.task_database_url is None and await jetstream_available(nc)
    return settings.task_store == "jetstream"


@dataclass(frozen=True, slots=True)
class TaskBackend:
    """What the request handler needs for tasks: the store, its event stream, its id source."""

    store: TaskStore | VersionedTaskStore
    events: TaskEventStream | None = None
    task_ids: IDGenerator | None = None
    purger: TaskPurger | None = None
    """The SQL store's retention (JetStream expires finished tasks itself)."""

    @property
    def on_jetstream(self) -> bool:
        """The tasks are in JetStream (only that store comes with an event stream)."""
        return self.events is not None

    def context_builder(self) -> SimpleRequestContextBuilder:
        return SimpleRequestContextBuilder(
            should_populate_referred_tasks=False, task_store=None, task_id_generator=self.task_ids
        )


async def open_task_store(
    settings: AgentSettings,
    agent: str,
    *,
    nc: NATS,
    cards: KeyValue,
    stack: AsyncExitStack,
    owner_resolver: OwnerResolver = resolve_user_scope,
) -> TaskBackend:
    """The agent's task store, chosen by ``settings.task_store``."""
    if await wants_jetstream(settings, nc):
        store, events = await open_jetstream_tasks(
            nc,
            agent=agent,
            prefix=settings.subject_prefix,
            instance=settings.instance_id,
            retention_s=settings.task_retention_s,
            replicas=settings.jetstream_replicas,
            runner_alive=card_liveness(cards, agent),
            retry=OutageRetry(window_s=settings.task_store_retry_s),
            owner_resolver=owner_resolver,
        )
        return TaskBackend(store, events, FreshTaskIds(store))
    engine = create_engine(settings.tasks_url(agent))
    if engine.dialect.name == "sqlite":
        # The SDK's task store reads, then writes in one transaction; under concurrent
        # tickets a DEFERRED transaction cannot upgrade its lock and fails at once with
        # "database is locked". IMMEDIATE takes the write lock up front (busy timeout waits).
        engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    stack.push_async_callback(engine.dispose)
    task_store = DatabaseTaskStore(engine, owner_resolver=owner_resolver)
    task_store.task_model = _task_model(f"tasks_{agent}")
    await task_store.initialize()
    purger = TaskPurger(
        engine,
        task_store.task_model,
        retention_s=settings.task_retention_s,
        interval_s=settings.task_purge_interval_s,
    )
    await _run_in_background(purger.run(), stack)
    return TaskBackend(task_store, purger=purger)


async def _run_in_background(work: Coroutine[Any, Any, None], stack: AsyncExitStack) -> None:
    """Start ``work`` as a task that the stack cancels (and awaits) when it closes."""
    task = asyncio.create_task(work)

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    stack.push_async_callback(stop)
