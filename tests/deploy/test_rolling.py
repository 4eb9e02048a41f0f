"""Rolling restart of one specialist under load: no ticket lost, no write duplicated.

200 tickets that each write (a handoff through escalation's transfer_to_human_agents) flow
through triage while escalation is rolled: a second instance starts, becomes ready, and the old
one gets SIGTERM (it drains: readyz 503, NATS subscription drained, in-flight work finished).
"""

from __future__ import annotations

import asyncio
import collections

import httpx
from a2a.types import TaskState

from store import Store
from tests.deploy.conftest import Topology
from tests.deploy.mesh_client import (
    SPECIALISTS,
    delegations,
    send_ticket,
    triage_client,
    wait_for_directory,
)

TICKETS = 200
CONCURRENCY = 8
ROLL_AFTER = 50
CUSTOMER = "ava_moreno_1001"
TEXT = "I want to talk to a human, ticket {n}."


async def test_rolling_restart_of_escalation_loses_and_duplicates_nothing(
    topology: Topology,
) -> None:
    wait_for_directory(topology.triage_url, ("triage", *SPECIALISTS))
    old = topology.agents["escalation"]
    completed: list[tuple[str, dict]] = []
    failures: list[str] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(TICKETS):
        queue.put_nowait(n)
    rolled = asyncio.Event()
    half_way = asyncio.Event()

    async def worker(http: httpx.AsyncClient) -> None:
        client = await triage_client(http, topology.triage_url)
        while not queue.empty():
            n = queue.get_nowait()
            try:
                task = await send_ticket(client, TEXT.format(n=n), CUSTOMER)
            except Exception as e:  # noqa: BLE001 - a lost ticket is what we count
                failures.append(f"{n}: {e!r}")
                continue
            records = delegations(task)
            ok = task.status.state == TaskState.TASK_STATE_COMPLETED and any(
                d.get("skill") == "transfer_to_human_agents" and d.get("ok") for d in records
            )
            if ok:
                completed.append((task.id, records[0]))
            else:
                failures.append(f"{n}: {task.status.state} {records}")
            if len(completed) + len(failures) >= ROLL_AFTER:
                half_way.set()

    async def roll() -> None:
        await half_way.wait()
        new = topology.start(
            "escalation", log_name="escalation-2", overrides=_replica_tasks(topology)
        )
        await asyncio.to_thread(new.wait_ready, 60)
        topology.agents["escalation"] = new
        exit_code = await asyncio.to_thread(old.terminate, 60)
        assert exit_code == 0, old.log_path.read_text()[-2000:]
        rolled.set()

    async with httpx.AsyncClient(timeout=120) as http:
        roller = asyncio.create_task(roll())
        await asyncio.gather(*(worker(http) for _ in range(CONCURRENCY)))
        await roller
    assert rolled.is_set()
    sent_during_roll = len(completed) + len(failures)

    async with Store(topology.database_url) as store:
        rows = await store.action_log(action="transfer_to_human_agents", customer_id=CUSTOMER)
    ticket_ids = {task_id for task_id, _ in completed}
    mine = [r for r in rows if r["ticket_id"] in ticket_ids]
    per_key = collections.Counter(r["idempotency_key"] for r in mine)
    duplicated = sum(n - 1 for n in per_key.values() if n > 1)
    print(
        f"\nrolling restart: sent {TICKETS}, completed {len(completed)}, failed {len(failures)}, "
        f"write rows {len(mine)}, distinct keys {len(per_key)}, duplicated {duplicated}"
    )
    assert sent_during_roll == TICKETS
    assert failures == []
    assert len(completed) == TICKETS
    assert len(per_key) == TICKETS and duplicated == 0
    # both instances did part of the work: the roll happened mid-stream
    old_log = old.log_path.read_text()
    new_log = topology.agents["escalation"].log_path.read_text()
    assert "transfer_to_human_agents completed" in old_log
    assert "transfer_to_human_agents completed" in new_log


def _replica_tasks(topology: Topology) -> dict[str, str] | None:
    if topology.database_url.startswith("sqlite"):
        return {
            "DESKMESH_TASK_DATABASE_URL": "sqlite+aiosqlite:///"
            f"{topology.var_dir / 'tasks-escalation-2.db'}"
        }
    return None
