"""Load benchmark: τ-bench train tickets into a running multi-process mesh, over HTTP.

For each concurrency level the store is reset to the τ-bench retail data, then ``--tickets``
tickets (the train instructions, in order, with their verified customer) go to triage through
the plain a2a-sdk client, ``concurrency`` at a time. Printed per level: tickets/s, latency
p50/p95/p99, errors (a call that raised, or a ticket that ended failed), and CPU seconds per
ticket of every mesh process (from /proc) and of this load generator, and each agent's RSS after
the level, and how the tickets ended (every τ-bench train ticket should end completed: a tree
that does not read the customer's metadata would otherwise look fast).

    deskmesh up &            # or any running mesh: its var/mesh.json names the processes
    python -m bench.load [--var var] [--levels 1,4,16,64] [--tickets 200] [--json OUT]

The mesh file must be the one of the mesh under test; the store (``--database-url``, default the
SQLite file of ``--var``) is reset before each level.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from a2a.client import A2ACardResolver, ClientConfig, create_client
from a2a.types import GetTaskRequest, SendMessageRequest, TaskState

from deskmesh.ask import ticket_message
from evaluation.public import load_public
from protocol.parts import CUSTOMER_METADATA_KEY
from store import Store, load_tau

REPO = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("DESKMESH_DATASETS_DIR", REPO.parent / "shared" / "datasets"))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass(frozen=True, slots=True)
class Ticket:
    text: str
    customer: str | None


# Trees before 8ffa3ef read the customer as {"user_id": …} only; today's triage reads both.
CUSTOMER_FIELDS = ("userId", "user_id")


def train_tickets(datasets: Path) -> list[Ticket]:
    loaded = load_public("public:tau-train", datasets)
    return [
        Ticket(s.turns[0], (s.customer or {}).get("user_id")) for s in loaded.scenarios if s.turns
    ]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def run_level(
    triage_url: str, tickets: list[Ticket], concurrency: int, timeout_s: float, customer_field: str
) -> tuple[list[float], list[str], Counter[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    final_states: Counter[str] = Counter()
    queue: asyncio.Queue[Ticket] = asyncio.Queue()
    for ticket in tickets:
        queue.put_nowait(ticket)
    limits = httpx.Limits(max_connections=concurrency + 4)
    async with httpx.AsyncClient(timeout=timeout_s, limits=limits) as http:
        card = await A2ACardResolver(http, triage_url).get_agent_card()
        client = await create_client(
            card, client_config=ClientConfig(httpx_client=http, streaming=False)
        )

        async def worker() -> None:
            while not queue.empty():
                ticket = queue.get_nowait()
                started = time.perf_counter()
                try:
                    state = await send(client, ticket, customer_field)
                except Exception as e:  # noqa: BLE001 - every failure is counted, none stops the run
                    errors.append(f"{type(e).__name__}: {e}"[:200])
                    continue
                latencies.append((time.perf_counter() - started) * 1000)
                final_states[TaskState.Name(state).removeprefix("TASK_STATE_").lower()] += 1
                if state == TaskState.TASK_STATE_FAILED:
                    errors.append("ticket ended failed")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, errors, final_states, time.perf_counter() - started


async def send(client: Any, ticket: Ticket, customer_field: str) -> TaskState:
    message = ticket_message(ticket.text, None, None)
    if ticket.customer:
        message.metadata.update({CUSTOMER_METADATA_KEY: {customer_field: ticket.customer}})
    request = SendMessageRequest(message=message)
    responses = [r async for r in client.send_message(request)]
    final = responses[-1]
    if final.HasField("task"):
        return final.task.status.state
    task = await client.get_task(GetTaskRequest(id=responses[0].task.id))
    return task.status.state


def mesh_processes(mesh: dict[str, Any]) -> dict[str, int]:
    pids = {name: int(agent["pid"]) for name, agent in mesh["agents"].items()}
    if mesh.get("nats_pid"):
        pids["nats-server"] = int(mesh["nats_pid"])
    pids["load generator"] = os.getpid()
    return pids


async def reset_store(url: str, seed: dict[str, Any]) -> None:
    async with Store(url) as store:
        await store.reset(seed)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--var", type=Path, default=Path("var"), help="the mesh's var folder")
    parser.add_argument("--database-url", help="the mesh's store (default: SQLite under --var)")
    parser.add_argument("--levels", default="1,4,16,64")
    parser.add_argument("--tickets", type=int, default=200, help="tickets per level")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument(
        "--customer-field",
        choices=CUSTOMER_FIELDS,
        default=CUSTOMER_FIELDS[0],
        help="key of the customer id in the message metadata (user_id for trees before 8ffa3ef)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()

    mesh = json.loads((args.var / "mesh.json").read_text())
    store_url = args.database_url or f"sqlite+aiosqlite:///{(args.var / 'store.db').resolve()}"
    seed = load_tau(DATASETS / "tau-bench-retail")
    tickets = train_tickets(DATASETS)[: args.tickets]
    pids = mesh_processes(mesh)
    results = []
    for concurrency in (int(c) for c in args.levels.split(",")):
        asyncio.run(reset_store(store_url, seed))
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        latencies, errors, final_states, wall = asyncio.run(
            run_level(mesh["triage_url"], tickets, concurrency, args.timeout, args.customer_field)
        )
        cpu = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
        done = max(len(latencies), 1)
        level = {
            "concurrency": concurrency,
            "tickets": len(tickets),
            "tickets_per_s": len(latencies) / wall,
            "p50_ms": statistics.median(latencies) if latencies else None,
            "p95_ms": percentile(latencies, 95) if latencies else None,
            "p99_ms": percentile(latencies, 99) if latencies else None,
            "errors": len(errors),
            "final_states": dict(final_states),
            "first_errors": errors[:3],
            "cpu_ms_per_ticket": {name: 1000 * s / done for name, s in cpu.items()},
            "rss_mb": {name: rss_mb(pid) for name, pid in pids.items() if name in mesh["agents"]},
        }
        results.append(level)
        print_level(level)
    rss = {name: rss_mb(pid) for name, pid in pids.items() if name in mesh["agents"]}
    print("RSS after the run (MB): " + ", ".join(f"{n} {v:.0f}" for n, v in rss.items()))
    if args.json:
        args.json.write_text(json.dumps({"levels": results, "rss_mb": rss}, indent=2))


def print_level(level: dict[str, Any]) -> None:
    fmt = "{:>8.0f}".format
    print(
        f"c={level['concurrency']:<3} {level['tickets_per_s']:6.2f} tickets/s  "
        f"p50 {fmt(level['p50_ms'] or 0)} p95 {fmt(level['p95_ms'] or 0)} "
        f"p99 {fmt(level['p99_ms'] or 0)} ms  errors {level['errors']}",
        flush=True,
    )
    states = ", ".join(f"{name} {n}" for name, n in sorted(level["final_states"].items()))
    print(f"       ended: {states}")
    cpu = level["cpu_ms_per_ticket"]
    print("       CPU ms/ticket: " + ", ".join(f"{n} {v:.1f}" for n, v in cpu.items()))
    print("       RSS MB: " + ", ".join(f"{n} {v:.0f}" for n, v in level["rss_mb"].items()))
    for error in level["first_errors"]:
        print(f"       error: {error}")


if __name__ == "__main__":
    main()
