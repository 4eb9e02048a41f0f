"""The regression gate: a report against the committed baseline, per metric and per scenario.

The baseline (``evals/baseline.json``) holds, per suite, the quality metrics and the ids of the
scenarios that passed, plus the allowances. The gate fails when a metric falls below its baseline
by more than its allowance, or when more scenarios that passed in the baseline now fail than the
suite allows (default: none — the offline planner is deterministic); either way it names the
scenarios that regressed. A suite of the baseline that was not run fails the gate unless the
report says it was skipped because its data set is absent, and with ``require_data`` (CI, which
has ``../shared``) a skipped suite fails too. A scenario of the baseline that vanished from its
suite fails the gate, and so does any scenario line that no longer parses (``load_errors``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluation.metrics import QUALITY_METRICS

BASELINE_FORMAT = 1
DEFAULT_ALLOWANCES: dict[str, Any] = {
    "metric_drop": {m: 0.005 for m in QUALITY_METRICS},
    "max_new_failures": 0,
}


@dataclass(slots=True)
class GateResult:
    """The gate's verdict against the baseline, with the reasons it failed."""

    failures: list[str] = field(default_factory=list)
    regressed: dict[str, list[str]] = field(default_factory=dict)
    improved: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def render(self) -> str:
        lines = [f"regression gate: {'PASSED' if self.ok else 'FAILED'}"]
        lines += [f"  FAIL {f}" for f in self.failures]
        for suite, ids in sorted(self.regressed.items()):
            lines.append(f"  {suite}: {len(ids)} scenario(s) passed in the baseline and now fail:")
            lines += [f"    - {i}" for i in ids]
        for suite, ids in sorted(self.improved.items()):
            lines.append(
                f"  {suite}: {len(ids)} scenario(s) now pass (update the baseline to keep them): "
                + ", ".join(ids[:20])
                + (" …" if len(ids) > 20 else "")
            )
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def passed_ids(report: dict[str, Any], suite: str) -> list[str]:
    """Scenarios of the suite that passed every trial."""
    runs: dict[str, bool] = {}
    for run in report["runs"]:
        if run["suite"] == suite:
            runs[run["id"]] = runs.get(run["id"], True) and bool(run["passed"])
    return sorted(i for i, ok in runs.items() if ok)


def run_ids(report: dict[str, Any], suite: str) -> list[str]:
    """Every scenario of the suite that ran, passed or not."""
    return sorted({run["id"] for run in report["runs"] if run["suite"] == suite})


def make_baseline(
    report: dict[str, Any], allowances: dict[str, Any] | None = None
) -> dict[str, Any]:
    suites = {}
    for name, suite in report["suites"].items():
        metrics = suite["metrics"]
        suites[name] = {
            "scenarios": metrics["scenarios"],
            "metrics": {m: metrics[m] for m in QUALITY_METRICS},
            "passed": passed_ids(report, name),
            "ids": run_ids(report, name),
        }
    return {
        "format": BASELINE_FORMAT,
        "allowances": allowances or DEFAULT_ALLOWANCES,
        "suites": suites,
    }


def write_baseline(baseline: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(baseline, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def read_baseline(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


def compare(
    baseline: dict[str, Any], report: dict[str, Any], *, require_data: bool = False
) -> GateResult:
    """The report against the baseline; ``require_data``: a suite skipped for absent data fails."""
    result = GateResult()
    allowances = {**DEFAULT_ALLOWANCES, **baseline.get("allowances", {})}
    drops = {**DEFAULT_ALLOWANCES["metric_drop"], **allowances.get("metric_drop", {})}
    skipped = " ".join(report.get("skipped", []))
    for error in report.get("load_errors", []):
        result.failures.append(f"a scenario no longer parses: {error}")
    if require_data:
        for line in report.get("skipped", []):
            result.failures.append(f"suite skipped, but its data is required here: {line}")
    for name, base in sorted(baseline["suites"].items()):
        current = report["suites"].get(name)
        if current is None:
            if name in skipped:
                if not require_data:
                    result.notes.append(f"{name} not run: {_skip_reason(report, name)}")
            else:
                result.failures.append(f"{name}: in the baseline but not run")
            continue
        _compare_metrics(name, base["metrics"], current["metrics"], drops, result)
        _compare_scenarios(name, base, report, int(allowances["max_new_failures"]), result)
    for name in sorted(set(report["suites"]) - set(baseline["suites"])):
        result.notes.append(f"{name} is not in the baseline yet (make eval-baseline adds it)")
    return result


def _skip_reason(report: dict[str, Any], name: str) -> str:
    return next((s for s in report.get("skipped", []) if name in s), "skipped")


def _compare_metrics(
    suite: str,
    base: dict[str, Any],
    current: dict[str, Any],
    drops: dict[str, float],
    result: GateResult,
) -> None:
    for metric in QUALITY_METRICS:
        was, now = base.get(metric), current.get(metric)
        if was is None:
            continue
        if now is None:
            result.failures.append(f"{suite}: {metric} was {was:.4f}, now not measured")
        elif now < was - drops.get(metric, 0.0):
            result.failures.append(
                f"{suite}: {metric} {now:.4f} < baseline {was:.4f} "
                f"(allowance {drops.get(metric, 0.0):.4f})"
            )


def _compare_scenarios(
    suite: str, base: dict[str, Any], report: dict[str, Any], allowed: int, result: GateResult
) -> None:
    ran = {r["id"] for r in report["runs"] if r["suite"] == suite}
    now_passing = set(passed_ids(report, suite))
    was_passing = set(base.get("passed", []))
    regressed = sorted((was_passing & ran) - now_passing)
    improved = sorted(now_passing - was_passing)
    vanished = sorted(set(base.get("ids", was_passing)) - ran)
    if regressed:
        result.regressed[suite] = regressed
        if len(regressed) > allowed:
            result.failures.append(
                f"{suite}: {len(regressed)} scenario(s) regressed (allowed {allowed})"
            )
    if improved:
        result.improved[suite] = improved
    if vanished:
        result.failures.append(
            f"{suite}: {len(vanished)} scenario(s) of the baseline vanished (removed, renamed "
            "or unparsable; make eval-baseline if deliberate): "
            + ", ".join(vanished[:10])
            + (" …" if len(vanished) > 10 else "")
        )
