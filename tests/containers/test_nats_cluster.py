"""The mesh's agents against a 3-node NATS cluster (JetStream R3) and PostgreSQL, in containers.

200 tickets that each write through orders (``modify_user_address``, one distinct address per
ticket) flow through triage, 8 at a time. After 50, one NATS node is stopped; after 120, the
PostgreSQL container is stopped and, once tickets have failed on it, started again. A ticket
that fails is resent by the client (a new ticket, as a user would resend it), backing off up
to 2 s, for as long as RESEND_FOR_S: the outage, not a count of tries, bounds the resends.
Every write is then counted in PostgreSQL by its address: exactly one row per ticket number.
The agents run with DESKMESH_JETSTREAM_REPLICAS=3, so every bucket they create (cards, capability
ledger, task buckets) survives the loss of one server.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Iterator

import httpx
import nats
import pytest
from a2a.client import Client
from a2a.types import TaskState

from deskmesh.runner import Mesh
from store import Store
from tests.containers.conftest import Cluster, wait_for_postgres
from tests.deploy.mesh_client import delegations, send_ticket, triage_client, until_listed

# container start-up with the vfs storage driver takes minutes on a shared 2-core machine
pytestmark = [pytest.mark.containers, pytest.mark.timeout(2400)]

TICKETS = 200
CONCURRENCY = 8
STOP_NATS_AFTER = 50
STOP_POSTGRES_AFTER = 120
RESEND_FOR_S = 60.0
"""How long a client keeps resending a failed ticket (the stop and start of a container take
several seconds; a fixed count of quick resends could run out inside one outage)."""
CUSTOMER = "sara_okafor_1003"
TEXT = (
    "I moved. My new default address is {n} Cluster Road, Apt 3, Seattle, WA 98101, USA. "
    "Please update my account."
)


async def _stream_replicas(nats_url: str) -> dict[str, int]:
    nc = await nats.connect(servers=nats_url.split(","))
    try:
        infos = await nc.jetstream().streams_info()
        return {info.config.name or "": info.config.num_replicas or 1 for info in infos}
    finally:
        await nc.close()


@pytest.fixture(scope="module")
def mesh(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mesh]:
    runner = Mesh(
        tmp_path_factory.mktemp("cluster-mesh"),
        nats_url=cluster.nats_url,
        database_url=cluster.database_url,
        reseed=True,
        extra_env={
            "DESKMESH_CARD_TTL_S": "3",
            "DESKMESH_SHUTDOWN_GRACE_S": "3",
            "DESKMESH_JETSTREAM_REPLICAS": str(len(cluster.nodes)),
        },
    )
    with runner:
        yield runner


async def test_one_nats_node_then_postgres_stopped_mid_run_loses_and_duplicates_nothing(
    cluster: Cluster, mesh: Mesh
) -> None:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(TICKETS):
        queue.put_nowait(n)
    done: dict[int, str] = {}  # ticket number -> the ticket id that wrote
    attempts: collections.Counter[int] = collections.Counter()
    failed_attempts: list[str] = []
    postgres_down = asyncio.Event()
    failed_while_down = asyncio.Event()
    faults: list[str] = []

    async def one(client: Client, n: int) -> None:
        give_up_at = time.monotonic() + RESEND_FOR_S
        while time.monotonic() < give_up_at:
            attempts[n] += 1
            try:
                task = await send_ticket(client, TEXT.format(n=1000 + n), CUSTOMER)
            except Exception as e:  # noqa: BLE001 - a failed attempt is retried, and counted
                failed_attempts.append(f"{n}: {e!r}")
            else:
                wrote = any(
                    d.get("skill") == "modify_user_address" and d.get("ok")
                    for d in delegations(task)
                )
                if task.status.state == TaskState.TASK_STATE_COMPLETED and wrote:
                    done[n] = task.id
                    return
                failed_attempts.append(f"{n}: {TaskState.Name(task.status.state)}")
            if postgres_down.is_set():
                failed_while_down.set()
            await asyncio.sleep(min(0.5 * attempts[n], 2.0))  # back off before the resend

    async def worker(http: httpx.AsyncClient) -> None:
        client = await triage_client(http, mesh.triage_url)
        while not queue.empty():
            await one(client, queue.get_nowait())

    async def inject_faults() -> None:
        while len(done) < STOP_NATS_AFTER:
            await asyncio.sleep(0.05)
        node = cluster.nodes[0]
        await asyncio.to_thread(node.stop)
        faults.append(f"stopped NATS node {node.name} after {len(done)} tickets")
        while len(done) < STOP_POSTGRES_AFTER:
            await asyncio.sleep(0.05)
        wrapped = cluster.postgres.get_wrapped_container()
        await asyncio.to_thread(wrapped.stop, timeout=10)
        postgres_down.set()
        stopped_at = time.monotonic()
        faults.append(f"stopped PostgreSQL after {len(done)} tickets")
        try:
            async with asyncio.timeout(60):
                await failed_while_down.wait()
        finally:
            await asyncio.to_thread(wrapped.start)
            await asyncio.to_thread(wait_for_postgres, cluster.database_url)
            postgres_down.clear()
            faults.append(f"PostgreSQL back after {time.monotonic() - stopped_at:.1f} s")

    async with httpx.AsyncClient(timeout=120) as http:
        await until_listed(http, mesh.triage_url)
        injector = asyncio.create_task(inject_faults())
        await asyncio.gather(*(worker(http) for _ in range(CONCURRENCY)))
        await injector

    replicas = await _stream_replicas(cluster.nats_url)
    async with Store(cluster.database_url) as store:
        rows = await store.action_log(action="modify_user_address", customer_id=CUSTOMER)
    written = collections.Counter(
        int(str(r["arguments"]["address1"]).split()[0]) - 1000
        for r in rows
        if r["outcome"] == "ok" and "Cluster Road" in str(r["arguments"].get("address1"))
    )
    lost = [n for n in range(TICKETS) if written[n] == 0]
    duplicated = sum(count - 1 for count in written.values() if count > 1)
    for n in sorted(n for n, count in written.items() if count > 1):
        print(
            f"ticket {n} wrote {written[n]} times; its failed attempts:",
            [a for a in failed_attempts if a.startswith(f"{n}: ")],
        )
    print(
        f"\ncluster faults: {'; '.join(faults)}\n"
        f"tickets {TICKETS}, completed {len(done)}, attempts {sum(attempts.values())}, "
        f"failed attempts {len(failed_attempts)} (retried), write rows {sum(written.values())}, "
        f"lost {len(lost)}, duplicated {duplicated}\nstream replicas: {replicas}"
    )
    assert set(replicas.values()) == {len(cluster.nodes)}, replicas
    assert len(faults) == 3, faults
    assert len(done) == TICKETS, failed_attempts[-10:]
    assert lost == [] and duplicated == 0
    assert failed_while_down.is_set()  # the PostgreSQL stop was felt, and failed cleanly
