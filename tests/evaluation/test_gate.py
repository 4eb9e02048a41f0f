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


def test_a_vanished_scenario_fails_the_gate_passing_or_not() -> None:
    baseline = make_baseline(_report({"sc9"}))
    assert baseline["suites"]["ours"]["ids"] == [f"sc{i}" for i in range(10)]
    for gone in ("sc9", "sc4"):  # one that failed in the baseline, one that passed
        report = _report({"sc9"})
        report["runs"] = [r for r in report["runs"] if r["id"] != gone]
        result = compare(baseline, report)
        assert not result.ok
        assert any("vanished" in f and gone in f for f in result.failures), result.failures


def test_a_scenario_that_no_longer_parses_fails_the_gate() -> None:
    report = _report(set())
    report["load_errors"] = ["evals/scenarios/ours.jsonl:7: not JSON (Expecting value at column 1)"]
    result = compare(make_baseline(_report(set())), report)
    assert not result.ok
    assert any("no longer parses" in f and "ours.jsonl:7" in f for f in result.failures)


def test_a_suite_skipped_for_missing_data_fails_when_data_is_required() -> None:
    baseline = make_baseline(_report(set(), suite="tau-train"))
    skipped = _report(set(), skipped=["tau-train: /x/tasks_train.json is absent"])
    assert compare(baseline, skipped).ok  # a developer without ../shared: a note
    result = compare(baseline, skipped, require_data=True)
    assert not result.ok
    assert any("data is required" in f and "tau-train" in f for f in result.failures)
    # a skipped suite fails under CI even when the baseline does not know it yet
    fresh = _report(set(), skipped=["everyday: τ-bench retail data absent"])
    assert not compare(make_baseline(_report(set())), fresh, require_data=True).ok
