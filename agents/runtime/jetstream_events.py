"""The event-stream side of the JetStream task bucket (agents/runtime/jetstream_tasks.py).

``subscribe(task, after=v)`` reads the task's own subject from stream sequence ``v + 1``: each
message is a version of the task with the event that produced it. When the stream is quiet the
subscriber re-reads the task, and if the instance named as its runner is no longer alive it
records the task FAILED (a compare-and-set: one replica wins), so a replica that dies mid-task
cannot leave a subscriber waiting.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable

from a2a.server.cluster import TaskEventStream, TaskVersion, VersionedEvent
from a2a.server.owner_resolver import OwnerResolver, resolve_user_scope
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.kv import KV_OP

from agents.runtime.jetstream_tasks import (
    INTERRUPTED,
    TERMINAL,
    JetStreamTaskStore,
    TaskLayout,
    decode_version,
    open_task_bucket,
    revision_of,
    supports_message_ttl,
)
from agents.runtime.outage_retry import OutageRetry

logger = logging.getLogger(__name__)

RunnerAlive = Callable[[str], Awaitable[bool]]
"""Whether the agent instance with this id is alive (deskmesh asks the cards bucket)."""


class JetStreamTaskEvents(TaskEventStream):
    """The task's own subject in the bucket's stream, read from a version on."""

    def __init__(
        self,
        js: JetStreamContext,
        store: JetStreamTaskStore,
        layout: TaskLayout,
        *,
        runner_alive: RunnerAlive,
        quiet_check_s: float = 1.0,
    ) -> None:
        self._js = js
        self._store = store
        self._layout = layout
        self._runner_alive = runner_alive
        self._quiet_check_s = quiet_check_s

    async def publish(self, task_id: str, event: VersionedEvent) -> None:
        del task_id, event  # the store wrote the event with the version it produced

    async def subscribe(  # type: ignore[override]
        self, task_id: str, *, after: TaskVersion
    ) -> AsyncGenerator[VersionedEvent, None]:
        start = 1 if after.is_missing else revision_of(after) + 1
        sub = await self._store.retried(
            f"subscribing to task {task_id}",
            lambda: self._js.subscribe(
                self._layout.subject(task_id),
                stream=self._layout.stream,
                ordered_consumer=True,
                config=ConsumerConfig(
                    deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=start
                ),
            ),
        )
        seen = after
        try:
            while True:
                try:
                    msg = await sub.next_msg(timeout=self._quiet_check_s)
                except TimeoutError:
                    reconciled = await self._reconcile(task_id, seen)
                    if reconciled is not None:
                        seen = reconciled.version
                        yield reconciled
                    continue
                version = TaskVersion(msg.metadata.sequence.stream)
                if not msg.data or (msg.headers or {}).get(KV_OP) or not version.is_after(seen):
                    continue
                entry = decode_version(msg.data, msg.headers, msg.metadata.sequence.stream)
                seen = version
                if entry.event is not None:
                    yield VersionedEvent(entry.event, version)
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def destroy(self, task_id: str) -> None:
        del task_id  # a finished task's last version stays for GetTask until its retention ends

    async def _reconcile(self, task_id: str, seen: TaskVersion) -> VersionedEvent | None:
        """On a quiet stream: FAILED when the replica running the task is gone."""
        entry = await self._store.read(task_id)
        if entry is None or entry.task.status.state in TERMINAL | INTERRUPTED:
            return None
        if entry.runner == self._store.instance or await self._runner_alive(entry.runner):
            return None
        failed = await self._store.record_runner_gone(entry)
        if failed is None or failed.event is None:
            return None  # another writer moved it on; its version arrives on the stream
        logger.warning("task %s failed: runner %s is gone", task_id, entry.runner)
        return VersionedEvent(failed.event, TaskVersion(failed.revision))


async def open_jetstream_tasks(
    nc: NATS,
    *,
    agent: str,
    prefix: str,
    instance: str,
    retention_s: float,
    replicas: int = 1,
    runner_alive: RunnerAlive,
    retry: OutageRetry | None = None,
    owner_resolver: OwnerResolver = resolve_user_scope,
) -> tuple[JetStreamTaskStore, JetStreamTaskEvents]:
    """The agent's task bucket, created on first use, as task store and event stream."""
    js = nc.jetstream()
    layout = TaskLayout.for_agent(agent, prefix)
    message_ttl = supports_message_ttl(nc)
    kv = await open_task_bucket(
        js, layout.bucket, None if message_ttl else retention_s, replicas=replicas
    )
    info = await js.stream_info(layout.stream)
    store = JetStreamTaskStore(
        nc,
        kv,
        layout,
        instance=instance,
        retention_s=retention_s,
        message_ttl=message_ttl,
        direct=bool(info.config.allow_direct),
        retry=retry or OutageRetry(),
        owner_resolver=owner_resolver,
    )
    return store, JetStreamTaskEvents(js, store, layout, runner_alive=runner_alive)
