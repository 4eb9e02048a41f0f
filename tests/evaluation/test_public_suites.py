"""Public suites convert on the fly (skipped when ../shared/datasets is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.public import DatasetMissing, load_public
from tests.conftest import DATASETS

pytestmark = pytest.mark.dataset


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is absent")


def test_tau_train_converts_to_state_scored_scenarios() -> None:
    _need(DATASETS / "tau-bench-retail")
    loaded = load_public("public:tau-train", DATASETS)
    assert loaded.errors == [] and len(loaded.scenarios) == 500
    first = loaded.scenarios[0]
    assert first.seed == "tau-retail" and first.scores_state
    assert first.customer is not None and first.customer["user_id"]
    assert first.expect.actions and first.expect.agents == frozenset({"orders"})
    noop = [s for s in loaded.scenarios if "gold-noop" in s.tags]
    assert len(noop) == 19  # 20 gold actions legitimately fail (docs/store.md)


def test_tau_test_converts_like_train_and_clinc_expects_no_write() -> None:
    _need(DATASETS / "tau-bench-retail")
    test = load_public("public:tau-test", DATASETS)
    assert test.errors == [] and len(test.scenarios) == 115
    assert all(s.id.startswith("test-") and "tau-test" in s.tags for s in test.scenarios)
    assert sum(bool(s.expect.actions) for s in test.scenarios) >= 100
    _need(DATASETS / "clinc150")
    oos = load_public("public:clinc-oos", DATASETS)
    assert oos.errors == [] and len(oos.scenarios) == 1000
    assert all(s.expect.actions == () and s.scores_state for s in oos.scenarios)


@pytest.mark.parametrize(
    ("suite", "at_least"),
    [("tau-test-routing", 100), ("tau2-routing", 100), ("bitext-test-routing", 810)],
)
def test_routing_suites_load(suite: str, at_least: int) -> None:
    _need(DATASETS / "tau-bench-retail")
    _need(DATASETS / "bitext-customer-support")
    loaded = load_public(f"public:{suite}", DATASETS)
    assert loaded.errors == [] and len(loaded.scenarios) >= at_least
    assert all(s.expect.agents is not None and s.expect.actions is None for s in loaded.scenarios)


def test_absent_dataset_is_reported_not_failed(tmp_path: Path) -> None:
    with pytest.raises(DatasetMissing):
        load_public("public:tau-train", tmp_path)
