"""Any replica serves any task: two agent processes sharing only a real nats-server (JetStream).

Tasks start on replica r1; r2 reads, follows up, subscribes and cancels them, over HTTP while both
run, and over NATS once r1 is SIGKILLed mid-stream (the NATS queue group then has only r2), where
r2's subscriber also sees the killed task end (FAILED: its runner's card expired).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import nats
import pytest
from a2a.client import A2AClientError, Client
from a2a.types import (
    CancelTaskRequest,
    GetTaskRequest,
    SendMessageRequest,
    StreamResponse,
    SubscribeToTaskRequest,
    Task,
    TaskState,
)
from nats.aio.client import Client as NATS

from agents.runtime.jetstream_tasks import RUNNER_GONE
from tests.deploy.compose import LocalAgent
from tests.tasks.replicas import (
    artifact_text,
    client_for,
    start_replica,
    state_of,
    unique_subject,
    user_text,
)

TIMEOUT_S = 60
CARD_TTL_S = 4.0
ENDS = {
    TaskState.TASK_STATE_COMPLETED,
    TaskState.TASK_STATE_CANCELED,
    TaskState.TASK_STATE_FAILED,
    TaskState.TASK_STATE_INPUT_REQUIRED,
}


def start_pair(nats_url: str, prefix: str, var_dir: Path) -> Iterator[dict[str, LocalAgent]]:
    started = {
        name: start_replica(
            name, nats_url=nats_url, prefix=prefix, var_dir=var_dir, card_ttl_s=CARD_TTL_S
        )
        for name in ("r1", "r2")
    }
    try:
        for replica in started.values():
            replica.wait_ready(90)
        yield started
    finally:
        for replica in started.values():
            replica.terminate()


@pytest.fixture(scope="module")
def replicas(
    nats_url: str, run_id: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, LocalAgent]]:
    """A pair that lives through the module's tests that leave both replicas running."""
    yield from start_pair(nats_url, f"rep{run_id}", tmp_path_factory.mktemp("replicas"))


@pytest.fixture
def doomed_replicas(
    nats_url: str, subject_prefix: str, tmp_path: Path
) -> Iterator[dict[str, LocalAgent]]:
    yield from start_pair(nats_url, subject_prefix, tmp_path)


@pytest.fixture
async def nc(nats_url: str) -> AsyncIterator[NATS]:
    conn = await nats.connect(nats_url)
    yield conn
    await conn.close()


async def send(client: Client, text: str, task: Task | None = None) -> Task:
    """A blocking send: the task as it stands when it ends or is interrupted."""
    task_id = task.id if task is not None else ""
    async for response in client.send_message(SendMessageRequest(message=user_text(text, task))):
        task_id = task_id or response.task.id
    return await client.get_task(GetTaskRequest(id=task_id))


class Stream:
    """A stream read in the background: its events, and the task id once the first arrives."""

    def __init__(self, responses: AsyncIterator[StreamResponse]) -> None:
        self.events: list[StreamResponse] = []
        self.started = asyncio.Event()
        self.task_id = ""
        self.reader = asyncio.create_task(self._read(responses))

    async def _read(self, responses: AsyncIterator[StreamResponse]) -> None:
        async for response in responses:
            self.events.append(response)
            if response.WhichOneof("payload") == "task" and not self.task_id:
                self.task_id = response.task.id
            if state_of(response) == TaskState.TASK_STATE_WORKING or self.task_id:
                self.started.set()

    async def first(self) -> str:
        async with asyncio.timeout(TIMEOUT_S):
            await self.started.wait()
        return self.task_id

    async def end(self) -> TaskState:
        async with asyncio.timeout(TIMEOUT_S):
            await self.reader
        states = [state_of(e) for e in self.events if state_of(e) in ENDS]
        assert states, self.events
        return states[-1]


def start_waiting(client: Client, gate: str) -> Stream:
    return Stream(client.send_message(SendMessageRequest(message=user_text(f"wait {gate}"))))


