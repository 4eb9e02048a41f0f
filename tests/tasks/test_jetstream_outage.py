"""The JetStream task store through a NATS outage: a real nats-server of its own, restarted
with the same JetStream folder while task writes are in flight (docs/faults.md)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import nats
import pytest
from a2a.server.cluster import ConcurrentTaskModificationError, TaskVersion
from a2a.server.context import ServerCallContext
from a2a.types import Task, TaskState, TaskStatus
from nats.aio.client import Client as NATS
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.errors import NotFoundError

from agents.runtime.jetstream_events import open_jetstream_tasks
from agents.runtime.jetstream_tasks import JetStreamTaskStore, decode_version
from agents.runtime.outage_retry import OutageRetry, TaskStoreUnavailableError
from deskmesh.embedded_nats import EmbeddedNats, free_port

OUTAGE_S = 2.0
"""How long nats-server stays down: the fault itself, not a synchronisation."""
TASKS = 12
VERSIONS = 8
CTX = ServerCallContext()


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[EmbeddedNats]:
    nats_server = EmbeddedNats(tmp_path / "nats", port=free_port())
    nats_server.start()
    yield nats_server
    nats_server.stop()


@pytest.fixture
async def nc(server: EmbeddedNats) -> AsyncIterator[NATS]:
    conn = await nats.connect(server.url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    yield conn
    await conn.close()


async def open_store(nc: NATS, prefix: str = "t", window_s: float = 30.0) -> JetStreamTaskStore:
    async def alive(_: str) -> bool:
        return True

    store, _ = await open_jetstream_tasks(
        nc,
        agent="orders",
        prefix=prefix,
        instance="r1",
        retention_s=3600,
        runner_alive=alive,
        retry=OutageRetry(window_s=window_s),
    )
    return store


def version_of(n: int, task_id: str, state: TaskState = TaskState.TASK_STATE_WORKING) -> Task:
    """The ``n``-th version of a task: its number is in the metadata, so history can be read."""
    task = Task(id=task_id, context_id="c1", status=TaskStatus(state=state))
    task.metadata.update({"n": n})
    return task


async def history(nc: NATS, store: JetStreamTaskStore, task_id: str) -> list[tuple[int, int]]:
    """(revision, version number) of every message on the task's subject, in stream order."""
    layout = store._layout  # noqa: SLF001 - the test reads the raw stream behind the store
    js = nc.jetstream()
    seen: list[tuple[int, int]] = []
    seq = 1
    while True:
        try:
            msg = await js.get_msg(
                layout.stream, seq=seq, subject=layout.subject(task_id), next=True
            )
        except NotFoundError:
            return seen
        entry = decode_version(msg.data, msg.headers, msg.seq)
        seen.append((entry.revision, int(entry.task.metadata["n"])))
        seq = msg.seq + 1


