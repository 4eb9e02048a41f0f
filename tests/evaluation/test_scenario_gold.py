"""Our suite's expected writes are valid: each replays without error on its seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.scenario import load_file
from store import generate_demo, load_tau, replay
from tests.conftest import DATASETS

SCENARIOS = Path(__file__).resolve().parents[2] / "evals" / "scenarios"


def _scenarios() -> list:
    return [s for p in sorted(SCENARIOS.rglob("*.jsonl")) for s in load_file(p).scenarios]


def _data_writes(s) -> list[dict]:
    """The expected writes that change retail data (a handoff's summary is prose, not replayed)."""
    actions = [{"name": a.name, "kwargs": a.args} for a in s.expect.actions]
    return [a for a in actions if a["name"] != "transfer_to_human_agents"]


def test_expected_demo_writes_replay_cleanly() -> None:
    demo = generate_demo()
    checked = 0
    for s in _scenarios():
        if s.seed != "demo" or not s.expect.actions:
            continue
        actions = _data_writes(s)
        _, errors = replay(demo, actions)
        assert errors == [None] * len(actions), (s.key, errors)
        checked += 1
    assert checked >= 40


@pytest.mark.dataset
def test_expected_tau_writes_replay_cleanly() -> None:
    folder = DATASETS / "tau-bench-retail"
    if not folder.exists():
        pytest.skip(f"{folder} is absent")
    tau = load_tau(folder)
    checked = 0
    for s in _scenarios():
        if s.seed == "tau-retail" and s.expect.actions:
            actions = _data_writes(s)
            _, errors = replay(tau, actions)
            assert errors == [None] * len(actions), (s.key, errors)
            checked += 1
    assert checked >= 200
