"""Retention of finished tasks in the SQL task store: the agent's purge deletes terminal tasks
older than DESKMESH_TASK_RETENTION_S and nothing else, on SQLite (and PostgreSQL when
DESKMESH_TEST_POSTGRES_URL is set); time is an injected clock."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from a2a.server.context import ServerCallContext
from a2a.server.tasks import DatabaseTaskStore
from a2a.types import Task, TaskState, TaskStatus
from sqlalchemy import text

from agents.runtime.settings import AgentSettings
from agents.runtime.task_retention import TaskPurger
from agents.runtime.task_stores import open_task_store
from store import create_engine

PG_ENV = "DESKMESH_TEST_POSTGRES_URL"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY = 24 * 3600.0
AGENT_RETENTION_S = 100 * 365 * DAY
CTX = ServerCallContext()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def url_of(backend: str, tmp_path: Path) -> str:
    if backend == "postgres":
        if not os.environ.get(PG_ENV):
            pytest.skip(f"{PG_ENV} not set")
        return os.environ[PG_ENV]
    return f"sqlite+aiosqlite:///{tmp_path / 'tasks.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def sql_tasks(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[AsyncExitStack, AgentSettings, str]]:
    """Agent settings on an SQL task store, and a table name of this test only."""
    url = url_of(request.param, tmp_path)
    agent = f"r{uuid.uuid4().hex[:10]}"
    settings = AgentSettings.defaults().model_copy(
        update={
            "task_store": "sql",
            "task_database_url": url,
            # the agent's own purge runs on the real clock: with this retention it deletes
            # nothing here, and each test's purger runs on its injected clock
            "task_retention_s": AGENT_RETENTION_S,
            "task_purge_interval_s": 3600.0,
            "var_dir": tmp_path,
        }
    )
    async with AsyncExitStack() as stack:
        yield stack, settings, agent
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text(f'DROP TABLE IF EXISTS "tasks_{agent}"'))
    await engine.dispose()


def a_task(state: TaskState, updated: datetime | None) -> Task:
    task = Task(id=str(uuid.uuid4()), context_id="c1", status=TaskStatus(state=state))
    if updated is not None:
        task.status.timestamp.FromDatetime(updated)
    return task


OLD = NOW - timedelta(days=2)
RECENT = NOW - timedelta(hours=1)
CASES = {
    "completed, old": (TaskState.TASK_STATE_COMPLETED, OLD, False),
    "failed, old": (TaskState.TASK_STATE_FAILED, OLD, False),
    "canceled, old": (TaskState.TASK_STATE_CANCELED, OLD, False),
    "rejected, old": (TaskState.TASK_STATE_REJECTED, OLD, False),
    "completed, recent": (TaskState.TASK_STATE_COMPLETED, RECENT, True),
    "working, old": (TaskState.TASK_STATE_WORKING, OLD, True),
    "input-required, old": (TaskState.TASK_STATE_INPUT_REQUIRED, OLD, True),
    "completed, no timestamp": (TaskState.TASK_STATE_COMPLETED, None, True),
}


async def kept(store: DatabaseTaskStore, tasks: dict[str, Task]) -> set[str]:
    return {name for name, task in tasks.items() if await store.get(task.id, CTX) is not None}


async def test_the_purge_deletes_finished_tasks_past_retention_and_nothing_else(
    sql_tasks: tuple[AsyncExitStack, AgentSettings, str],
) -> None:
    stack, settings, agent = sql_tasks
    backend = await open_task_store(settings, agent, nc=None, cards=None, stack=stack)  # type: ignore[arg-type]
    store, purger = backend.store, backend.purger
    assert isinstance(store, DatabaseTaskStore) and purger is not None
    assert (purger.retention_s, purger.interval_s) == (AGENT_RETENTION_S, 3600.0)
    tasks = {name: a_task(state, updated) for name, (state, updated, _) in CASES.items()}
    for task in tasks.values():
        await store.save(task, CTX)
    clock = Clock(NOW)
    purger = TaskPurger(store.engine, store.task_model, retention_s=DAY, interval_s=60, clock=clock)

    assert await purger.purge_once() == 4
    assert await kept(store, tasks) == {name for name, (*_, keep) in CASES.items() if keep}
    assert await purger.purge_once() == 0  # nothing more is due

    clock.now = NOW + timedelta(days=1)  # the recent one is past retention now
    assert await purger.purge_once() == 1
    assert await kept(store, tasks) == {
        "working, old",
        "input-required, old",
        "completed, no timestamp",
    }


async def test_the_agent_purges_at_start_and_then_every_interval(
    sql_tasks: tuple[AsyncExitStack, AgentSettings, str],
) -> None:
    stack, settings, agent = sql_tasks
    backend = await open_task_store(settings, agent, nc=None, cards=None, stack=stack)  # type: ignore[arg-type]
    store = backend.store
    assert isinstance(store, DatabaseTaskStore)
    task = a_task(TaskState.TASK_STATE_COMPLETED, NOW)
    await store.save(task, CTX)
    clock = Clock(NOW)
    purger = TaskPurger(store.engine, store.task_model, retention_s=DAY, interval_s=60, clock=clock)
    waits: asyncio.Queue[float] = asyncio.Queue()
    tick = asyncio.Event()

    async def wait(interval_s: float) -> None:
        """The interval: the test says when it has passed."""
        await waits.put(interval_s)
        await tick.wait()
        tick.clear()

    runner = asyncio.create_task(purger.run(wait))
    try:
        assert await waits.get() == 60  # the first purge ran at start: the task is recent
        assert await store.get(task.id, CTX) is not None
        clock.now = NOW + timedelta(days=1, seconds=1)
        tick.set()
        assert await waits.get() == 60  # the next purge ran after the interval
        assert await store.get(task.id, CTX) is None
    finally:
        runner.cancel()
