"""The SDK's event and request queues as asyncio queues on Python 3.11 and 3.12 too.

a2a-sdk needs queues that can be shut down (Python 3.13's ``asyncio.Queue.shutdown``). On 3.13
it uses ``asyncio.Queue``; before 3.13 it falls back to culsans, a queue shared between threads
and event loops, built on aiologic's conditions: every task of the request handler creates three
of them, and creating and waking them was ~10% of the triage's and the orders agent's CPU per
ticket (docs/performance.md). The SDK only ever uses them from the event loop, so ``install()``
gives it what it gets on 3.13: an ``asyncio.Queue`` with ``shutdown()``, raising the exception
the SDK catches.
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from typing import Any, TypeVar

from a2a.utils import _async_queue_compat

T = TypeVar("T")
QueueShutDown = _async_queue_compat.QueueShutDown
SDK_MODULES = (
    "a2a.server.agent_execution.active_task",
    "a2a.server.events.event_queue",
    "a2a.server.events.event_queue_v2",
)
"""The SDK modules that import ``create_async_queue`` by name."""


class ClosableQueue(asyncio.Queue[T]):
    """``asyncio.Queue`` with ``shutdown(immediate=False)`` as Python 3.13 defines it.

    After shutdown, ``put`` raises QueueShutDown; ``get`` returns what is left, then raises
    QueueShutDown; blocked callers wake up. ``immediate=True`` also drops what is left, counting
    each dropped item as done, so ``join()`` returns.
    """

    def __init__(self, maxsize: int = 0) -> None:
        super().__init__(maxsize)
        self._shut_down = False

    async def put(self, item: T) -> None:
        while self.full():
            if self._shut_down:
                raise QueueShutDown
            await self._wait(self._putters, lambda: not self.full())  # type: ignore[attr-defined]
        self.put_nowait(item)

    def put_nowait(self, item: T) -> None:
        if self._shut_down:
            raise QueueShutDown
        super().put_nowait(item)

    async def get(self) -> T:
        while self.empty():
            if self._shut_down:
                raise QueueShutDown
            await self._wait(self._getters, lambda: not self.empty())  # type: ignore[attr-defined]
        return self.get_nowait()

    def get_nowait(self) -> T:
        if self._shut_down and self.empty():
            raise QueueShutDown
        return super().get_nowait()

    def shutdown(self, immediate: bool = False) -> None:
        self._shut_down = True
        if immediate:
            while not self.empty():
                super().get_nowait()
                self.task_done()
        for waiters in (self._getters, self._putters):  # type: ignore[attr-defined]
            while waiters:
                waiter = waiters.popleft()
                if not waiter.done():
                    waiter.set_result(None)

    async def _wait(self, waiters: deque[asyncio.Future[None]], ready: Any) -> None:
        """Wait to be woken; a waiter cancelled after its wake-up passes the wake-up on."""
        waiter = asyncio.get_running_loop().create_future()
        waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            waiter.cancel()
            try:
                waiters.remove(waiter)
            except ValueError:
                pass
            if ready() and not waiter.cancelled():
                self._wakeup_next(waiters)  # type: ignore[attr-defined]
            raise


def create_queue(maxsize: int = 0) -> ClosableQueue[Any]:
    return ClosableQueue(maxsize)


def install() -> None:
    """Before Python 3.13: the SDK creates its queues with ``create_queue`` (idempotent)."""
    if sys.version_info >= (3, 13):
        return
    _async_queue_compat.create_async_queue = create_queue  # type: ignore[assignment]
    for name in SDK_MODULES:
        module = sys.modules.get(name) or __import__(name, fromlist=["create_async_queue"])
        module.create_async_queue = create_queue
