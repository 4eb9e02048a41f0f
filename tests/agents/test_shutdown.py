"""Shutdown always finishes: a stuck step is abandoned, reported, and the rest still unwinds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from agents.billing.agent import SPEC as BILLING
from agents.runtime.service import AgentService
from agents.runtime.shutdown import BoundedExitStack
from tests.helpers import agent_settings


async def never_finishes(started: asyncio.Event) -> None:
    started.set()
    await asyncio.Event().wait()


async def ignores_cancellation(release: asyncio.Event) -> None:
    """Swallows the cancellation; it ends only when the test releases it (a task that never
    ends would keep the test's event loop from closing)."""
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        await release.wait()


async def test_a_stuck_step_is_abandoned_and_the_steps_pushed_before_it_still_run() -> None:
    unwound: list[str] = []
    started = asyncio.Event()
    stack = BoundedExitStack(budget_s=0.2)

    async def close_connection() -> None:
        unwound.append("connection")

    stack.push_async_callback(close_connection)
    stack.push_async_callback(never_finishes, started)
    stack.callback(unwound.append, "socket")
    await stack.aclose()

    assert started.is_set()
    assert unwound == ["socket", "connection"]
    [step] = stack.abandoned
    assert step.name == "never_finishes"
    assert "never_finishes" in step.task_stacks  # the stuck coroutine's frame is in the report


async def test_a_step_that_swallows_cancellation_does_not_stall_the_unwinding() -> None:
    unwound: list[str] = []
    stack = BoundedExitStack(budget_s=0.2)
    release = asyncio.Event()
    stack.callback(unwound.append, "after")
    stack.push_async_callback(ignores_cancellation, release)
    await stack.aclose()
    assert unwound == ["after"]
    assert [step.name for step in stack.abandoned] == ["ignores_cancellation"]
    release.set()  # let the abandoned step end before the loop closes
    await asyncio.gather(*(t for t in asyncio.all_tasks() if t is not asyncio.current_task()))


async def test_context_managers_keep_their_exit_semantics() -> None:
    seen: list[type[BaseException] | None] = []

    @asynccontextmanager
    async def swallowing() -> AsyncIterator[str]:
        try:
            yield "value"
        except ValueError as e:
            seen.append(type(e))

    with pytest.raises(KeyError):  # not swallowed: the manager only handles ValueError
        async with BoundedExitStack(budget_s=5) as stack:
            assert await stack.enter_async_context(swallowing()) == "value"
            raise KeyError("x")
    async with BoundedExitStack(budget_s=5) as stack:
        await stack.enter_async_context(swallowing())
        raise ValueError("handled by the manager")
    assert seen == [ValueError]
    assert stack.abandoned == []


async def test_an_agent_shuts_down_without_abandoning_a_step(
    nats_url: str, tmp_path: Path, subject_prefix: str
) -> None:
    store_url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    settings = agent_settings(nats_url, tmp_path / "var", subject_prefix, store_url)
    async with AgentService(BILLING, settings) as service:
        assert service.readiness.ready
    assert not service.readiness.ready
    assert service.abandoned_shutdown_steps == []
