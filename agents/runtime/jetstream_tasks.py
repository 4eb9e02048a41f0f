"""A2A tasks and their events in NATS JetStream, for the SDK's ``a2a.server.cluster`` interfaces.

One KV bucket per agent, ``<prefix>_tasks_<agent>``, shared by every replica of the agent
(docs/nats-binding.md). Its stream holds one subject per task, ``$KV.<bucket>.<task id>``, and
each message on it is one version of the task: the task's protobuf bytes, the event that produced
that version, and the owner and the writing instance (the task's runner) in headers.

- ``JetStreamTaskStore``: the KV revision is the ``TaskVersion``; every write is a
  compare-and-set on it (``Nats-Expected-Last-Subject-Sequence``), so two replicas can never both
  advance one task. State and event are one message: there is no moment where one exists
  without the other.
- ``JetStreamTaskEvents`` (jetstream_events.py): the same subject read as an event stream;
  ``subscribe(after=v)`` is an ordered consumer starting at stream sequence ``v + 1``.

When a subscriber's stream is quiet it re-reads the task, and when the instance named as its
runner is no longer alive it records the task FAILED, so a replica that dies mid-task cannot leave
a subscriber waiting.

Through a NATS outage (agents/runtime/outage_retry.py) every read and write is retried within the
store's window. A write carries a unique ``Nats-Msg-Id``; when its reply was lost (a timeout, the
connection dropped) the write may still have landed, so a retry that the server refuses as
"wrong last sequence" reads the key back: if the last version is this very write (same id, same
bytes), its revision is adopted; otherwise another writer won and the CAS failed honestly.
"""

from __future__ import annotations

import asyncio
import logging
import struct
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from a2a.server.cluster import (
    ConcurrentTaskModificationError,
    StoredTask,
    TaskVersion,
    VersionedTaskStore,
)
from a2a.server.context import ServerCallContext
from a2a.server.events.event_queue import Event
from a2a.server.id_generator import IDGenerator, IDGeneratorContext
from a2a.server.owner_resolver import OwnerResolver, resolve_user_scope
from a2a.server.tasks import InMemoryTaskStore
from a2a.types import (
    ListTasksRequest,
    ListTasksResponse,
    Message,
    Part,
    Role,
    StreamResponse,
    Task,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
)
from a2a.utils.proto_utils import to_stream_response
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, RawStreamMsg, StorageType
from nats.js.errors import APIError, NotFoundError
from nats.js.kv import KV_OP, KeyValue

from agents.runtime.outage_retry import Attempts, OutageRetry, is_transient
from protocol.binding import tasks_bucket
from protocol.jetstream_kv import open_kv

logger = logging.getLogger(__name__)
T = TypeVar("T")

TERMINAL = frozenset(
    {
        TaskState.TASK_STATE_COMPLETED,
        TaskState.TASK_STATE_CANCELED,
        TaskState.TASK_STATE_FAILED,
        TaskState.TASK_STATE_REJECTED,
    }
)
INTERRUPTED = frozenset({TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_AUTH_REQUIRED})
OWNER_HEADER = "Deskmesh-Owner"
RUNNER_HEADER = "Deskmesh-Runner"
EXPECTED_LAST = "Nats-Expected-Last-Subject-Sequence"
ROLLUP = "Nats-Rollup"
MSG_ID = "Nats-Msg-Id"
HISTORY = 64
"""Versions kept per task for replay (the most NATS KV allows); a finished task keeps one."""
WRONG_LAST_SEQUENCE = (10071, 10164)
RUNNER_GONE = "the replica running this task stopped before it finished"
DEFAULT_RETENTION_S = 7 * 24 * 3600.0
FINISHED_MEMORY = 10_000


@dataclass(frozen=True, slots=True)
class TaskLayout:
    """Names of one agent's task bucket, its stream and a task's subject."""

    bucket: str

    @classmethod
    def for_agent(cls, agent: str, prefix: str) -> TaskLayout:
        return cls(bucket=tasks_bucket(agent, prefix))

    @property
    def stream(self) -> str:
        return f"KV_{self.bucket}"

    def subject(self, task_id: str) -> str:
        return f"$KV.{self.bucket}.{task_id}"


