"""router.engine.PlanEngine against an in-memory Delegator (the engine's own seam, no IO).

The fake answers each call by the skill's behaviour: at once, after other calls have started
(to prove parallelism), or never (until the engine cancels the attempt).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from protocol.parts import SkillCall, SkillResult, TicketEnvelope
from router.budget import Budget
from router.delegate import Delegation
from router.engine import PlanEngine, TicketCancelled
from router.plan import Plan, Step

Behaviour = Callable[["Call"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Call:
    agent: str
    skill: str
    key: str
    attempt: str
    depth: int


@dataclass
class FakeDelegate:
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    started: dict[str, asyncio.Event] = field(default_factory=dict)

    def event(self, skill: str) -> asyncio.Event:
        return self.started.setdefault(skill, asyncio.Event())

    async def call(
        self, agent: str, call: SkillCall, ticket: TicketEnvelope, *, attempt: str
    ) -> Delegation:
        record = Call(agent, call.skill, ticket.idempotency_key, attempt, ticket.depth)
        self.calls.append(record)
        self.event(call.skill).set()
        behaviour = self.behaviours.get(call.skill)
        if behaviour is not None:
            await behaviour(record)
        self.finished.append(call.skill)
        result = SkillResult(skill=call.skill, ok=True, data={"attempt": attempt})
        return Delegation(agent, call, ticket.step, f"task-{attempt}", "completed", result, "ok")

    async def cancel(self, agent: str, attempt: str) -> int:
        self.cancelled.append(attempt)
        return 1


async def forever(_: Call) -> None:
    await asyncio.Event().wait()


def ticket(depth: int = 0) -> TicketEnvelope:
    return TicketEnvelope(ticket_id="T1", customer_id="c", depth=depth)


def step(skill: str, *after: Step, kind: str = "read") -> Step:
    return Step.of("orders", skill, {"n": skill}, kind=kind, depends_on=[s.id for s in after])  # type: ignore[arg-type]


async def test_a_step_starts_only_after_its_dependencies_finished() -> None:
    fake = FakeDelegate()
    first, second = step("first"), step("second")
    third = step("third", first, second)
    outcomes = await PlanEngine(fake).run(Plan(steps=(third, first, second)), ticket())
    assert [o.status for o in outcomes] == ["done", "done", "done"]
    assert fake.finished.index("third") > max(fake.finished.index(s) for s in ("first", "second"))
    assert [c.skill for c in fake.calls][-1] == "third"
    assert {c.depth for c in fake.calls} == {1}


async def test_independent_steps_run_in_parallel() -> None:
    fake = FakeDelegate()

    def after(other: str) -> Behaviour:
        async def wait(_: Call) -> None:
            await fake.event(other).wait()  # only returns if the other call is in flight too

        return wait

    fake.behaviours = {"left": after("right"), "right": after("left")}
    engine = PlanEngine(fake, Budget(step_timeout_s=5, attempts=1))
    outcomes = await engine.run(Plan(steps=(step("left"), step("right"))), ticket())
    assert [o.status for o in outcomes] == ["done", "done"]


async def test_a_timed_out_attempt_is_cancelled_and_retried_with_the_same_key() -> None:
    fake = FakeDelegate()
    attempts = 0

    async def slow_once(_: Call) -> None:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            await forever(_)

    fake.behaviours = {"cancel_pending_order": slow_once}
    write = step("cancel_pending_order", kind="write")
    engine = PlanEngine(fake, Budget(step_timeout_s=0.2, attempts=2))
    (outcome,) = await engine.run(Plan(steps=(write,)), ticket())
    assert outcome.status == "done"
    first, second = fake.calls
    assert first.key == second.key == write.idempotency_key("T1")
    assert first.attempt != second.attempt
    assert fake.cancelled == [first.attempt]
    assert outcome.delegation is not None and outcome.delegation.result is not None
    assert outcome.delegation.result.data == {"attempt": second.attempt}


async def test_every_attempt_timing_out_fails_the_step() -> None:
    fake = FakeDelegate(behaviours={"stuck": forever})
    engine = PlanEngine(fake, Budget(step_timeout_s=0.1, attempts=2))
    (outcome,) = await engine.run(Plan(steps=(step("stuck"),)), ticket())
    assert outcome.status == "failed" and "did not answer in time" in outcome.reason
    assert len(fake.calls) == 2 and fake.cancelled == [c.attempt for c in fake.calls]


async def test_the_delegation_budget_ends_cleanly() -> None:
    fake = FakeDelegate()
    steps = (step("a"), step("b"), step("c"))
    b = step("after_b", steps[1])
    outcomes = await PlanEngine(fake, Budget(max_delegations=2)).run(
        Plan(steps=(*steps, b)), ticket()
    )
    statuses = [o.status for o in outcomes]
    assert statuses.count("done") == 2 and statuses.count("skipped") == 2
    assert all("budget" in o.reason for o in outcomes if o.status == "skipped")
    assert len(fake.calls) == 2


async def test_the_wall_time_budget_ends_cleanly_and_cancels_what_is_in_flight() -> None:
    fake = FakeDelegate(behaviours={"stuck": forever})
    engine = PlanEngine(fake, Budget(wall_time_s=0.2, step_timeout_s=5))
    quick, stuck = step("quick"), step("stuck")
    outcomes = await engine.run(Plan(steps=(quick, stuck, step("later", stuck))), ticket())
    assert [o.status for o in outcomes] == ["done", "skipped", "skipped"]
    assert outcomes[1].reason == "the time for this ticket ran out"
    assert fake.cancelled == [fake.calls[-1].attempt] and fake.calls[-1].skill == "stuck"


async def test_the_depth_budget_stops_delegating() -> None:
    fake = FakeDelegate()
    (outcome,) = await PlanEngine(fake, Budget(max_depth=3)).run(
        Plan(steps=(step("a"),)), ticket(depth=3)
    )
    assert outcome.status == "skipped" and fake.calls == []


async def test_cancelling_the_ticket_cancels_its_in_flight_delegations() -> None:
    fake = FakeDelegate(behaviours={"stuck": forever})
    engine = PlanEngine(fake, Budget(step_timeout_s=30))
    stuck = step("stuck")
    run = asyncio.create_task(engine.run(Plan(steps=(stuck, step("next", stuck))), ticket()))
    await fake.event("stuck").wait()
    assert await engine.cancel("T1") == 1
    with pytest.raises(TicketCancelled):
        await run
    assert fake.cancelled == [fake.calls[0].attempt]
    assert [c.skill for c in fake.calls] == ["stuck"]
    assert await engine.cancel("T1") == 0  # nothing is running any more
