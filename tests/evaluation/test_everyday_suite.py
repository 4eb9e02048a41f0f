"""The everyday suite is what its generator builds from the τ-bench data, and it is well formed."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from evaluation.scenario import load_file
from store import load_tau
from tests.conftest import DATASETS

ROOT = Path(__file__).resolve().parents[2]
EVERYDAY = ROOT / "evals" / "scenarios" / "everyday"


def _scenarios() -> list:
    return [s for p in sorted(EVERYDAY.glob("*.jsonl")) for s in load_file(p).scenarios]


def test_suite_is_large_well_formed_and_expects_something() -> None:
    loaded = [load_file(p) for p in sorted(EVERYDAY.glob("*.jsonl"))]
    assert all(not part.errors for part in loaded), [part.errors for part in loaded]
    scenarios = _scenarios()
    assert len(scenarios) >= 200
    assert len({s.key for s in scenarios}) == len(scenarios)
    for s in scenarios:
        assert s.seed == "tau-retail" and s.customer and s.customer.get("user_id"), s.key
        assert s.expect.actions is not None and s.expect.agents, s.key
        assert s.expect.final_state == "completed", s.key
        # customers never write their user id; order numbers are their only ids
        assert not any(re.search(r"[a-z]+_[a-z]+_\d{4}", t) for t in s.turns), s.key
        if len(s.turns) > 1:
            assert s.expect.first_turn_state == "input-required", s.key


@pytest.mark.dataset
def test_generator_reproduces_the_committed_suite() -> None:
    folder = DATASETS / "tau-bench-retail"
    if not folder.exists():
        pytest.skip(f"{folder} is absent")
    spec = importlib.util.spec_from_file_location(
        "everyday_build", ROOT / "evals" / "everyday_build.py"
    )
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    files = build.build_all(load_tau(folder))
    assert sorted(files) == sorted(p.name for p in EVERYDAY.glob("*.jsonl"))
    for name, text in files.items():
        assert (EVERYDAY / name).read_text(encoding="utf-8") == text, name
