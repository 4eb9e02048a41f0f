"""Gate comparison logic: metric drops and per-scenario regressions are caught and named."""

from __future__ import annotations

from pathlib import Path

from evaluation.gate import compare, make_baseline, read_baseline, write_baseline
from evaluation.report import build_report
from tests.evaluation.synthetic import run, scenario, trajectory


def _report(failing: set[str], suite: str = "ours", n: int = 10, skipped: list[str] | None = None):
    runs = []
    for i in range(n):
        s = scenario(id=f"sc{i}", suite=suite, expect={"final_state": "completed"})
        state = "failed" if s.id in failing else "completed"
        runs.append(run(s, trajectory(states=[state])))
    return build_report(runs, trials=1, skipped=skipped or [])


def test_same_report_passes(tmp_path: Path) -> None:
    base = make_baseline(_report({"sc9"}))
    write_baseline(base, tmp_path / "b.json")
    result = compare(read_baseline(tmp_path / "b.json"), _report({"sc9"}))
    assert result.ok and not result.regressed
    assert base["suites"]["ours"]["passed"] == [f"sc{i}" for i in range(9)]


def test_regressed_scenarios_are_named_and_fail_the_gate() -> None:
    result = compare(make_baseline(_report(set())), _report({"sc3", "sc7"}))
    assert not result.ok
    assert result.regressed == {"ours": ["sc3", "sc7"]}
    assert any("pass_rate" in f for f in result.failures)
    assert "sc3" in result.render() and "FAILED" in result.render()


def test_allowances_absorb_noise() -> None:
    baseline = make_baseline(_report(set()))
    baseline["allowances"] = {"metric_drop": {"pass_rate": 0.2}, "max_new_failures": 1}
    result = compare(baseline, _report({"sc3"}))
    assert result.ok and result.regressed == {"ours": ["sc3"]}


def test_improvements_are_reported_not_failed() -> None:
    result = compare(make_baseline(_report({"sc1", "sc2"})), _report({"sc2"}))
    assert result.ok and result.improved == {"ours": ["sc1"]}


def test_missing_suite_fails_unless_its_dataset_is_absent() -> None:
    baseline = make_baseline(_report(set(), suite="tau-train"))
    assert not compare(baseline, _report(set())).ok
    skipped = _report(set(), skipped=["tau-train: /x/tasks_train.json is absent"])
    result = compare(baseline, skipped)
    assert result.ok and "tau-train" in result.notes[0]
