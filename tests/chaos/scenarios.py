"""The chaos scenarios of issue 14, each a fault injected into a running ticket stream.

(a) nats-server restarted mid-run, (b) the only instance of a specialist SIGKILLed and
restarted, (c) one of two instances SIGKILLed, (d) one huge ticket among ordinary ones.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.chaos.harness import (
    ChaosMesh,
    FaultTable,
    TicketResult,
    TicketRun,
    audit,
    big_ticket,
    cancel_tickets,
    mesh_env,
    percentile,
)

NATS_DOWN_S = 3.0
SPECIALIST_DOWN_S = 3.0
BIG_TICKET_BYTES = 1_000_000


@dataclass(slots=True)
class ScenarioResult:
    name: str
    table: FaultTable
    results: list[TicketResult]
    notes: dict[str, Any]


async def _with_mesh(
    data: dict[str, Any], var_dir: Path | None, body: Any, env: dict[str, str] | None = None
) -> Any:
    with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
        folder = var_dir or Path(tmp)
        chaos = ChaosMesh(folder, data, extra_env={**mesh_env(), **(env or {})})
        await chaos.start()
        try:
            return await body(chaos)
        finally:
            await asyncio.to_thread(chaos.stop)


FaultAction = Callable[[ChaosMesh, TicketRun], Awaitable[None]]


async def _stream_with_fault(
    name: str,
    data: dict[str, Any],
    n: int,
    concurrency: int,
    var_dir: Path | None,
    fault: FaultAction,
    *,
    before: Callable[[ChaosMesh], Any] | None = None,
    notes: dict[str, Any] | None = None,
) -> ScenarioResult:
    """``n`` cancel tickets; ``fault`` runs beside them (it waits for its moment itself)."""

    async def body(chaos: ChaosMesh) -> ScenarioResult:
        if before is not None:
            await asyncio.to_thread(before, chaos)
        run = TicketRun(chaos.triage_url, concurrency)
        results, _ = await asyncio.gather(run.run(cancel_tickets(data, n)), fault(chaos, run))
        table = await audit(chaos.mesh.store_url(), data, results)
        return ScenarioResult(name, table, results, notes or {})

    return await _with_mesh(data, var_dir, body)


async def nats_restart(
    data: dict[str, Any], n: int, concurrency: int, var_dir: Path | None = None
) -> ScenarioResult:
    async def fault(chaos: ChaosMesh, run: TicketRun) -> None:
        await run.wait_finished(n // 5)
        await asyncio.to_thread(chaos.stop_nats)
        await asyncio.sleep(NATS_DOWN_S)  # the outage itself, not a synchronisation
        await asyncio.to_thread(chaos.start_nats)

    notes = {"down_s": NATS_DOWN_S}
    return await _stream_with_fault(
        "nats-restart", data, n, concurrency, var_dir, fault, notes=notes
    )


async def specialist_restart(
    data: dict[str, Any], n: int, concurrency: int, var_dir: Path | None = None
) -> ScenarioResult:
    async def fault(chaos: ChaosMesh, run: TicketRun) -> None:
        await run.wait_finished(n // 5)
        await asyncio.to_thread(chaos.kill, "orders")
        await asyncio.sleep(SPECIALIST_DOWN_S)  # the outage itself
        await asyncio.to_thread(chaos.restart, "orders")

    notes = {"down_s": SPECIALIST_DOWN_S}
    return await _stream_with_fault(
        "specialist-restart", data, n, concurrency, var_dir, fault, notes=notes
    )


async def replica_kill(
    data: dict[str, Any], n: int, concurrency: int, var_dir: Path | None = None
) -> ScenarioResult:
    async def fault(chaos: ChaosMesh, run: TicketRun) -> None:
        await run.wait_finished(n // 5)
        await asyncio.to_thread(chaos.kill, "orders")  # the replica keeps serving

    def second_instance(chaos: ChaosMesh) -> None:
        chaos.start_replica("orders")

    return await _stream_with_fault(
        "replica-kill", data, n, concurrency, var_dir, fault, before=second_instance
    )


async def huge_ticket(
    data: dict[str, Any], n: int, concurrency: int, var_dir: Path | None = None
) -> ScenarioResult:
    """A stream of ordinary tickets, then (store reset) the same stream with one huge ticket
    in its middle; the fault table is the second run's."""

    async def body(chaos: ChaosMesh) -> ScenarioResult:
        ordinary = cancel_tickets(data, n)
        baseline = await TicketRun(chaos.triage_url, concurrency).run(ordinary)
        await chaos.reset_store()
        big = big_ticket(data, BIG_TICKET_BYTES, index=n)
        mixed = [*ordinary[: n // 2], big, *ordinary[n // 2 :]]
        results = await TicketRun(chaos.triage_url, concurrency).run(mixed)
        big_result = next(r for r in results if r.ticket is big)
        with_big = [r for r in results if r.ticket is not big]
        table = await audit(chaos.mesh.store_url(), data, results)
        p99_base = percentile([r.seconds for r in baseline], 0.99)
        p99_big = percentile([r.seconds for r in with_big], 0.99)
        notes = {
            "big_state": big_result.state,
            "big_seconds": round(big_result.seconds, 3),
            "baseline_states": dict(Counter(r.state for r in baseline)),
            "p99_without_s": round(p99_base, 3),
            "p99_with_s": round(p99_big, 3),
            "p99_ratio": round(p99_big / p99_base, 2) if p99_base else None,
        }
        return ScenarioResult("huge-ticket", table, results, notes)

    return await _with_mesh(data, var_dir, body)


SCENARIOS = {
    "nats-restart": nats_restart,
    "specialist-restart": specialist_restart,
    "replica-kill": replica_kill,
    "huge-ticket": huge_ticket,
}
