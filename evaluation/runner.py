"""Running scenarios on one mesh, one after the other: reset, converse, read the audit, score."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.errors import DeskmeshError
from evaluation.checks import score
from evaluation.conversation import converse
from evaluation.mesh import EvalMesh
from evaluation.scenario import Scenario
from evaluation.state import compare_state
from evaluation.trajectory import build_trajectory
from store import generate_demo, load_tau


class SeedUnavailable(DeskmeshError, RuntimeError):
    """A scenario needs seed data the runner was not given (the τ-bench folder)."""


class Seeds:
    """The seed data sets, loaded once per process."""

    def __init__(self, tau_dir: Path | None) -> None:
        self.tau_dir = tau_dir
        self._cache: dict[str, dict[str, Any]] = {}

    def get(self, name: str) -> dict[str, Any]:
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def _load(self, name: str) -> dict[str, Any]:
        if name == "demo":
            return generate_demo()
        if self.tau_dir is None or not self.tau_dir.exists():
            raise SeedUnavailable(f"seed {name!r} needs the τ-bench retail folder (--tau-data)")
        return load_tau(self.tau_dir)


@dataclass(frozen=True, slots=True)
class Job:
    """One trial of one scenario."""

    scenario: Scenario
    trial: int


def by_seed(jobs: Iterable[Job]) -> list[list[Job]]:
    """The jobs grouped by seed, in order of first appearance.

    Each group runs on a mesh of its own: the triage reads the product catalog once, as a
    service whose catalog does not swap under it would, so a mesh must never see two seeds.
    """
    groups: dict[str, list[Job]] = {}
    for job in jobs:
        groups.setdefault(job.scenario.seed, []).append(job)
    return list(groups.values())


async def run_jobs(
    mesh: EvalMesh, seeds: Seeds, jobs: Iterable[Job]
) -> AsyncIterator[dict[str, Any]]:
    for job in jobs:
        yield await run_scenario(mesh, seeds, job.scenario, job.trial)


async def run_scenario(
    mesh: EvalMesh, seeds: Seeds, scenario: Scenario, trial: int = 1
) -> dict[str, Any]:
    """One run of one scenario on a freshly reset store, as a JSON-ready result."""
    seed = seeds.get(scenario.seed)
    await mesh.store.reset(seed)
    customer_id = await _customer_id(mesh, scenario)
    started = time.perf_counter()
    conversation = await converse(mesh.client, scenario.turns, customer_id)
    latency = time.perf_counter() - started
    rows = await mesh.store.action_log(conversation.ticket_id) if conversation.ticket_id else []
    trajectory = build_trajectory(conversation, rows)
    state = None
    if scenario.scores_state:
        assert scenario.expect.actions is not None
        gold = [(a.name, a.args) for a in scenario.expect.actions]
        written = [a for a in trajectory["actions"] if a["outcome"] == "ok"]
        state = await compare_state(mesh.store, seed, gold, written, customer_id)
    outcome = score(scenario, trajectory, state)
    return {
        "key": scenario.key,
        "suite": scenario.suite,
        "id": scenario.id,
        "tags": list(scenario.tags),
        "trial": trial,
        **outcome,
        "state": state,
        "trajectory": trajectory,
        "latency_s": round(latency, 4),
        "turn_latency_s": [round(t.latency_s, 4) for t in conversation.turns],
    }


async def _customer_id(mesh: EvalMesh, scenario: Scenario) -> str | None:
    """The verified identity as triage receives it: a user id (an email is looked up)."""
    customer = scenario.customer
    if not customer:
        return None
    if "user_id" in customer:
        return customer["user_id"]
    user = await mesh.store.find_user_by_email(customer["email"])
    return user["user_id"] if user else None
