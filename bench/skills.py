"""Skill benchmark: latency of a read and a write skill over the NATS binding, and store resets.

Against one in-process orders agent (real NATS, SQLite store, SQLite task store):
- read:  ``get_order_details`` of a fixed order;
- write: ``cancel_pending_order`` of a pending order, each call with a fresh idempotency key
  (ticket step); when every pending order of the demo seed is cancelled the store is reset
  (not timed);
- reset: ``Store.reset`` to the demo seed and to the full τ-bench v1 data (when present).

    .venv/bin/python -m bench.skills [--n 200] [--warmup 20] [--resets 20] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import nats
from a2a.client import Client
from a2a.types import SendMessageRequest, TaskState

from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from agents.runtime.settings import AgentSettings
from deskmesh.embedded_nats import EmbeddedNats, free_port
from domain import CANCEL
from protocol.client import create_client_factory
from store import Store, generate_demo, load_tau
from store.seeds import DATASETS_ENV, datasets_dir, tau_retail_dir
from tests.helpers import TEST_CAPABILITY_KEYS, skill_message

Stats = dict[str, float]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summarise(samples: list[float]) -> Stats:
    return {
        "n": len(samples),
        "p50_ms": statistics.median(samples),
        "p99_ms": percentile(samples, 99),
        "mean_ms": statistics.fmean(samples),
    }


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await call()
    return (time.perf_counter() - start) * 1000


async def send(client: Client, skill: str, args: dict[str, Any], customer: str) -> None:
    message = skill_message(
        skill, args, ticket_id=f"bench-{uuid.uuid4().hex}", step="0", customer_id=customer
    )
    responses = [r async for r in client.send_message(SendMessageRequest(message=message))]
    state = responses[-1].task.status.state
    if state != TaskState.TASK_STATE_COMPLETED:
        raise RuntimeError(f"{skill} ended in state {state}")


async def bench_skills(
    nats_url: str, var_dir: Path, store_url: str, n: int, warmup: int
) -> dict[str, Stats]:
    demo = generate_demo()
    pending = [
        (o["order_id"], o["user_id"]) for o in demo["orders"].values() if o["status"] == "pending"
    ]
    settings = AgentSettings(
        nats_url=nats_url,
        var_dir=var_dir,
        subject_prefix=f"benchskills{uuid.uuid4().hex[:6]}",
        cards_bucket=f"bench_skills_{uuid.uuid4().hex[:6]}",
        database_url=store_url,
        capability_private_key=TEST_CAPABILITY_KEYS.private_hex,  # skill_message mints with it
    )
    async with (
        Store(store_url) as store,
        AgentService(ORDERS, settings) as agent,
        httpx.AsyncClient(timeout=30) as http,
    ):
        await store.reset(demo)
        nc = await nats.connect(nats_url)
        assert agent.card is not None
        client = create_client_factory(nc, httpx_client=http, streaming=False).create(agent.card)

        async def read() -> None:
            await send(client, "get_order_details", {"order_id": "#W1000001"}, "ava_moreno_1001")

        reads = []
        for i in range(warmup + n):
            elapsed = await timed(read)
            if i >= warmup:
                reads.append(elapsed)

        writes: list[float] = []
        queue: list[tuple[str, str]] = []
        for i in range(warmup + n):
            if not queue:
                await store.reset(demo)
                queue = list(pending)
            order_id, user = queue.pop()
            args = {"order_id": order_id, "reason": "no longer needed"}
            elapsed = await timed(lambda a=args, u=user: send(client, CANCEL, a, u))
            if i >= warmup:
                writes.append(elapsed)
        await nc.close()
    return {
        "read get_order_details": summarise(reads),
        "write cancel_pending_order": summarise(writes),
    }


async def bench_resets(store_url: str, resets: int) -> dict[str, Stats]:
    seeds: dict[str, dict[str, Any]] = {"reset demo": generate_demo()}
    tau = tau_retail_dir(datasets=datasets_dir(os.environ.get(DATASETS_ENV)))
    if (tau / "users.json").is_file():
        seeds["reset tau-bench v1"] = load_tau(tau)
    out = {}
    async with Store(store_url) as store:
        for name, data in seeds.items():
            await store.reset(data)
            samples = [await timed(lambda d=data: store.reset(d)) for _ in range(resets)]
            out[name] = summarise(samples)
    return out


async def run(nats_url: str, var_dir: Path, n: int, warmup: int, resets: int) -> dict[str, Stats]:
    store_url = f"sqlite+aiosqlite:///{var_dir / 'store.db'}"
    stats = await bench_skills(nats_url, var_dir, store_url, n, warmup)
    reset_url = f"sqlite+aiosqlite:///{var_dir / 'reset.db'}"
    return stats | await bench_resets(reset_url, resets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--resets", type=int, default=20)
    parser.add_argument("--nats-url", help="default: an embedded nats-server on a free port")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        if args.nats_url:
            stats = asyncio.run(run(args.nats_url, var, args.n, args.warmup, args.resets))
        else:
            with EmbeddedNats(var / "nats", port=free_port()) as server:
                stats = asyncio.run(run(server.url, var, args.n, args.warmup, args.resets))
    print("\nskills over the NATS binding (SQLite store), milliseconds")
    print(f"{'measure':<30}{'n':>6}{'p50':>10}{'p99':>10}{'mean':>10}")
    for name, s in stats.items():
        print(
            f"{name:<30}{s['n']:>6.0f}{s['p50_ms']:>10.2f}{s['p99_ms']:>10.2f}{s['mean_ms']:>10.2f}"
        )
    if args.json:
        args.json.write_text(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
