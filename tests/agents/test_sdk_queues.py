"""The SDK's queues before Python 3.13 (agents/runtime/sdk_queues.py): Python 3.13's shutdown
semantics on an asyncio queue, and the SDK modules creating them."""

from __future__ import annotations

import asyncio
import importlib
import sys

import pytest

from agents.runtime import sdk_queues
from agents.runtime.sdk_queues import ClosableQueue, QueueShutDown


async def test_items_then_shutdown_after_what_is_left() -> None:
    queue: ClosableQueue[int] = ClosableQueue()
    await queue.put(1)
    queue.put_nowait(2)
    queue.shutdown()
    with pytest.raises(QueueShutDown):
        await queue.put(3)
    assert await queue.get() == 1
    assert queue.get_nowait() == 2
    with pytest.raises(QueueShutDown):
        await queue.get()
    with pytest.raises(QueueShutDown):
        queue.get_nowait()


async def test_immediate_shutdown_drops_items_and_releases_join() -> None:
    queue: ClosableQueue[int] = ClosableQueue()
    for item in range(3):
        await queue.put(item)
    assert await queue.get() == 0
    queue.task_done()
    queue.shutdown(immediate=True)
    assert queue.empty()
    await asyncio.wait_for(queue.join(), 5)
    with pytest.raises(QueueShutDown):
        await queue.get()


async def test_shutdown_wakes_a_blocked_getter_and_putter() -> None:
    empty: ClosableQueue[int] = ClosableQueue()
    full: ClosableQueue[int] = ClosableQueue(maxsize=1)
    await full.put(0)
    getter = asyncio.create_task(empty.get())
    putter = asyncio.create_task(full.put(1))
    while not (empty._getters and full._putters):  # type: ignore[attr-defined]
        await asyncio.sleep(0)
    empty.shutdown()
    full.shutdown()
    with pytest.raises(QueueShutDown):
        await asyncio.wait_for(getter, 5)
    with pytest.raises(QueueShutDown):
        await asyncio.wait_for(putter, 5)
    assert full.get_nowait() == 0


async def test_a_woken_getter_gets_the_item_and_a_cancelled_one_passes_it_on() -> None:
    queue: ClosableQueue[int] = ClosableQueue()
    first = asyncio.create_task(queue.get())
    second = asyncio.create_task(queue.get())
    while len(queue._getters) < 2:  # type: ignore[attr-defined]
        await asyncio.sleep(0)
    queue.put_nowait(7)
    first.cancel()  # woken by the put, cancelled before it ran: the item goes to the next getter
    assert await asyncio.wait_for(second, 5) == 7
    with pytest.raises(asyncio.CancelledError):
        await first


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="3.13's SDK uses asyncio.Queue itself")
def test_install_gives_the_sdk_modules_the_asyncio_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    # undone after the test: the swap is opt-in (AgentSettings.sdk_asyncio_queues)
    from a2a.utils import _async_queue_compat

    modules = [importlib.import_module(name) for name in sdk_queues.SDK_MODULES]
    monkeypatch.setattr(
        _async_queue_compat, "create_async_queue", _async_queue_compat.create_async_queue
    )
    for module in modules:
        monkeypatch.setattr(module, "create_async_queue", module.create_async_queue)
    sdk_queues.install()
    for module in modules:
        assert isinstance(module.create_async_queue(), ClosableQueue)