async def test_writes_ride_out_a_nats_restart(
    server: EmbeddedNats, nc: NATS, caplog: pytest.LogCaptureFixture
) -> None:
    store = await open_store(nc)
    ids = [str(uuid.uuid4()) for _ in range(TASKS)]
    returned: dict[str, list[int]] = {task_id: [] for task_id in ids}
    written = 0
    progress = asyncio.Condition()
    server_down = asyncio.Event()
    held_back = TASKS // 2
    """Tasks whose later writes wait for the outage, so that some writes certainly meet it;
    the others run on freely and are in flight, or not, when the server goes down."""

    async def runner(index: int, task_id: str) -> None:
        nonlocal written
        version = TaskVersion.MISSING
        for n in range(1, VERSIONS + 1):
            if index < held_back and n == VERSIONS // 4 + 1:
                await server_down.wait()
            version = await store.save(
                version_of(n, task_id), event=None, prev=None, prev_version=version, context=CTX
            )
            returned[task_id].append(int(version._value))  # noqa: SLF001
            async with progress:
                written += 1
                progress.notify_all()

    async def outage() -> None:
        async with progress:  # stop once a quarter of the writes are in, the rest in flight
            await progress.wait_for(lambda: written >= TASKS * VERSIONS // 4)
        await asyncio.to_thread(server.stop)
        server_down.set()
        await asyncio.sleep(OUTAGE_S)
        await asyncio.to_thread(server.start)

    with caplog.at_level(logging.WARNING, logger="agents.runtime.jetstream_tasks"):
        await asyncio.wait_for(
            asyncio.gather(outage(), *(runner(i, t) for i, t in enumerate(ids))), 120
        )

    assert any("retries" in r.getMessage() for r in caplog.records), "no write met the outage"
    for task_id in ids:
        revisions = returned[task_id]
        assert revisions == sorted(set(revisions)), revisions  # strictly increasing
        # the stream holds each version exactly once, in order, at the revision save returned
        assert await history(nc, store, task_id) == list(
            zip(revisions, range(1, VERSIONS + 1), strict=True)
        )
        stored = await store.get(task_id, CTX)
        assert stored is not None and int(stored.version._value) == revisions[-1]  # noqa: SLF001
        done = await store.save(
            version_of(VERSIONS + 1, task_id, TaskState.TASK_STATE_COMPLETED),
            event=None,
            prev=None,
            prev_version=stored.version,
            context=CTX,
        )
        final = await store.get(task_id, CTX)
        assert final is not None and final.version == done
        assert final.task.status.state == TaskState.TASK_STATE_COMPLETED


class LostReplies:
    """The store's JetStream context, except that the first ``n`` publish acks are dropped
    after the server stored the message: exactly what a connection lost mid-reply does."""

    def __init__(self, js: Any, n: int) -> None:
        self._js = js
        self.to_lose = n

    async def publish(self, *args: Any, **kwargs: Any) -> Any:
        ack = await self._js.publish(*args, **kwargs)
        if self.to_lose:
            self.to_lose -= 1
            raise NatsTimeoutError
        return ack

    def __getattr__(self, name: str) -> Any:
        return getattr(self._js, name)


async def test_a_write_whose_reply_was_lost_is_adopted_not_failed(
    nc: NATS, subject_prefix: str
) -> None:
    store = await open_store(nc, subject_prefix)
    task_id = str(uuid.uuid4())
    v1 = await store.save(
        version_of(1, task_id), event=None, prev=None, prev_version=TaskVersion.MISSING, context=CTX
    )
    lossy = LostReplies(store._js, 1)  # noqa: SLF001
    store._js = lossy  # noqa: SLF001
    v2 = await store.save(
        version_of(2, task_id), event=None, prev=None, prev_version=v1, context=CTX
    )
    assert lossy.to_lose == 0
    assert [n for _, n in await history(nc, store, task_id)] == [1, 2]  # written once
    stored = await store.get(task_id, CTX)
    assert stored is not None and stored.version == v2 and stored.task.metadata["n"] == 2


class RefusedThenLost(LostReplies):
    """Before the store's first publish, ``first`` runs (another replica's write); that publish
    then gets no reply, as if the connection dropped; later publishes pass through."""

    def __init__(self, js: Any, first: Any) -> None:
        super().__init__(js, 0)
        self._first: Any = first

    async def publish(self, *args: Any, **kwargs: Any) -> Any:
        if self._first is None:
            return await self._js.publish(*args, **kwargs)
        first, self._first = self._first, None
        await first()
        raise NatsTimeoutError


async def test_a_lost_reply_is_not_mistaken_for_a_write_another_writer_made(
    nc: NATS, subject_prefix: str
) -> None:
    store = await open_store(nc, subject_prefix)
    other = await open_store(nc, subject_prefix)  # a second replica on the same bucket
    task_id = str(uuid.uuid4())
    v1 = await store.save(
        version_of(1, task_id), event=None, prev=None, prev_version=TaskVersion.MISSING, context=CTX
    )

    async def the_other_replica_writes() -> None:
        await other.save(
            version_of(9, task_id), event=None, prev=None, prev_version=v1, context=CTX
        )

    store._js = RefusedThenLost(store._js, the_other_replica_writes)  # noqa: SLF001
    with pytest.raises(ConcurrentTaskModificationError):
        await store.save(
            version_of(2, task_id), event=None, prev=None, prev_version=v1, context=CTX
        )
    assert [n for _, n in await history(nc, store, task_id)] == [1, 9]


async def test_an_outage_longer_than_the_window_fails_and_writes_nothing(
    server: EmbeddedNats, subject_prefix: str
) -> None:
    lost = asyncio.Event()

    async def disconnected() -> None:
        lost.set()

    nc = await nats.connect(
        server.url, max_reconnect_attempts=-1, reconnect_time_wait=0.2, disconnected_cb=disconnected
    )
    try:
        store = await open_store(nc, subject_prefix, window_s=1.0)
        task_id = str(uuid.uuid4())
        v1 = await store.save(
            version_of(1, task_id),
            event=None,
            prev=None,
            prev_version=TaskVersion.MISSING,
            context=CTX,
        )
        await asyncio.to_thread(server.stop)
        await lost.wait()
        with pytest.raises(TaskStoreUnavailableError):
            await store.save(
                version_of(2, task_id), event=None, prev=None, prev_version=v1, context=CTX
            )
        await asyncio.to_thread(server.start)
        read = await store.get(task_id, CTX)  # a new call, a new window: it waits for the reconnect
        assert read is not None and read.version == v1 and read.task.metadata["n"] == 1
    finally:
        await nc.close()