async def test_the_other_replica_reads_and_follows_up_over_http(
    replicas: dict[str, LocalAgent],
) -> None:
    async with httpx.AsyncClient(timeout=TIMEOUT_S) as http:
        r1, r2 = [await client_for(http, replicas[n], None) for n in ("r1", "r2")]
        asked = await send(r1, "ask")
        assert asked.status.state == TaskState.TASK_STATE_INPUT_REQUIRED

        seen = await r2.get_task(GetTaskRequest(id=asked.id))
        assert seen.status.state == TaskState.TASK_STATE_INPUT_REQUIRED

        answered = await send(r2, "the second one", asked)
        assert answered.id == asked.id
        assert answered.status.state == TaskState.TASK_STATE_COMPLETED
        assert artifact_text(answered) == ["r2"]
        final = await r1.get_task(GetTaskRequest(id=asked.id))
        assert final.status.state == TaskState.TASK_STATE_COMPLETED


async def test_the_other_replica_subscribes_and_cancels_over_http(
    replicas: dict[str, LocalAgent], nc: NATS, run_id: str
) -> None:
    subject_prefix = f"rep{run_id}"
    async with httpx.AsyncClient(timeout=TIMEOUT_S) as http:
        r1, r2 = [await client_for(http, replicas[n], None) for n in ("r1", "r2")]
        gate = unique_subject(subject_prefix)
        running = start_waiting(r1, gate)
        task_id = await running.first()
        watcher = Stream(r2.subscribe(SubscribeToTaskRequest(id=task_id)))
        await watcher.first()
        await nc.publish(gate, b"go")
        assert await watcher.end() == TaskState.TASK_STATE_COMPLETED
        assert await running.end() == TaskState.TASK_STATE_COMPLETED
        done = await r2.get_task(GetTaskRequest(id=task_id))
        assert artifact_text(done) == ["r1"]

        gate = unique_subject(subject_prefix)
        doomed = start_waiting(r1, gate)
        task_id = await doomed.first()
        canceled = await r2.cancel_task(CancelTaskRequest(id=task_id))
        assert canceled.status.state == TaskState.TASK_STATE_CANCELED
        # r1's executor finishes its wait and tries to complete: its write loses the CAS
        await nc.publish(gate, b"go")
        assert await doomed.end() == TaskState.TASK_STATE_CANCELED
        final = await r1.get_task(GetTaskRequest(id=task_id))
        assert final.status.state == TaskState.TASK_STATE_CANCELED
        assert artifact_text(final) == []


async def test_sigkill_mid_stream_then_replica_two_serves_everything_over_nats(
    doomed_replicas: dict[str, LocalAgent], nc: NATS, subject_prefix: str
) -> None:
    replicas = doomed_replicas
    async with httpx.AsyncClient(timeout=TIMEOUT_S) as http:
        r1, r2 = [await client_for(http, replicas[n], None) for n in ("r1", "r2")]
        follow_up = await send(r1, "ask")
        to_cancel = await send(r1, "ask")
        running = start_waiting(r1, unique_subject(subject_prefix))
        task_id = await running.first()
        watcher = Stream(r2.subscribe(SubscribeToTaskRequest(id=task_id)))
        await watcher.first()

        replicas["r1"].process.kill()
        replicas["r1"].process.wait()
        with pytest.raises(A2AClientError):  # r1's own stream dies with it
            async with asyncio.timeout(TIMEOUT_S):
                await running.reader
        over_nats = await client_for(http, replicas["r2"], nc)
        nats_watcher = Stream(over_nats.subscribe(SubscribeToTaskRequest(id=task_id)))

        assert await watcher.end() == TaskState.TASK_STATE_FAILED
        assert await nats_watcher.end() == TaskState.TASK_STATE_FAILED
        failed = await over_nats.get_task(GetTaskRequest(id=task_id))
        assert failed.status.state == TaskState.TASK_STATE_FAILED
        assert RUNNER_GONE in failed.status.message.parts[0].text

        answered = await send(over_nats, "the first one", follow_up)
        assert answered.status.state == TaskState.TASK_STATE_COMPLETED
        assert artifact_text(answered) == ["r2"]
        canceled = await over_nats.cancel_task(CancelTaskRequest(id=to_cancel.id))
        assert canceled.status.state == TaskState.TASK_STATE_CANCELED
        again = await r2.get_task(GetTaskRequest(id=to_cancel.id))
        assert again.status.state == TaskState.TASK_STATE_CANCELED
