"""Guardrail overhead benchmark (capability part): what checking a ticket capability costs a write.

Measured side by side in one run, on one machine:
- mint: triage signing one ticket capability (biscuit, Ed25519);
- verify cold: a specialist's first check of a capability (parse + signature + policy);
- verify warm: a later write of the same ticket (parsed token cached; policy only);
- gate: the specialist's whole pre-write check (parse + signature + policy + replay ledger) for
  ``cancel_pending_order`` with a fresh capability each time, i.e. the first write of a ticket;
  the money limits it returns are enforced by the store inside the write's transaction, where
  the amounts are computed anyway (a few integer comparisons, no extra query);
- gate, narrowed money: the rare path where a holder narrowed the money limits in an appended
  block, so the gate must read the order to know the write's amounts;
- end to end: ``cancel_pending_order`` over NATS against two in-process orders agents on one
  store, one enforcing capabilities and one with them off, calls interleaved; the ratio is the
  per-write overhead a caller sees.

    .venv/bin/python -m bench.guardrails [--n 300] [--warmup 30] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import nats
from a2a.types import SendMessageRequest, TaskState

from agents.orders.agent import SPEC as ORDERS
from agents.runtime.capability_gate import CapabilityGate
from agents.runtime.service import AgentService
from agents.runtime.settings import AgentSettings
from bench.skills import Stats, summarise
from deskmesh.embedded_nats import EmbeddedNats, free_port
from domain import CANCEL
from protocol.capabilities import (
    CapabilityKeys,
    Grant,
    Verifier,
    WriteRequest,
    argument_digest,
    attenuate,
    mint,
)
from protocol.client import create_client_factory
from protocol.parts import TicketEnvelope
from store import Store, generate_demo
from tests.helpers import TEST_CAPABILITY_KEYS, skill_message


def _grant(orders: list[str], customer: str = "liam_chen_1002") -> Grant:
    return Grant(
        ticket_id=f"bench-{uuid.uuid4().hex[:8]}",
        customer_id=customer,
        skills=frozenset({CANCEL, "get_order_details"}),
        orders=frozenset(orders),
        payment_methods=frozenset({"credit_card_1"}),
        max_refund_cents=10**9,
        max_charge_cents=0,
    )


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def bench_tokens(n: int) -> dict[str, Stats]:
    keys = CapabilityKeys.generate()
    mints, cold, warm = [], [], []
    for _ in range(n):
        grant = _grant(["#W1000004", "#W1000005"])
        request = WriteRequest(CANCEL, grant.customer_id, grant.ticket_id, ("#W1000004",), (), 100)
        start = time.perf_counter()
        token = mint(grant, keys)
        mints.append(_ms(start))
        verifier = Verifier(keys.public)
        start = time.perf_counter()
        verifier.verify(token, request)
        cold.append(_ms(start))
        start = time.perf_counter()
        verifier.verify(token, request)
        warm.append(_ms(start))
    return {
        "mint": summarise(mints),
        "verify cold (parse+signature+policy)": summarise(cold),
        "verify warm (policy)": summarise(warm),
    }


async def bench_gate(store_url: str, n: int) -> dict[str, Stats]:
    keys = CapabilityKeys.generate()
    verifier = Verifier(keys.public)
    samples: dict[str, list[float]] = {"plain": [], "narrowed": []}
    async with Store(store_url) as store:
        gate = CapabilityGate(keys, store)
        for i in range(2 * n):
            arguments = {"order_id": "#W1000004", "reason": "no longer needed"}
            step = (f"s{i}", argument_digest(CANCEL, arguments))
            grant = dataclasses.replace(_grant(["#W1000004"]), steps=frozenset({step}))
            token = mint(grant, keys)
            kind = "plain" if i % 2 else "narrowed"
            if kind == "narrowed":
                token = attenuate(token, verifier, max_refund_cents=10**8)
            ticket = TicketEnvelope(ticket_id=grant.ticket_id, step=f"s{i}", customer_id="x")
            start = time.perf_counter()
            await gate.check_write(
                skill=CANCEL,
                anonymous=False,
                arguments=arguments,
                call_arguments=arguments,
                token=token,
                customer_id=grant.customer_id,
                ticket=ticket,
                task_id=f"t{i}",
            )
            samples[kind].append(_ms(start))
    return {
        "gate check_write (parse + signature + policy + ledger)": summarise(samples["plain"]),
        "gate check_write, narrowed money (+ order read)": summarise(samples["narrowed"]),
    }


async def bench_end_to_end(
    nats_url: str, var_dir: Path, store_url: str, n: int, warmup: int
) -> dict[str, Stats]:
    demo = generate_demo()
    pending = [
        (o["order_id"], o["user_id"]) for o in demo["orders"].values() if o["status"] == "pending"
    ]

    def settings(mode: str) -> AgentSettings:
        tag = uuid.uuid4().hex[:6]
        return AgentSettings(
            nats_url=nats_url,
            var_dir=var_dir / mode,
            subject_prefix=f"benchguard{mode}{tag}",
            cards_bucket=f"bench_guard_{mode}_{tag}",
            database_url=store_url,
            capabilities=mode,  # type: ignore[arg-type]
            capability_private_key=TEST_CAPABILITY_KEYS.private_hex,
        )

    samples: dict[str, list[float]] = {"enforce": [], "off": []}
    async with (
        Store(store_url) as store,
        AgentService(ORDERS, settings("enforce")) as enforcing,
        AgentService(ORDERS, settings("off")) as unchecked,
        httpx.AsyncClient(timeout=30) as http,
    ):
        nc = await nats.connect(nats_url)
        factory = create_client_factory(nc, httpx_client=http, streaming=False)
        assert enforcing.card is not None and unchecked.card is not None
        clients = {"enforce": factory.create(enforcing.card), "off": factory.create(unchecked.card)}
        queue: list[tuple[str, str]] = []
        for i in range(warmup + n):
            for mode in ("enforce", "off") if i % 2 else ("off", "enforce"):
                if not queue:
                    await store.reset(demo)  # not timed
                    queue = list(pending)
                order_id, user = queue.pop()
                message = skill_message(
                    CANCEL,
                    {"order_id": order_id, "reason": "no longer needed"},
                    ticket_id=f"bench-{uuid.uuid4().hex}",
                    step="0",
                    customer_id=user,
                )  # carries a capability for exactly this write (test key)
                start = time.perf_counter()
                responses = [
                    r async for r in clients[mode].send_message(SendMessageRequest(message=message))
                ]
                elapsed = _ms(start)
                state = responses[-1].task.status.state
                if state != TaskState.TASK_STATE_COMPLETED:
                    raise RuntimeError(f"{mode}: cancel ended in state {state}")
                if i >= warmup:
                    samples[mode].append(elapsed)
        await nc.close()
    return {
        "write cancel_pending_order, capabilities enforced": summarise(samples["enforce"]),
        "write cancel_pending_order, capabilities off": summarise(samples["off"]),
    }


async def run(n: int, warmup: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        var_dir = Path(tmp)
        store_url = f"sqlite+aiosqlite:///{var_dir / 'store.db'}"
        async with Store(store_url) as store:
            await store.reset(generate_demo())
        out: dict[str, Any] = bench_tokens(max(n, 1000))
        out.update(await bench_gate(store_url, max(n, 500)))
        with EmbeddedNats(var_dir / "nats", port=free_port()) as server:
            out.update(await bench_end_to_end(server.url, var_dir, store_url, n, warmup))
    on = out["write cancel_pending_order, capabilities enforced"]
    off = out["write cancel_pending_order, capabilities off"]
    out["ratios"] = {
        "end-to-end p50 enforced/off": on["p50_ms"] / off["p50_ms"],
        "end-to-end p99 enforced/off": on["p99_ms"] / off["p99_ms"],
        "overhead p50 ms (enforced - off)": on["p50_ms"] - off["p50_ms"],
        "overhead p99 ms (enforced - off)": on["p99_ms"] - off["p99_ms"],
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = asyncio.run(run(args.n, args.warmup))
    for name, stats in result.items():
        shown = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in stats.items()
        )
        print(f"{name:55s} {shown}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
