"""The real compose mesh (`make compose-test`): containers, PostgreSQL, a rolling restart.

Run by ``make compose-test`` (marker ``docker``; ``make test`` deselects it), which starts a
Docker engine if none answers and makes the base images (compose/images/ensure-images.sh).
50 tickets that each write through orders (``modify_user_address``) go through triage with the
edge API key while orders is rolled: after 10, a second replica (``--profile replicas``) comes up
(the clients send the rest once it is healthy), then the first is restarted (SIGTERM: drain, then
start), and every write is counted in PostgreSQL.
"""

from __future__ import annotations

import asyncio
import collections
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from a2a.types import TaskState

from tests.deploy.compose import COMPOSE_FILE, REPO
from tests.deploy.mesh_client import delegations, send_ticket, triage_client, until_listed

# building and starting the mesh with the vfs storage driver takes many minutes on 2 cores
pytestmark = [pytest.mark.docker, pytest.mark.timeout(3000)]

PROJECT = "deskmesh-compose-test"
TICKETS = 50
CONCURRENCY = 5
ROLL_AFTER = 10
CUSTOMER = "sara_okafor_1003"
TEXT = (
    "I moved. My new default address is {n} Harbor Way, Apt 12, Seattle, WA 98101, USA. "
    "Please update my account."
)


def compose_command() -> list[str]:
    """Compose v2: $DESKMESH_COMPOSE, docker-compose beside this Python, or the docker plugin."""
    if os.environ.get("DESKMESH_COMPOSE"):
        return os.environ["DESKMESH_COMPOSE"].split()
    beside = Path(sys.executable).parent / "docker-compose"
    if beside.exists():
        return [str(beside)]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return ["docker", "compose"]


class Compose:
    def __init__(self) -> None:
        self.base = [*compose_command(), "-f", str(COMPOSE_FILE), "-p", PROJECT]

    def run(self, *args: str, timeout: float = 900) -> str:
        result = subprocess.run(
            [*self.base, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            raise AssertionError(f"compose {' '.join(args)}: {result.stderr[-3000:]}")
        return result.stdout

    def url(self, service: str, port: int) -> str:
        host_port = self.run("port", service, str(port)).strip().rsplit(":", 1)[1]
        return f"http://127.0.0.1:{host_port}"

    def psql(self, sql: str) -> list[list[str]]:
        out = self.run(
            "exec", "-T", "postgres", "psql", "-U", "deskmesh", "-d", "deskmesh", "-At", "-F",
            "\t", "-c", sql, timeout=60,
        )  # fmt: skip
        return [line.split("\t") for line in out.splitlines() if line]


@pytest.fixture(scope="module")
def compose() -> Iterator[Compose]:
    mesh = Compose()
    mesh.run("--profile", "replicas", "down", "--volumes", timeout=300)  # a left-over run
    # the image is built by `make compose-build` (the classic builder; Compose would need buildx)
    mesh.run("up", "--detach", "--wait", "--wait-timeout", "600")
    try:
        yield mesh
    finally:
        logs = subprocess.run(
            [*mesh.base, "--profile", "replicas", "logs", "--no-color", "--tail", "200"],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        (REPO / "var").mkdir(exist_ok=True)
        (REPO / "var" / "compose-test.log").write_text(logs.stdout + logs.stderr)
        mesh.run("--profile", "replicas", "down", "--volumes", timeout=300)


async def test_rolling_restart_of_orders_loses_and_duplicates_no_write(compose: Compose) -> None:
    triage_url = compose.url("triage", 8080)
    completed: dict[str, int] = {}  # ticket id -> n
    failures: list[str] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(TICKETS):
        queue.put_nowait(n)
    half_way = asyncio.Event()
    replica_up = asyncio.Event()  # the rest of the tickets meet two replicas, then a restart

    async def worker(http: httpx.AsyncClient) -> None:
        client = await triage_client(http, triage_url, published_at="http://triage:8080")
        while not queue.empty():
            if half_way.is_set():
                await replica_up.wait()
            n = queue.get_nowait()
            try:
                task = await send_ticket(client, TEXT.format(n=100 + n), CUSTOMER)
            except Exception as e:  # noqa: BLE001 - a lost ticket is what we count
                failures.append(f"{n}: {e!r}")
            else:
                wrote = any(
                    d.get("skill") == "modify_user_address" and d.get("ok")
                    for d in delegations(task)
                )
                if task.status.state == TaskState.TASK_STATE_COMPLETED and wrote:
                    completed[task.id] = n
                else:
                    failures.append(f"{n}: {task.status.state} {delegations(task)}")
            if len(completed) + len(failures) >= ROLL_AFTER:
                half_way.set()

    async def roll() -> None:
        await half_way.wait()
        try:
            await asyncio.to_thread(
                compose.run, "--profile", "replicas", "up", "--detach", "--wait", "orders-2"
            )
        finally:
            replica_up.set()
        await asyncio.to_thread(compose.run, "restart", "orders")

    async with httpx.AsyncClient(timeout=180) as http:
        await until_listed(http, triage_url)
        roller = asyncio.create_task(roll())
        await asyncio.gather(*(worker(http) for _ in range(CONCURRENCY)))
        await roller

    rows = compose.psql(
        "SELECT ticket_id, idempotency_key FROM action_log "
        f"WHERE action = 'modify_user_address' AND customer_id = '{CUSTOMER}' AND outcome = 'ok'"
    )
    per_ticket = collections.Counter(ticket for ticket, _ in rows if ticket in completed)
    lost = [t for t in completed if per_ticket[t] == 0]
    duplicated = sum(n - 1 for n in per_ticket.values() if n > 1)
    served = {
        name: compose.run("logs", "--no-color", name).count("modify_user_address completed")
        for name in ("orders", "orders-2")
    }
    print(
        f"\ncompose rolling restart of orders: sent {TICKETS}, completed {len(completed)}, "
        f"failed {len(failures)}, write rows {sum(per_ticket.values())}, lost {len(lost)}, "
        f"duplicated {duplicated}, served by {served}"
    )
    assert failures == []
    assert len(completed) == TICKETS
    assert lost == [] and duplicated == 0
    assert served["orders-2"] > 0  # the replica took part of the stream
