"""Chaos harness: the real mesh (agent processes, embedded nats-server, SQLite), a stream of
τ-bench write tickets, faults injected while they run, and an audit of what really happened.

Used by ``tests/chaos`` (small runs in CI) and ``bench/chaos.py`` (the 300-ticket measurement).
Every ticket asks to cancel one distinct pending τ-bench order, so the gold end state is the
oracle's replay of exactly the cancellations that were done, and each ticket's outcome can be
checked against the store: a ticket that says ``completed`` must have its write in the store.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from a2a.client import ClientCallContext, create_client
from a2a.client.client import ClientConfig
from a2a.types import AgentCard, SendMessageRequest, Task, TaskState
from google.protobuf.json_format import MessageToDict

from deskmesh.ask import ticket_message
from deskmesh.child_process import die_with_parent
from deskmesh.embedded_nats import free_port
from deskmesh.runner import Mesh
from store import Store, canonical, load_tau, replay
from store.seeds import tau_retail_dir

REASON = "no longer needed"
TICKET_TIMEOUT_S = 240.0
MESH_START_TIMEOUT_S = 300.0
STATE_NAMES = {
    TaskState.TASK_STATE_COMPLETED: "completed",
    TaskState.TASK_STATE_FAILED: "failed",
    TaskState.TASK_STATE_REJECTED: "rejected",
    TaskState.TASK_STATE_INPUT_REQUIRED: "input-required",
    TaskState.TASK_STATE_CANCELED: "canceled",
}


@dataclass(frozen=True, slots=True)
class Ticket:
    order_id: str
    user_id: str
    text: str

    @property
    def gold(self) -> dict[str, Any]:
        return {
            "name": "cancel_pending_order",
            "kwargs": {"order_id": self.order_id, "reason": REASON},
        }


@dataclass(slots=True)
class TicketResult:
    ticket: Ticket
    state: str
    """Final A2A task state, or ``no-answer`` when the call itself failed."""
    seconds: float
    task_id: str = ""
    reply: dict[str, Any] = field(default_factory=dict)
    """The data part of the reply artifact."""


def tau_data() -> dict[str, Any]:
    return load_tau(tau_retail_dir())


def cancel_tickets(data: dict[str, Any], n: int, offset: int = 0) -> list[Ticket]:
    pending = sorted(o["order_id"] for o in data["orders"].values() if o["status"] == "pending")
    chosen = pending[offset : offset + n]
    if len(chosen) < n:
        raise ValueError(f"only {len(chosen)} pending orders from offset {offset}")
    return [
        Ticket(
            oid,
            data["orders"][oid]["user_id"],
            f"Please cancel my order {oid} because I no longer need it.",
        )
        for oid in chosen
    ]


def big_ticket(data: dict[str, Any], size_bytes: int, index: int) -> Ticket:
    """A ticket of about ``size_bytes`` of text that also asks to cancel the ``index``-th
    pending order (choose one outside the ordinary tickets)."""
    order = sorted(o["order_id"] for o in data["orders"].values() if o["status"] == "pending")[
        index
    ]
    head = f"Please cancel my order {order} because I no longer need it. "
    filler = "Here is some more background about my situation. "
    body = head + filler * max(0, (size_bytes - len(head)) // len(filler))
    return Ticket(order, data["orders"][order]["user_id"], body)


class ChaosMesh:
    """A Mesh on its own embedded NATS (fixed port, so it can be restarted) and τ-bench data."""

    def __init__(self, var_dir: Path, data: dict[str, Any], *, extra_env: dict[str, str]) -> None:
        self.var_dir = var_dir
        self.data = data
        self.mesh = Mesh(var_dir, nats_port=free_port(), extra_env=extra_env)
        self.replicas: list[subprocess.Popen[bytes]] = []

    async def start(self) -> None:
        await self.reset_store()  # non-empty: the runner does not seed the demo
        # generous: on a loaded 2-core machine four agent processes can take minutes to start
        await asyncio.to_thread(self.mesh.start, MESH_START_TIMEOUT_S)

    async def reset_store(self) -> None:
        async with Store(self.mesh.store_url()) as store:
            await store.reset(self.data)

    def stop(self) -> None:
        for process in self.replicas:
            if process.poll() is None:
                process.terminate()
                process.wait(20)
        self.mesh.stop()

    @property
    def triage_url(self) -> str:
        return self.mesh.triage_url

    def stop_nats(self) -> None:
        assert self.mesh.embedded_nats is not None
        self.mesh.embedded_nats.stop()

    def start_nats(self) -> None:
        assert self.mesh.embedded_nats is not None
        self.mesh.embedded_nats.start()

    def kill(self, agent: str) -> None:
        self.mesh.stop_agent(agent, kill=True)

    def restart(self, agent: str) -> None:
        self.mesh.start_agent(agent)

    def start_replica(self, agent: str) -> subprocess.Popen[bytes]:
        """A second instance of ``agent`` (same queue group); the mesh's own stays in place."""
        port = free_port()
        log = open(self.var_dir / "logs" / f"{agent}-replica.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", f"agents.{agent}"],
            env=self.mesh.agent_env(agent, port),
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),
        )
        log.close()
        self.replicas.append(process)
        deadline = time.monotonic() + 60
        with httpx.Client(timeout=2) as http:
            while True:
                try:
                    if http.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                        return process
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{agent} replica did not become ready")
                time.sleep(0.1)

    def kill_replica(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(20)


class TicketRun:
    """Sends tickets to triage over HTTP JSON-RPC, ``concurrency`` at a time."""

    def __init__(self, triage_url: str, concurrency: int) -> None:
        self._url = triage_url
        self._slots = asyncio.Semaphore(concurrency)
        self.finished = 0
        self._progress = asyncio.Condition()

    async def wait_finished(self, n: int, timeout_s: float = 300.0) -> None:
        async with asyncio.timeout(timeout_s), self._progress:
            await self._progress.wait_for(lambda: self.finished >= n)

    async def run(self, tickets: list[Ticket]) -> list[TicketResult]:
        async with httpx.AsyncClient(timeout=TICKET_TIMEOUT_S) as http:
            card = await _card(http, self._url)
            client = await create_client(
                card, client_config=ClientConfig(httpx_client=http, streaming=False)
            )
            return list(await asyncio.gather(*(self._one(client, t) for t in tickets)))

    async def _one(self, client: Any, ticket: Ticket) -> TicketResult:
        async with self._slots:
            started = time.perf_counter()
            try:
                result = await self._send(client, ticket, started)
            except Exception as e:  # noqa: BLE001 - the harness records every failure
                result = TicketResult(ticket, f"no-answer: {type(e).__name__}", 0.0)
                result.seconds = time.perf_counter() - started
        async with self._progress:
            self.finished += 1
            self._progress.notify_all()
        return result

    async def _send(self, client: Any, ticket: Ticket, started: float) -> TicketResult:
        message = ticket_message(ticket.text, ticket.user_id, None)
        context = ClientCallContext(timeout=TICKET_TIMEOUT_S)
        task: Task | None = None
        async for response in client.send_message(
            SendMessageRequest(message=message), context=context
        ):
            if response.HasField("task"):
                task = response.task
        seconds = time.perf_counter() - started
        if task is None:
            return TicketResult(ticket, "no-answer: no task", seconds)
        return TicketResult(
            ticket,
            STATE_NAMES.get(task.status.state, str(task.status.state)),
            seconds,
            task.id,
            _reply_data(task),
        )


async def _card(http: httpx.AsyncClient, url: str) -> AgentCard:
    from a2a.client import A2ACardResolver

    return await A2ACardResolver(http, url).get_agent_card()


def _reply_data(task: Task) -> dict[str, Any]:
    for artifact in task.artifacts:
        if artifact.name != "reply":
            continue
        for part in artifact.parts:
            if part.HasField("data"):
                return MessageToDict(part.data)
    return {}


@dataclass(slots=True)
class FaultTable:
    tickets: int = 0
    completed: int = 0
    """Ended ``completed`` with their write in the store."""
    failed: int = 0
    """Ended failed / rejected / input-required with their write not done (honest)."""
    silently_not_done: int = 0
    """Ended ``completed`` without their write: the fault this harness hunts."""
    failed_but_done: int = 0
    """Said it failed, but the write is in the store."""
    no_answer: int = 0
    duplicates: int = 0
    """Extra successful writes of one order beyond the first."""
    writes_done: int = 0
    store_matches_log: bool = False
    store_matches_gold: bool = False
    states: Counter[str] = field(default_factory=Counter)
    not_run_reasons: Counter[str] = field(default_factory=Counter)
    handed_off: int = 0
    """Tickets whose reply says a human has them."""

    @property
    def done_share(self) -> float:
        return self.writes_done / self.tickets if self.tickets else 0.0

    def row(self) -> str:
        return (
            f"tickets {self.tickets}: completed {self.completed}, failed {self.failed}, "
            f"silently-not-done {self.silently_not_done}, failed-but-done {self.failed_but_done}, "
            f"no-answer {self.no_answer}, duplicates {self.duplicates}, writes done "
            f"{self.writes_done} ({self.done_share:.1%}), store = log replay "
            f"{self.store_matches_log}, store = gold {self.store_matches_gold}"
        )


async def audit(store_url: str, data: dict[str, Any], results: list[TicketResult]) -> FaultTable:
    """Compare every ticket's outcome with the store, the store with the replay of its own
    action log, and with the oracle's replay of the gold writes that were done."""
    table = FaultTable(tickets=len(results))
    async with Store(store_url) as store:
        log = [row for row in await store.action_log() if row["outcome"] == "ok"]
        export = await store.export()
    ok_writes = Counter(
        (row["action"], row["arguments"]["order_id"])
        for row in log
        if "order_id" in row["arguments"]
    )
    table.duplicates = sum(n - 1 for n in ok_writes.values() if n > 1)
    done_gold = []
    for result in results:
        table.states[result.state] += 1
        outcome = result.reply.get("outcome") or {}
        table.handed_off += bool(outcome.get("humanHasIt"))
        for item in outcome.get("notRun", ()):
            table.not_run_reasons[str(item.get("reason", ""))[:80]] += 1
        order = export["orders"][result.ticket.order_id]
        done = order["status"] == "cancelled"
        table.writes_done += done
        if done:
            done_gold.append(result.ticket.gold)
        if result.state.startswith("no-answer"):
            table.no_answer += 1
        elif result.state == "completed":
            table.completed += done
            table.silently_not_done += not done
        elif done:
            table.failed_but_done += 1
        else:
            table.failed += 1
    replayed, _ = replay(data, [{"name": r["action"], "kwargs": r["arguments"]} for r in log])
    table.store_matches_log = canonical(replayed) == canonical(export)
    gold, _ = replay(data, done_gold)
    table.store_matches_gold = canonical(gold) == canonical(export)
    return table


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def mesh_env() -> dict[str, str]:
    """Agent settings of a chaos mesh (it has its own nats-server, so default names)."""
    return {
        "DESKMESH_CARD_TTL_S": os.environ.get("DESKMESH_CHAOS_CARD_TTL_S", "5"),
        "DESKMESH_SHUTDOWN_GRACE_S": "3",
        "DESKMESH_TRACES": "off",
        "DESKMESH_LOG_LEVEL": "WARNING",
    }
