"""The JetStream task store while a replicated bucket loses the server that leads it.

A local 3-node cluster (tests/nats_cluster.py), a task bucket with 3 replicas; the server that
leads the bucket's stream is stopped and the next version of a task is written at once. The
write must succeed (the stream elects a new leader within seconds) and be stored exactly once,
whichever way the publish went: answered, or unanswered and then found or resent.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest
from a2a.server.cluster import TaskVersion
from a2a.types import Task, TaskState, TaskStatus

from agents.runtime.jetstream_events import open_jetstream_tasks
from tests.nats_cluster import LocalCluster
from tests.tasks.test_jetstream_store import as_user


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[LocalCluster]:
    cluster = LocalCluster(tmp_path / "cluster")
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


async def test_a_write_while_the_stream_leader_is_gone_is_stored_once(
    cluster: LocalCluster, subject_prefix: str
) -> None:
    nc = await nats.connect(servers=cluster.url.split(","), max_reconnect_attempts=-1)
    try:

        async def alive(instance: str) -> bool:
            return True

        store, _ = await open_jetstream_tasks(
            nc,
            agent="orders",
            prefix=subject_prefix,
            instance="r1",
            retention_s=3600,
            replicas=3,
            runner_alive=alive,
        )
        ctx = as_user("ava")
        versions: list[TaskVersion] = []
        tasks: list[Task] = []
        for _ in range(8):
            task = Task(
                id=str(uuid.uuid4()),
                context_id="c1",
                status=TaskStatus(state=TaskState.TASK_STATE_SUBMITTED),
            )
            first = TaskVersion.MISSING
            versions.append(
                await store.save(task, event=None, prev=None, prev_version=first, context=ctx)
            )
            tasks.append(task)
        stream = f"KV_{subject_prefix}_tasks_orders"
        info = await nc.jetstream().stream_info(stream)
        assert info.config.num_replicas == 3 and info.cluster is not None
        leader = cluster.node(str(info.cluster.leader))
        await asyncio.to_thread(leader.stop)

        async def advance(task: Task, version: TaskVersion) -> TaskVersion:
            task.status.state = TaskState.TASK_STATE_WORKING
            return await store.save(task, event=None, prev=task, prev_version=version, context=ctx)

        advanced = await asyncio.gather(*map(advance, tasks, versions))
        for task, version in zip(tasks, advanced, strict=True):
            stored = await store.get(task.id, ctx)
            assert stored is not None and stored.version == version
            assert stored.task.status.state == TaskState.TASK_STATE_WORKING
        state = (await nc.jetstream().stream_info(stream)).state
        assert state.messages == 2 * len(tasks)  # each task: its first and its second version
    finally:
        await nc.close()
