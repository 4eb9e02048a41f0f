"""Retention of finished tasks in the SQL task store (``DESKMESH_TASK_RETENTION_S``).

The JetStream store expires a finished task's last version by a per-message TTL; the SDK's SQL
``DatabaseTaskStore`` keeps every row forever. ``TaskPurger`` deletes, from one agent's task
table, the tasks in a terminal state (completed, canceled, failed, rejected) whose status
timestamp (the table's ``last_updated``) is older than the retention; the agent runs it at
start and then every ``DESKMESH_TASK_PURGE_INTERVAL_S``. Unfinished tasks (working,
input-required, …) stay whatever their age, as in JetStream; so does a row without a status
timestamp, whose age is unknown (the SDK's ``TaskUpdater`` stamps every status it writes).
Every replica of an agent may purge: the delete is one idempotent statement.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from a2a.compat.v0_3.conversions import to_compat_task_status
from a2a.types import TaskState, TaskStatus
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)

FINISHED = (
    TaskState.TASK_STATE_COMPLETED,
    TaskState.TASK_STATE_CANCELED,
    TaskState.TASK_STATE_FAILED,
    TaskState.TASK_STATE_REJECTED,
)


def finished_state_names() -> list[str]:
    """How the SDK's SQL store writes a terminal state into ``status.state`` (and how its
    v0.3 compatibility layer did)."""
    names = []
    for state in FINISHED:
        names.append(TaskState.Name(state))
        names.append(str(to_compat_task_status(TaskStatus(state=state)).state.value))
    return names


def utc_now() -> datetime:
    return datetime.now(UTC)


class TaskPurger:
    """Deletes one agent's finished tasks older than the retention from its task table."""

    def __init__(
        self,
        engine: AsyncEngine,
        task_model: Any,
        *,
        retention_s: float,
        interval_s: float,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._engine = engine
        self._model = task_model
        self.retention_s = retention_s
        self.interval_s = interval_s
        self._clock = clock
        self._finished = finished_state_names()

    async def purge_once(self) -> int:
        """Delete the finished tasks older than the retention now; how many went."""
        # last_updated holds naive UTC (the SDK's DateTime column, from the status timestamp)
        cutoff = (self._clock() - timedelta(seconds=self.retention_s)).astimezone(UTC)
        model = self._model
        statement = delete(model).where(
            model.last_updated < cutoff.replace(tzinfo=None),
            model.status["state"].as_string().in_(self._finished),
        )
        async with self._engine.begin() as connection:
            result = await connection.execute(statement)
        deleted = int(result.rowcount or 0)
        if deleted:
            logger.info("purged %d finished tasks older than %g s", deleted, self.retention_s)
        return deleted

    async def run(self, wait: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        """Purge now, then after every ``wait(interval_s)``, until cancelled; a failed purge is
        logged and tried again at the next interval."""
        while True:
            try:
                await self.purge_once()
            except Exception:  # the store may be down for a while: the agent serves on
                logger.exception("purging finished tasks failed")
            await wait(self.interval_s)
