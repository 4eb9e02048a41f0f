"""Hop benchmark: one delegation round trip, measured three ways in the same run.

(a) raw nats-py request/reply of the same JSON-RPC body (the carrier's floor),
(b) A2A SendMessage over the deskmesh NATS binding,
(c) A2A SendMessage over deskmesh's JSON-RPC/HTTP binding,
(d) A2A SendMessage to the stock a2a-sdk JSON-RPC/HTTP server with ``InMemoryTaskStore``
    (bench/stock_sdk.py), same executor and same client,
against one in-process agent whose executor completes at once with one artifact (so the
figures are the protocol's cost: SDK handling, task persistence, the carrier). deskmesh's task
store is the agent's default (JetStream; ``--task-store sql`` for SQLite).

    python -m bench.hop [--n 500] [--warmup 50] [--task-store jetstream|sql] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import nats
from a2a.client import A2ACardResolver
from a2a.helpers import new_task_from_user_message, new_text_part
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import SendMessageRequest
from google.protobuf.json_format import MessageToDict

from agents.runtime.service import AgentService
from agents.runtime.settings import AgentSettings
from agents.runtime.spec import AgentSpec
from bench.stock_sdk import stock_sdk_process
from deskmesh.embedded_nats import EmbeddedNats, free_port
from protocol.cards import CardSpec, SkillSpec
from protocol.client import create_client_factory
from protocol.parts import SkillResult, skill_result_part
from tests.helpers import skill_message


class EchoExecutor(AgentExecutor):
    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        await event_queue.enqueue_event(new_task_from_user_message(context.message))
        updater = TaskUpdater(event_queue, context.task_id, context.context_id)
        result = SkillResult(skill="echo", ok=True, data={"order_id": "#W1000001"})
        await updater.add_artifact([skill_result_part(result), new_text_part("ok")], name="result")
        await updater.complete()

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        raise NotImplementedError


ECHO_CARD = CardSpec(
    name="echo",
    description="benchmark agent",
    version="0",
    skills=(SkillSpec(id="echo", name="Echo", description="echo", tags=("bench",)),),
)
ECHO = AgentSpec(name="echo", card=ECHO_CARD, create_executor=lambda _: EchoExecutor())


async def measure(
    calls: dict[str, Callable[[], Awaitable[object]]], n: int, warmup: int
) -> dict[str, list[float]]:
    """Round-robin over the paths, so a machine's changing load falls on all of them alike."""
    for _ in range(warmup):
        for call in calls.values():
            await call()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(n):
        for name, call in calls.items():
            start = time.perf_counter()
            await call()
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def run(
    nats_url: str, stock_url: str, n: int, warmup: int, var_dir: Path, task_store: str
) -> dict[str, dict[str, float]]:
    settings = AgentSettings(
        nats_url=nats_url,
        var_dir=var_dir,
        subject_prefix="bench",
        cards_bucket="bench_cards",
        task_store=task_store,
    )
    message = skill_message("echo", {"order_id": "#W1000001"})
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "SendMessage",
            "params": {"message": MessageToDict(message)},
        }
    ).encode()
    async with AgentService(ECHO, settings) as agent, httpx.AsyncClient(timeout=30) as http:
        nc = await nats.connect(nats_url)
        # (a) the same request body, answered by a bare responder with a task-sized reply
        sample_reply = None

        async def responder(msg: nats.aio.msg.Msg) -> None:
            await msg.respond(sample_reply or b"{}")

        await nc.subscribe("bench.raw", cb=responder)
        assert agent.card is not None
        over_nats = create_client_factory(nc, httpx_client=http, streaming=False).create(agent.card)
        over_http = create_client_factory(None, httpx_client=http, streaming=False).create(
            agent.card
        )
        stock_card = await A2ACardResolver(http, stock_url).get_agent_card()
        stock = create_client_factory(None, httpx_client=http, streaming=False).create(stock_card)

        async def a2a(client: object) -> object:
            request = SendMessageRequest(message=skill_message("echo", {"order_id": "#W1000001"}))
            return [r async for r in client.send_message(request)]  # type: ignore[attr-defined]

        first = await a2a(over_nats)
        sample_reply = json.dumps(
            {"jsonrpc": "2.0", "id": 1, "result": MessageToDict(first[0])}
        ).encode()
        results = await measure(
            {
                "a_raw_nats": lambda: nc.request("bench.raw", body, timeout=10),
                "b_a2a_nats": lambda: a2a(over_nats),
                "c_a2a_http": lambda: a2a(over_http),
                "d_stock_sdk": lambda: a2a(stock),
            },
            n,
            warmup,
        )
        await nc.close()
    return {
        name: {
            "p50_ms": statistics.median(s),
            "p99_ms": percentile(s, 99),
            "mean_ms": statistics.fmean(s),
        }
        for name, s in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--nats-url", help="default: an embedded nats-server on a free port")
    parser.add_argument("--task-store", choices=("jetstream", "sql"), default="jetstream")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, stock_sdk_process() as stock_url:
        if args.nats_url:
            stats = asyncio.run(
                run(args.nats_url, stock_url, args.n, args.warmup, Path(tmp), args.task_store)
            )
        else:
            with EmbeddedNats(Path(tmp) / "nats", port=free_port()) as server:
                stats = asyncio.run(
                    run(server.url, stock_url, args.n, args.warmup, Path(tmp), args.task_store)
                )
    print(
        f"\nhop round trip, n={args.n} (warm-up {args.warmup}), milliseconds, "
        f"deskmesh task store: {args.task_store}"
    )
    print(f"{'path':<14}{'p50':>9}{'p99':>9}{'mean':>9}")
    for name, s in stats.items():
        print(f"{name:<14}{s['p50_ms']:>9.3f}{s['p99_ms']:>9.3f}{s['mean_ms']:>9.3f}")
    a, b, c, d = (stats[k] for k in ("a_raw_nats", "b_a2a_nats", "c_a2a_http", "d_stock_sdk"))
    ratios = {
        "b/a p50": b["p50_ms"] / a["p50_ms"],
        "b/d p50": b["p50_ms"] / d["p50_ms"],
        "b/d p99": b["p99_ms"] / d["p99_ms"],
        "c/b p50": c["p50_ms"] / b["p50_ms"],
        "c/b p99": c["p99_ms"] / b["p99_ms"],
    }
    print("ratios: " + "  ".join(f"{k} = {v:.2f}" for k, v in ratios.items()))
    if args.json:
        args.json.write_text(json.dumps({"stats": stats, "ratios": ratios}, indent=2))


if __name__ == "__main__":
    main()
