"""Shutdown that always finishes: an exit stack whose every step has a time budget.

An agent unwinds a dozen resources on SIGTERM (HTTP server, NATS subscription, task store,
database, tracing, the connection itself). One step that never returns, a future no thread
will ever resolve, a reply that never comes, would keep the process alive until the
orchestrator kills it, and the steps after it (the NATS drain, the trace flush) would never
run. So each step gets a budget; a step over it is logged with the stacks of the tasks still
running, which is what tells the cause, then cancelled and left behind, and the unwinding
goes on.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class AbandonedStep:
    """A shutdown step that outlived its budget, and what the event loop was doing then."""

    name: str
    budget_s: float
    task_stacks: str


class BoundedExitStack(AsyncExitStack):
    """``AsyncExitStack`` whose async exits and callbacks each run within ``budget_s``.

    ``abandoned`` lists the steps that did not finish in time (empty after a clean shutdown).
    Sync callbacks (``callback``) are not bounded: they cannot be interrupted anyway.
    """

    def __init__(self, budget_s: float) -> None:
        super().__init__()
        self.budget_s = budget_s
        self.abandoned: list[AbandonedStep] = []

    async def enter_async_context(self, cm: AbstractAsyncContextManager[T]) -> T:
        manager_type = type(cm)
        entered: T = await manager_type.__aenter__(cm)
        name = f"{manager_type.__qualname__}.__aexit__"

        async def bounded_exit(*exc_details: Any) -> bool:
            return bool(await self.run_bounded(name, manager_type.__aexit__(cm, *exc_details)))

        self.push_async_exit(bounded_exit)
        return entered

    def push_async_callback(
        self, callback: Callable[..., Awaitable[Any]], /, *args: Any, **kwds: Any
    ) -> Callable[..., Awaitable[Any]]:
        name = getattr(callback, "__qualname__", repr(callback))

        async def bounded_callback() -> None:
            await self.run_bounded(name, callback(*args, **kwds))

        super().push_async_callback(bounded_callback)
        return callback

    async def run_bounded(self, name: str, step: Awaitable[Any]) -> Any:
        """Await ``step`` for at most the budget; past it, log, cancel and return None."""
        task = asyncio.ensure_future(step)
        done, _ = await asyncio.wait({task}, timeout=self.budget_s)
        if done:
            return task.result()
        stacks = task_stacks()
        self.abandoned.append(AbandonedStep(name, self.budget_s, stacks))
        logger.error(
            "shutdown step %s did not finish in %.0f s; cancelled and left behind. "
            "Tasks still running:\n%s",
            name,
            self.budget_s,
            stacks,
        )
        task.cancel()  # not awaited: a step that ignores cancellation must not stall the rest
        return None


def task_stacks(limit: int = 12) -> str:
    """The coroutine stack of every task of the running loop but the caller's."""
    out = io.StringIO()
    current = asyncio.current_task()
    for task in asyncio.all_tasks():
        if task is current:
            continue
        print(f"--- {task.get_name()}: {task.get_coro()!r}", file=out)
        task.print_stack(limit=limit, file=out)
    return out.getvalue()
