"""Budgets and loops: per-ticket limits trip cleanly (router.budget, router.loops, the engine),
output validation of specialist results, and in the mesh a tripped budget ends with a reply and a
handoff to a human."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agents.runtime.validation import check_result
from protocol.parts import SkillCall, SkillResult, TicketEnvelope
from router.budget import Budget, TokenMeter
from router.delegate import Delegation
from router.engine import PlanEngine
from router.loops import Hop, LoopGuard
from router.plan import Plan, Step
from store import generate_demo


class ScriptedDelegate:
    """The engine's Delegator seam: answers at once, or never for skills in ``hang``."""

    def __init__(self, hang: frozenset[str] = frozenset()) -> None:
        self.hang = hang
        self.calls: list[str] = []

    async def call(
        self, agent: str, call: SkillCall, ticket: TicketEnvelope, *, attempt: str
    ) -> Delegation:
        self.calls.append(call.skill)
        if call.skill in self.hang:
            await asyncio.Event().wait()
        result = SkillResult(skill=call.skill, ok=True, data={})
        return Delegation(agent, call, ticket.step, f"t-{attempt}", "completed", result, "ok")

    async def cancel(self, agent: str, attempt: str) -> int:
        return 0


def reads(*names: str) -> Plan:
    return Plan(steps=tuple(Step.of("orders", n, {"n": n}) for n in names))


def ticket(depth: int = 0) -> TicketEnvelope:
    return TicketEnvelope(ticket_id="B1", customer_id="c", depth=depth)


async def test_the_delegation_budget_trips_and_is_counted() -> None:
    trips: list[str] = []
    engine = PlanEngine(ScriptedDelegate(), Budget(max_delegations=2), on_trip=trips.append)
    outcomes = await engine.run(reads("a", "b", "c"), ticket())
    assert sorted(o.status for o in outcomes) == ["done", "done", "skipped"]
    assert [o.guardrail for o in outcomes if o.status == "skipped"] == ["delegations"]
    assert trips == ["delegations"]


async def test_wall_time_and_depth_trip_with_their_names() -> None:
    engine = PlanEngine(ScriptedDelegate(hang=frozenset({"slow"})), Budget(wall_time_s=0.2))
    outcomes = await engine.run(reads("fast", "slow"), ticket())
    assert [(o.status, o.guardrail) for o in outcomes] == [("done", ""), ("skipped", "wall_time")]
    deep = await PlanEngine(ScriptedDelegate(), Budget(max_depth=1)).run(reads("x"), ticket(1))
    assert [o.guardrail for o in deep] == ["depth"]


async def test_repeating_the_same_calls_across_turns_trips_the_loop_guard() -> None:
    fake = ScriptedDelegate()
    engine = PlanEngine(fake, Budget(max_identical_calls=3))
    for _ in range(3):  # a ticket's turns legitimately replay their steps
        assert [o.status for o in await engine.run(reads("a"), ticket())] == ["done"]
    (outcome,) = await engine.run(reads("a"), ticket())
    assert (outcome.status, outcome.guardrail) == ("skipped", "repeat")
    assert fake.calls == ["a"] * 3
    other = TicketEnvelope(ticket_id="B2", customer_id="c")
    assert [o.status for o in await engine.run(reads("a"), other)] == ["done"]


async def test_escalate_runs_outside_the_spent_budget() -> None:
    engine = PlanEngine(ScriptedDelegate(), Budget(max_delegations=0))
    (skipped,) = await engine.run(reads("a"), ticket())
    assert skipped.guardrail == "delegations"
    handoff = Step.of("escalation", "transfer_to_human_agents", {"summary": "s"}, kind="write")
    assert (await engine.escalate(handoff, ticket())).status == "done"


def test_ping_pong_between_two_agents_trips() -> None:
    guard = LoopGuard(max_identical=10, max_bounces=2)
    hops = [Hop("orders", "billing", "x", {"i": i}) for i in range(0, 10, 2)]
    backs = [Hop("billing", "orders", "y", {"i": i}) for i in range(1, 10, 2)]
    results = [guard.observe(h) for pair in zip(hops, backs, strict=True) for h in pair]
    tripped = [r for r in results if r is not None]
    assert tripped and tripped[0].guardrail == "ping_pong"
    assert results.index(tripped[0]) == 3  # the third bounce back is one too many
    fan_out = LoopGuard(max_bounces=2)
    assert all(fan_out.observe(Hop("triage", a, "s", {"a": a})) is None for a in "abcdefg")


def test_llm_tokens_are_metered_per_ticket() -> None:
    meter = TokenMeter(limit=1000)
    assert meter.add("t1", 600) and meter.add("t2", 900)
    assert not meter.add("t1", 500)
    assert meter.used("t1") == 1100


def test_specialist_results_are_checked_against_their_schema() -> None:
    call = SkillCall(skill="get_order_details", arguments={"order_id": "#W1000001"})
    good = SkillResult(
        skill="get_order_details", ok=True, data={"order": {"order_id": "#W1000001"}}
    )
    assert check_result(call, good) is None
    assert "another order" in str(
        check_result(call, good.model_copy(update={"data": {"order": {"order_id": "#W2"}}}))
    )
    assert check_result(call, good.model_copy(update={"skill": "cancel_pending_order"}))
    assert check_result(call, good.model_copy(update={"data": {"orders": []}}))
    assert check_result(call, SkillResult(skill="get_order_details", ok=False))
    refused = SkillResult(skill="get_order_details", ok=False, error="no", error_code="not_found")
    assert check_result(call, refused) is None


async def test_in_the_mesh_a_tripped_budget_ends_with_a_reply_and_a_handoff(
    nats_url: str, tmp_path: Path
) -> None:
    from agents.triage.agent import build_spec
    from agents.triage.settings import TriageSettings
    from deskmesh.ask import ticket_message
    from store import Store
    from tests.guardrails.mesh import guardrail_trips, in_process_mesh, reply_data, send

    triage = build_spec(TriageSettings(max_delegations=1))
    async with in_process_mesh(nats_url, tmp_path, generate_demo(), triage) as mesh:
        assert guardrail_trips(mesh.services["triage"], "delegations") == 0
        text = "Which payment methods do I have on file? Also, where is my order #W1000003?"
        task = await send(mesh.triage, ticket_message(text, "ava_moreno_1001", None))
        data = reply_data(task)
        async with Store(mesh.store_url) as store:
            handoffs = await store.list_handoffs(ticket_id=task.id)
        assert guardrail_trips(mesh.services["triage"], "delegations") == 1
    assert data["guardrails"] == ["delegations"]
    statuses = sorted(d["status"] for d in data["delegations"])
    assert statuses == ["done", "done", "skipped"]  # one read, the handoff, one stopped read
    assert [a["action"] for a in data["actions"]] == ["transfer_to_human_agents"]
    assert len(handoffs) == 1 and "delegations" in handoffs[0]["summary"]
    assert "human colleague" in task.status.message.parts[0].text
