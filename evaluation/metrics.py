"""Suite metrics from scored runs: rates, precision/recall, per-ticket counts, latency, pass^k.

Definitions (docs/evaluation.md): rates are over the runs where the check is scored; action
precision/recall are micro-averaged over executed and expected writes; clarification
precision/recall treat "turn 1 ended input-required" as the prediction and the scenario's
``first_turn_state`` (or ``clarifications``) as the truth; hops = turns sent + delegations.
A metric with nothing to score is ``None``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

Result = dict[str, Any]

QUALITY_METRICS = (
    "pass_rate",
    "routing_accuracy",
    "action_precision",
    "action_recall",
    "state_match_rate",
    "clarification_precision",
    "clarification_recall",
)
TIMING_METRICS = ("latency_p50_s", "latency_p95_s", "latency_p99_s")


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _rate(values: Iterable[bool | None]) -> float | None:
    scored = [v for v in values if v is not None]
    return _ratio(sum(scored), len(scored))


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(value, 4)


def compute(results: Sequence[Result]) -> dict[str, Any]:
    counts = [r["counts"] for r in results]
    tp = sum(c["action_tp"] for c in counts)
    fp = sum(c["action_fp"] for c in counts)
    fn = sum(c["action_fn"] for c in counts)
    clar = [(c["clarification_expected"], c["clarification_asked"]) for c in counts]
    clar = [(e, a) for e, a in clar if e is not None]
    asked_right = sum(1 for e, a in clar if e and a)
    latencies = [r["latency_s"] for r in results if r.get("latency_s") is not None]
    n = len(results)
    return {
        "runs": n,
        "scenarios": len({r["key"] for r in results}),
        "passed": sum(1 for r in results if r["passed"]),
        "pass_rate": _ratio(sum(1 for r in results if r["passed"]), n),
        "routing_accuracy": _rate(r["checks"]["routing"] for r in results),
        "action_precision": _ratio(tp, tp + fp),
        "action_recall": _ratio(tp, tp + fn),
        "state_match_rate": _rate(r["checks"]["state_match"] for r in results),
        "clarification_precision": _ratio(asked_right, sum(1 for _, a in clar if a)),
        "clarification_recall": _ratio(asked_right, sum(1 for e, _ in clar if e)),
        "delegations_per_ticket": _ratio(sum(c["delegations"] for c in counts), n),
        "hops_per_ticket": _ratio(sum(c["hops"] for c in counts), n),
        "latency_p50_s": percentile(latencies, 50),
        "latency_p95_s": percentile(latencies, 95),
        "latency_p99_s": percentile(latencies, 99),
    }


def pass_hat_k(results: Sequence[Result], trials: int) -> dict[str, float | None]:
    """τ-bench's pass^k for k = 1..trials: the chance that k runs of a scenario all pass,
    estimated per scenario as C(c, k) / C(n, k) (c passes in n runs) and averaged."""
    runs: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        runs[r["key"]].append(bool(r["passed"]))
    out: dict[str, float | None] = {}
    for k in range(1, trials + 1):
        values = [math.comb(sum(p), k) / math.comb(len(p), k) for p in runs.values() if len(p) >= k]
        out[f"pass^{k}"] = round(sum(values) / len(values), 4) if values else None
    return out


def breakdown(results: Sequence[Result], trials: int) -> dict[str, Any]:
    """Metrics overall, per suite and per tag (each with pass^k when trials > 1)."""

    def block(subset: Sequence[Result]) -> dict[str, Any]:
        metrics = compute(subset)
        if trials > 1:
            metrics.update(pass_hat_k(subset, trials))
        return metrics

    suites: dict[str, list[Result]] = defaultdict(list)
    tags: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        suites[r["suite"]].append(r)
        for tag in r["tags"]:
            tags[tag].append(r)
    return {
        "overall": block(results),
        "suites": {
            name: {
                "metrics": block(subset),
                "tags": {t: block([r for r in subset if t in r["tags"]]) for t in _tags(subset)},
            }
            for name, subset in sorted(suites.items())
        },
        "tags": {tag: block(subset) for tag, subset in sorted(tags.items())},
    }


def _tags(results: Sequence[Result]) -> list[str]:
    return sorted({t for r in results for t in r["tags"]})