@dataclass(frozen=True, slots=True)
class TaskEntry:
    task: Task
    revision: int
    owner: str
    runner: str
    event: Event | None = None


def _encode(task: Task, event: Event | None) -> bytes:
    body = task.SerializeToString()
    tail = to_stream_response(event).SerializeToString() if event is not None else b""
    return struct.pack(">I", len(body)) + body + tail


def decode_version(data: bytes, headers: dict[str, str] | None, revision: int) -> TaskEntry:
    (size,) = struct.unpack_from(">I", data)
    task = Task.FromString(data[4 : 4 + size])
    tail = data[4 + size :]
    event = _event_from(StreamResponse.FromString(tail)) if tail else None
    meta = headers or {}
    return TaskEntry(task, revision, meta.get(OWNER_HEADER, ""), meta.get(RUNNER_HEADER, ""), event)


def revision_of(version: TaskVersion) -> int:
    value = version._value  # noqa: SLF001 - the SDK offers no public accessor
    if not isinstance(value, int):
        raise TypeError(f"JetStream task versions are KV revisions, got {value!r}")
    return value


def supports_message_ttl(nc: NATS) -> bool:
    version = nc.connected_server_version
    return (version.major, version.minor) >= (2, 11)


class JetStreamTaskStore(VersionedTaskStore):
    """Tasks of one agent in a KV bucket; the KV revision is the version, writes are CAS."""

    def __init__(
        self,
        nc: NATS,
        kv: KeyValue,
        layout: TaskLayout,
        *,
        instance: str,
        retention_s: float,
        message_ttl: bool,
        direct: bool,
        retry: OutageRetry,
        owner_resolver: OwnerResolver = resolve_user_scope,
    ) -> None:
        self._nc = nc
        self._js: JetStreamContext = nc.jetstream()
        self._retry = retry
        self._kv = kv
        self._layout = layout
        self.instance = instance
        self._retention_s = retention_s
        self._message_ttl = message_ttl
        self._direct = direct
        """Reads are direct gets when the bucket allows them (one it created does)."""
        self.owner_resolver = owner_resolver
        self._finished_at: OrderedDict[str, int] = OrderedDict()
        """Revisions at which this store read a task finished (a bounded memory)."""
        self._fresh: OrderedDict[str, None] = OrderedDict()
        """Task ids this process just generated and nobody has written yet (FreshTaskIds)."""

    # --- VersionedTaskStore ---

    async def save(
        self,
        task: Task,
        *,
        event: Event | None,
        prev: Task | None,
        prev_version: TaskVersion,
        context: ServerCallContext,
    ) -> TaskVersion:
        owner = self.owner_resolver(context)
        if task.status.state == TaskState.TASK_STATE_CANCELED:
            return TaskVersion(await self._write_cancel(task, event, owner))
        del prev  # the SDK may hand in the very object it mutated; revisions are the truth
        last = 0 if prev_version.is_missing else revision_of(prev_version)
        if self._finished_at.get(task.id) == last:
            # A finished task stays finished: after a remote cancel the runner reloads the
            # CANCELED task and may still hold its executor's later events.
            raise ConcurrentTaskModificationError(task.id)
        revision = await self._write(task, event, owner, last)
        if revision is None:
            raise ConcurrentTaskModificationError(task.id)
        return TaskVersion(revision)

    async def get(self, task_id: str, context: ServerCallContext) -> StoredTask | None:
        entry = await self.read(task_id)
        if entry is None or entry.owner != self.owner_resolver(context):
            return None
        return StoredTask(entry.task, TaskVersion(entry.revision))

    async def list(self, params: ListTasksRequest, context: ServerCallContext) -> ListTasksResponse:
        # The SDK's in-memory store holds the filter, order and page-token rules; it is fed the
        # caller's tasks only, so a listing never shows another owner's task.
        owner = self.owner_resolver(context)
        page = InMemoryTaskStore(owner_resolver=self.owner_resolver)
        for key in await self._keys():
            entry = await self.read(key)
            if entry is not None and entry.owner == owner:
                await page.save(entry.task, context)
        return await page.list(params, context)

    async def delete(self, task_id: str, context: ServerCallContext) -> None:
        entry = await self.read(task_id)
        if entry is not None and entry.owner == self.owner_resolver(context):
            await self.retried(f"deleting task {task_id}", lambda: self._kv.purge(task_id))

    # --- used by the event stream ---

    def mark_fresh(self, task_id: str) -> None:
        self._fresh[task_id] = None
        while len(self._fresh) > FINISHED_MEMORY:
            self._fresh.popitem(last=False)

    async def read(self, task_id: str) -> TaskEntry | None:
        if task_id in self._fresh:
            return None  # generated here a moment ago: no replica can have written it
        msg = await self._last_version(task_id, self._retry.start())
        if msg is None:
            return None
        entry = decode_version(msg.data, msg.headers, msg.seq)
        if entry.task.status.state in TERMINAL:
            self._finished_at[task_id] = entry.revision
            while len(self._finished_at) > FINISHED_MEMORY:
                self._finished_at.popitem(last=False)
        return entry

    async def record_runner_gone(self, entry: TaskEntry) -> TaskEntry | None:
        """Mark an orphaned task FAILED (CAS on the revision read); None if someone else won."""
        failed = Task()
        failed.CopyFrom(entry.task)
        failed.status.CopyFrom(_failed_status(entry.task))
        event = TaskStatusUpdateEvent(
            task_id=failed.id, context_id=failed.context_id, status=failed.status
        )
        revision = await self._write(failed, event, entry.owner, entry.revision)
        if revision is None:
            return None
        return TaskEntry(failed, revision, entry.owner, self.instance, event)

    # --- internals ---

    async def _write(self, task: Task, event: Event | None, owner: str, last: int) -> int | None:
        """Compare-and-set on the key's last revision; None when it moved on (or exists).

        Retried through an outage; after a lost reply, a refused retry reads the key back to
        learn whether the lost attempt landed (module docstring)."""
        data = _encode(task, event)
        write_id = uuid.uuid4().hex
        headers = {
            EXPECTED_LAST: str(last),
            OWNER_HEADER: owner,
            RUNNER_HEADER: self.instance,
            MSG_ID: write_id,
        }
        ttl = None
        if task.status.state in TERMINAL:
            # a finished task keeps this version only, so its expiry cannot uncover an older one
            headers[ROLLUP] = "sub"
            ttl = self._retention_s if self._message_ttl else None
        what = f"writing task {task.id}"
        attempts = self._retry.start()
        unanswered = False
        """An earlier attempt got no answer: it may have landed."""
        while True:
            await attempts.until_connected(self._nc, what)
            try:
                ack = await self._js.publish(
                    self._layout.subject(task.id),
                    data,
                    timeout=attempts.timeout(),
                    stream=self._layout.stream,
                    headers=dict(headers),
                    msg_ttl=ttl,
                )
            except APIError as e:
                if e.err_code in WRONG_LAST_SEQUENCE:
                    return (
                        await self._landed(task.id, write_id, data, attempts)
                        if unanswered
                        else None
                    )
                if not is_transient(e):
                    raise
                await attempts.pause(what, e)
            except Exception as e:
                if not is_transient(e):
                    raise
                unanswered = True
                logger.warning("%s: no answer (%s); retrying", what, type(e).__name__)
                await attempts.pause(what, e)
            else:
                self._fresh.pop(task.id, None)
                if attempts.retries:
                    logger.warning("%s: written after %d retries", what, attempts.retries)
                return int(ack.seq)

    async def _landed(
        self, task_id: str, write_id: str, data: bytes, attempts: Attempts
    ) -> int | None:
        """The revision of write ``write_id`` if it is the task's last version, else None."""
        msg = await self._last_version(task_id, attempts)
        if msg is None or (msg.headers or {}).get(MSG_ID) != write_id or msg.data != data:
            return None
        self._fresh.pop(task_id, None)
        logger.warning(
            "writing task %s: an unanswered attempt had landed (revision %d)", task_id, msg.seq
        )
        return int(msg.seq)

    async def _last_version(self, task_id: str, attempts: Attempts) -> RawStreamMsg | None:
        """The last message on the task's subject; None when there is none, or it is a delete."""
        what = f"reading task {task_id}"
        while True:
            await attempts.until_connected(self._nc, what)
            try:
                async with asyncio.timeout(attempts.timeout()):
                    msg = await self._js.get_msg(
                        self._layout.stream,
                        subject=self._layout.subject(task_id),
                        direct=self._direct,
                    )
            except NotFoundError:
                return None
            except Exception as e:
                if not is_transient(e):
                    raise
                await attempts.pause(what, e)
                continue
            if not msg.data or (msg.headers or {}).get(KV_OP):
                return None  # deleted or purged
            return msg

    async def retried(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        """``call`` retried through an outage (for idempotent calls)."""
        attempts = self._retry.start()
        while True:
            await attempts.until_connected(self._nc, what)
            try:
                return await call()
            except Exception as e:
                if not is_transient(e):
                    raise
                await attempts.pause(what, e)

    async def _write_cancel(self, task: Task, event: Event | None, owner: str) -> int:
        """CANCELED overwrites any non-terminal state; a terminal or absent task refuses it."""
        while True:
            current = await self.read(task.id)
            if current is None or current.task.status.state in TERMINAL:
                raise ConcurrentTaskModificationError(task.id)
            revision = await self._write(task, event, owner, current.revision)
            if revision is not None:
                return revision

    async def _keys(self) -> list[str]:
        return await self.retried(f"listing {self._layout.bucket}", self._task_ids)

    async def _task_ids(self) -> list[str]:
        """Every task id with a message on its subject, from the stream's subject counts.

        Not ``KeyValue.keys()``: its watcher signals "no more keys" when the consumer info
        says nothing is pending and none was handed to the callback yet, which under load is
        also true while delivered messages still wait in the client, so it can list nothing.
        One stream-info request is answered from the stream's index instead. The server sends
        up to 100,000 subjects in one reply; retention keeps a bucket far below that.
        """
        prefix = self._layout.subject("")
        info = await self._js.stream_info(self._layout.stream, subjects_filter=f"{prefix}>")
        return [subject[len(prefix) :] for subject in info.state.subjects or {}]


class FreshTaskIds(IDGenerator):
    """The handler's task ids (UUID4), each known to the store as unwritten until its first
    write: the SDK reads a new task several times before creating it, and those reads then need
    no round trip to NATS."""

    def __init__(self, store: JetStreamTaskStore) -> None:
        self._store = store

    def generate(self, context: IDGeneratorContext) -> str:
        del context
        task_id = str(uuid.uuid4())
        self._store.mark_fresh(task_id)
        return task_id


def _failed_status(task: Task) -> TaskStatus:
    status = TaskStatus(
        state=TaskState.TASK_STATE_FAILED,
        message=Message(
            message_id=f"{task.id}-runner-gone",
            task_id=task.id,
            context_id=task.context_id,
            role=Role.ROLE_AGENT,
            parts=[Part(text=RUNNER_GONE)],
        ),
    )
    status.timestamp.FromDatetime(datetime.now(UTC))
    return status


def _event_from(response: StreamResponse) -> Event:
    which = response.WhichOneof("payload")
    if which is None:
        raise ValueError("event without payload")
    return getattr(response, which)


async def open_task_bucket(
    js: JetStreamContext, bucket: str, ttl_s: float | None, *, replicas: int = 1
) -> KeyValue:
    config = KeyValueConfig(
        bucket=bucket, history=HISTORY, ttl=ttl_s, storage=StorageType.FILE, replicas=replicas
    )
    return await open_kv(js, config)


async def jetstream_available(nc: NATS) -> bool:
    try:
        await nc.jetstream().account_info()
    except Exception:  # noqa: BLE001 - any failure means: no JetStream for us
        return False
    return True
