"""JetStreamTaskStore and JetStreamTaskEvents against a real nats-server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import nats
import pytest
from a2a.auth.user import User
from a2a.server.cluster import ConcurrentTaskModificationError, TaskVersion, VersionedEvent
from a2a.server.context import ServerCallContext
from a2a.types import (
    ListTasksRequest,
    Task,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
)
from nats.aio.client import Client as NATS

from agents.runtime.jetstream_events import JetStreamTaskEvents, open_jetstream_tasks
from agents.runtime.jetstream_tasks import RUNNER_GONE, JetStreamTaskStore


class Named(User):
    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def user_name(self) -> str:
        return self._name


def as_user(name: str) -> ServerCallContext:
    return ServerCallContext(user=Named(name))


def a_task(state: TaskState = TaskState.TASK_STATE_WORKING, context_id: str = "c1") -> Task:
    return Task(id=str(uuid.uuid4()), context_id=context_id, status=TaskStatus(state=state))


@pytest.fixture
async def nc(nats_url: str) -> AsyncIterator[NATS]:
    conn = await nats.connect(nats_url)
    yield conn
    await conn.close()


FIRST = TaskVersion.MISSING


async def open_pair(
    nc: NATS, prefix: str, instance: str, alive: set[str]
) -> tuple[JetStreamTaskStore, JetStreamTaskEvents]:
    async def runner_alive(name: str) -> bool:
        return name in alive

    store, events = await open_jetstream_tasks(
        nc,
        agent="orders",
        prefix=prefix,
        instance=instance,
        retention_s=3600,
        runner_alive=runner_alive,
    )
    events._quiet_check_s = 0.2  # noqa: SLF001 - reconcile quickly in tests
    return store, events


async def test_versions_are_revisions_and_updates_compare_and_set(
    nc: NATS, subject_prefix: str
) -> None:
    store, _ = await open_pair(nc, subject_prefix, "r1", {"r1"})
    ctx = as_user("ava")
    task = a_task()
    v1 = await store.save(task, event=None, prev=None, prev_version=FIRST, context=ctx)
    with pytest.raises(ConcurrentTaskModificationError):  # a second first write loses
        await store.save(task, event=None, prev=None, prev_version=FIRST, context=ctx)
    v2 = await store.save(task, event=None, prev=task, prev_version=v1, context=ctx)
    assert v2.is_after(v1)
    with pytest.raises(ConcurrentTaskModificationError):  # stale version
        await store.save(task, event=None, prev=task, prev_version=v1, context=ctx)
    stored = await store.get(task.id, ctx)
    assert stored is not None and stored.version == v2 and stored.task == task


async def test_tasks_keep_their_owner(nc: NATS, subject_prefix: str) -> None:
    store, _ = await open_pair(nc, subject_prefix, "r1", {"r1"})
    mine, theirs = a_task(), a_task()
    for task, owner in ((mine, "ava"), (theirs, "bob")):
        await store.save(
            task, event=None, prev=None, prev_version=TaskVersion.MISSING, context=as_user(owner)
        )
    assert await store.get(theirs.id, as_user("ava")) is None
    listed = await store.list(ListTasksRequest(), as_user("ava"))
    assert [t.id for t in listed.tasks] == [mine.id]
    await store.delete(mine.id, as_user("bob"))  # not bob's: nothing happens
    assert await store.get(mine.id, as_user("ava")) is not None
    await store.delete(mine.id, as_user("ava"))
    assert await store.get(mine.id, as_user("ava")) is None
    assert not (await store.list(ListTasksRequest(), as_user("ava"))).tasks


async def test_a_listing_holds_every_task_once_whatever_its_versions(
    nc: NATS, subject_prefix: str
) -> None:
    store, _ = await open_pair(nc, subject_prefix, "r1", {"r1"})
    ctx = as_user("ava")
    tasks = [a_task() for _ in range(60)]
    for n, task in enumerate(tasks):
        version = await store.save(task, event=None, prev=None, prev_version=FIRST, context=ctx)
        for _ in range(n % 3):  # 1 to 3 versions: one listing entry each
            version = await store.save(
                task, event=None, prev=task, prev_version=version, context=ctx
            )
    listed = await store.list(ListTasksRequest(page_size=100), ctx)
    assert sorted(t.id for t in listed.tasks) == sorted(t.id for t in tasks)


async def test_cancel_overwrites_a_running_task_but_not_a_finished_one(
    nc: NATS, subject_prefix: str
) -> None:
    store, _ = await open_pair(nc, subject_prefix, "r1", {"r1"})
    ctx = as_user("")
    running, done = a_task(), a_task(TaskState.TASK_STATE_COMPLETED)
    for task in (running, done):
        await store.save(task, event=None, prev=None, prev_version=FIRST, context=ctx)
    for task in (running, done):
        task.status.state = TaskState.TASK_STATE_CANCELED
    await store.save(running, event=None, prev=None, prev_version=TaskVersion(1), context=ctx)
    with pytest.raises(ConcurrentTaskModificationError):
        await store.save(done, event=None, prev=None, prev_version=TaskVersion(1), context=ctx)
    got = await store.get(done.id, ctx)
    assert got is not None and got.task.status.state == TaskState.TASK_STATE_COMPLETED


async def test_subscribe_replays_only_events_after_the_version(
    nc: NATS, subject_prefix: str
) -> None:
    store, events = await open_pair(nc, subject_prefix, "r1", {"r1"})
    ctx = as_user("")
    task = a_task()
    versions = []
    version = TaskVersion.MISSING
    for state in (
        TaskState.TASK_STATE_WORKING,
        TaskState.TASK_STATE_WORKING,
        TaskState.TASK_STATE_COMPLETED,
    ):
        task.status.state = state
        event = TaskStatusUpdateEvent(
            task_id=task.id, context_id="c1", status=TaskStatus(state=state)
        )
        version = await store.save(task, event=event, prev=None, prev_version=version, context=ctx)
        versions.append(version)
        await events.publish(task.id, VersionedEvent(event, version))
    seen = []
    async for versioned in events.subscribe(task.id, after=versions[0]):
        seen.append((versioned.version, versioned.event.status.state))
        if versioned.event.status.state == TaskState.TASK_STATE_COMPLETED:
            break
    # the finished task rolled its history up to its last version
    assert seen == [(versions[2], TaskState.TASK_STATE_COMPLETED)]


async def test_subscribe_follows_a_running_task_event_by_event(
    nc: NATS, subject_prefix: str
) -> None:
    store, events = await open_pair(nc, subject_prefix, "r1", {"r1"})
    ctx = as_user("")
    task = a_task()
    first = await store.save(task, event=None, prev=None, prev_version=FIRST, context=ctx)
    received: list[tuple[TaskVersion, TaskState]] = []
    subscribed = events.subscribe(task.id, after=first)
    version = first
    for state in (TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_INPUT_REQUIRED):
        task.status.state = state
        event = TaskStatusUpdateEvent(
            task_id=task.id, context_id="c1", status=TaskStatus(state=state)
        )
        version = await store.save(task, event=event, prev=None, prev_version=version, context=ctx)
        versioned = await anext(subscribed)
        received.append((versioned.version, versioned.event.status.state))
    await subscribed.aclose()
    assert [s for _, s in received] == [
        TaskState.TASK_STATE_WORKING,
        TaskState.TASK_STATE_INPUT_REQUIRED,
    ]
    assert received[-1][0] == version and received[1][0].is_after(received[0][0])


async def test_a_task_whose_runner_is_gone_ends_failed(nc: NATS, subject_prefix: str) -> None:
    runner, _ = await open_pair(nc, subject_prefix, "r1", set())
    store, events = await open_pair(nc, subject_prefix, "r2", {"r2"})  # r1 is not alive
    ctx = as_user("ava")
    task = a_task()
    v1 = await runner.save(
        task, event=None, prev=None, prev_version=TaskVersion.MISSING, context=ctx
    )
    async for versioned in events.subscribe(task.id, after=v1):
        assert versioned.event.status.state == TaskState.TASK_STATE_FAILED
        assert RUNNER_GONE in versioned.event.status.message.parts[0].text
        break
    stored = await store.get(task.id, ctx)
    assert stored is not None and stored.task.status.state == TaskState.TASK_STATE_FAILED
    with pytest.raises(ConcurrentTaskModificationError):  # the runner's late write loses
        await runner.save(task, event=None, prev=None, prev_version=v1, context=ctx)
