"""A small evaluation through the real in-process mesh (real NATS, real SQLite, real A2A):
scoring, determinism of the report, and the gate catching a deliberately broken agent."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from a2a.helpers import new_task_from_user_message, new_text_part
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater

from agents.runtime.spec import AgentSpec
from evaluation.gate import compare, make_baseline
from evaluation.mesh import InProcessMesh, default_specs
from evaluation.pool import RunOptions, execute
from evaluation.report import build_report, explain, without_timings
from evaluation.runner import Job, Seeds, run_scenario
from evaluation.scenario import Scenario, parse_scenario
from protocol.parts import find_skill_call

AVA, LIAM = "ava_moreno_1001", "liam_chen_1002"
RAW: list[dict[str, Any]] = [
    {"id": "status", "tags": ["read"], "customer": {"user_id": AVA},
     "turns": ["Where is my order #W1000001?"],
     "expect": {"agents": ["orders"], "actions": [], "final_state": "completed",
                "reply_contains": ["pending"]}},
    {"id": "which-order", "tags": ["ambiguous"], "customer": {"user_id": LIAM},
     "turns": ["Where is my order?", "#W1000005"],
     "expect": {"agents": ["orders"], "actions": [], "first_turn_state": "input-required",
                "final_state": "completed", "reply_contains": ["#W1000005"]}},
    {"id": "human", "tags": ["escalation"], "customer": {"user_id": LIAM},
     "turns": ["I want to talk to a human."],
     "expect": {"agents": ["escalation"], "final_state": "completed",
                "actions": [{"name": "transfer_to_human_agents", "args": {}}]}},
    {"id": "impossible", "tags": ["control"], "customer": {"user_id": AVA},
     "turns": ["Where is my order #W1000001?"],
     "expect": {"agents": ["billing"], "reply_contains": ["no such words here"]}},
]  # fmt: skip


def _scenarios(suite: str = "e2e") -> list[Scenario]:
    return [parse_scenario(raw, suite=suite) for raw in RAW]


class _WithoutSkill(AgentExecutor):
    """A deliberately broken agent: refuses one of its skills, runs the others."""

    def __init__(self, inner: AgentExecutor, skill: str) -> None:
        self._inner, self._skill = inner, skill

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        call = find_skill_call(context.message) if context.message else None
        if call is None or call.skill != self._skill:
            await self._inner.execute(context, event_queue)
            return
        await event_queue.enqueue_event(new_task_from_user_message(context.message))
        updater = TaskUpdater(event_queue, context.task_id, context.context_id)
        await updater.reject(updater.new_agent_message([new_text_part("switched off")]))

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        await self._inner.cancel(context, event_queue)


def without_skill(spec: AgentSpec, skill: str) -> AgentSpec:
    create = spec.create_executor
    return dataclasses.replace(spec, create_executor=lambda r: _WithoutSkill(create(r), skill))


@pytest.fixture(scope="module")
async def mesh(nats_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Any]:
    async with InProcessMesh(tmp_path_factory.mktemp("eval-mesh"), nats_url=nats_url) as m:
        yield m


async def _run_all(mesh: Any, scenarios: list[Scenario]) -> list[dict[str, Any]]:
    seeds = Seeds(None)
    return [await run_scenario(mesh, seeds, s) for s in scenarios]


async def test_scores_trajectories_through_the_real_mesh(mesh: Any) -> None:
    runs = {r["id"]: r for r in await _run_all(mesh, _scenarios())}
    status = runs["status"]
    assert status["passed"], status["divergence"]
    hop = status["trajectory"]["delegations"][0]
    assert (hop["agent"], hop["skill"]) == ("orders", "get_order_details")
    assert hop["arguments"] == {"order_id": "#W1000001"}
    assert runs["which-order"]["trajectory"]["turns"][0]["state"] == "input-required"
    assert runs["which-order"]["trajectory"]["clarifications"]
    human = runs["human"]
    assert [a["name"] for a in human["trajectory"]["actions"]] == ["transfer_to_human_agents"]
    assert human["counts"]["action_tp"] == 1
    impossible = runs["impossible"]
    assert not impossible["passed"]
    assert impossible["divergence"]["kind"] == "wrong agent"
    assert "FIRST DIVERGENCE: wrong agent at hop 1" in explain(impossible)


async def test_report_is_deterministic_apart_from_timings(mesh: Any) -> None:
    first = build_report(await _run_all(mesh, _scenarios()), trials=1)
    second = build_report(await _run_all(mesh, _scenarios()), trials=1)
    assert without_timings(first) == without_timings(second)
    assert first["overall"]["latency_p50_s"] is not None


async def test_gate_names_scenarios_a_broken_agent_regresses(
    mesh: Any, nats_url: str, tmp_path: Path
) -> None:
    scenarios = _scenarios()
    baseline = make_baseline(build_report(await _run_all(mesh, scenarios), trials=1))
    assert "status" in baseline["suites"]["e2e"]["passed"]
    specs = default_specs()
    specs["orders"] = without_skill(specs["orders"], "get_order_details")
    options = RunOptions(work_dir=tmp_path, nats_url=nats_url, specs=specs)
    broken = await execute([Job(s, 1) for s in scenarios], options, lambda _: None)
    result = compare(baseline, build_report(broken, trials=1))
    assert not result.ok
    assert "status" in result.regressed["e2e"]
    assert "human" not in result.regressed["e2e"]
    assert "status" in result.render()


@pytest.mark.dataset
async def test_each_seed_runs_on_a_mesh_of_its_own(nats_url: str, tmp_path: Path) -> None:
    """The triage reads the product catalog once: a τ-bench scenario first must not leave its
    catalog to a demo scenario that looks up a demo item (it did, in one mesh)."""
    from evaluation.scenario import load_file
    from tests.conftest import DATASETS

    tau = DATASETS / "tau-bench-retail"
    if not tau.exists():
        pytest.skip(f"{tau} is absent")
    scenarios = Path(__file__).resolve().parents[2] / "evals" / "scenarios"
    first = load_file(scenarios / "tau_users.jsonl").scenarios[0]
    demo = next(s for s in load_file(scenarios / "orders.jsonl").scenarios
                if s.id == "find-item-variant")  # fmt: skip
    options = RunOptions(work_dir=tmp_path, nats_url=nats_url, tau_dir=tau)
    runs = await execute([Job(first, 1), Job(demo, 1)], options, lambda _: None)
    assert [(r["id"], r["passed"]) for r in runs] == [(first.id, True), (demo.id, True)], [
        r["divergence"] for r in runs
    ]
