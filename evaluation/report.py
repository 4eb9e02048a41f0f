"""The evaluation report (JSON), its summary tables and the readable ``--explain`` view.

The report is deterministic for a deterministic mesh apart from its timings: every key is
sorted, runs are ordered by (suite, id, trial), and the fields that hold timings are named
``latency*`` or live under ``timing``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from deskmesh.table import format_table
from evaluation.metrics import breakdown

REPORT_FORMAT = 1
TIMING_KEYS = frozenset({"latency_s", "turn_latency_s", "timing"})


def build_report(
    results: Sequence[dict[str, Any]],
    *,
    trials: int,
    scenarios: dict[str, dict[str, Any]] | None = None,
    load_errors: Sequence[str] = (),
    skipped: Sequence[str] = (),
    timing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    runs = sorted(results, key=lambda r: (r["suite"], r["id"], r["trial"]))
    return {
        "format": REPORT_FORMAT,
        "trials": trials,
        **breakdown(runs, trials),
        "load_errors": list(load_errors),
        "skipped": list(skipped),
        "runs": runs,
        "scenarios": dict(sorted((scenarios or {}).items())),
        "timing": timing or {},
    }


def write_report(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def read_report(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


def without_timings(value: Any) -> Any:
    """The report minus every timing field (what must be equal between two runs)."""
    if isinstance(value, dict):
        return {
            k: without_timings(v)
            for k, v in value.items()
            if k not in TIMING_KEYS and not k.startswith("latency")
        }
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


# ---------------------------------------------------------------------------- tables
def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{1000 * value:.0f}"


def _row(name: str, m: dict[str, Any], trials: int) -> list[str]:
    row = [
        name,
        str(m["scenarios"]),
        f"{m['passed']}/{m['runs']}",
        _pct(m["pass_rate"]),
        _pct(m["routing_accuracy"]),
        f"{_pct(m['action_precision'])}/{_pct(m['action_recall'])}",
        _pct(m["state_match_rate"]),
        f"{_pct(m['clarification_precision'])}/{_pct(m['clarification_recall'])}",
        _num(m["delegations_per_ticket"]),
        _num(m["hops_per_ticket"]),
        "/".join(_ms(m[k]) for k in ("latency_p50_s", "latency_p95_s", "latency_p99_s")),
    ]
    if trials > 1:
        row.append(_pct(m.get(f"pass^{trials}")))
    return row


def _header(first: str, trials: int) -> list[str]:
    header = [
        first,
        "n",
        "passed",
        "pass%",
        "route%",
        "act P/R%",
        "state%",
        "clar P/R%",
        "deleg",
        "hops",
        "p50/p95/p99 ms",
    ]
    return [*header, f"pass^{trials}%"] if trials > 1 else header


def markdown_table(first: str, named: Sequence[tuple[str, dict[str, Any]]], trials: int = 1) -> str:
    """The summary table's columns as Markdown, one row per (name, metrics)."""
    header = _header(first, trials)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_row(name, m, trials)) + " |" for name, m in named]
    return "\n".join(lines)


def summary_table(report: dict[str, Any], *, by_tag: bool = False) -> str:
    trials = report["trials"]
    rows = [_row(name, s["metrics"], trials) for name, s in report["suites"].items()]
    if len(rows) > 1:
        rows.append(_row("all", report["overall"], trials))
    parts = [format_table(_header("suite", trials), rows)]
    if by_tag and report["tags"]:
        tag_rows = [_row(tag, m, trials) for tag, m in report["tags"].items()]
        parts.append(format_table(_header("tag", trials), tag_rows))
    failing = [r for r in report["runs"] if not r["passed"]]
    if failing:
        kinds: dict[str, int] = {}
        for r in failing:
            kind = r["divergence"]["kind"] if r.get("divergence") else "?"
            kinds[kind] = kinds.get(kind, 0) + 1
        counted = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda x: -x[1]))
        parts.append(f"first divergences of failing runs: {counted}")
    notes = [f"skipped line {line}" for line in report["load_errors"]]
    notes += [f"skipped: {line}" for line in report["skipped"]]
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------- explain
def find_runs(report: dict[str, Any], wanted: str) -> list[dict[str, Any]]:
    exact = [r for r in report["runs"] if wanted in (r["key"], r["id"])]
    return exact or [r for r in report["runs"] if wanted in r["key"]]


def explain(run: dict[str, Any], scenario: dict[str, Any] | None = None) -> str:
    t = run["trajectory"]
    lines = [f"{run['key']} (trial {run['trial']}): {'PASSED' if run['passed'] else 'FAILED'}"]
    if run["tags"]:
        lines.append(f"tags: {', '.join(run['tags'])}")
    if scenario:
        lines.append(f"expected: {json.dumps(scenario['expect'], sort_keys=True)}")
    d = run.get("divergence")
    if d:
        lines += ["", f"FIRST DIVERGENCE: {d['kind']} at {d['hop']}", f"  {d['detail']}"]
        for key in ("expected", "actual"):
            if key in d:
                lines.append(f"  {key}: {json.dumps(d[key], sort_keys=True)}")
    lines += ["", "trajectory:"]
    delegations = {h["turn"]: [] for h in t["turns"]}
    for dg in t["delegations"]:
        delegations.setdefault(dg.get("turn"), []).append(dg)
    for turn in t["turns"]:
        lines.append(f"  turn {turn['turn']} → triage: {turn['state']}")
        for dg in delegations.get(turn["turn"], []):
            lines.append("    " + _delegation_line(dg))
            for a in (a for a in t["actions"] if a["hop"] == dg.get("hop")):
                lines.append("      " + _action_line(a))
        if turn["state"] == "input-required":
            lines.append(f"    asked: {turn['message']}")
    for a in (a for a in t["actions"] if a["hop"] is None):
        lines.append("  " + _action_line(a))
    lines.append(f"  final state: {t['final_state']}")
    lines.append(f"  reply: {t['reply']}")
    if run.get("state") and not run["state"]["match"]:
        lines.append(f"  data differs from gold in: {', '.join(run['state']['diff'])}")
    failed = [k for k, v in run["checks"].items() if v is False]
    if failed:
        lines.append(f"failed checks: {', '.join(failed)}")
    return "\n".join(lines)


def _delegation_line(d: dict[str, Any]) -> str:
    if "error" in d:
        return f"hop {d['hop']}: delegation error: {d['error']}"
    args = json.dumps(d.get("arguments") or {}, sort_keys=True, ensure_ascii=False)
    if len(args) > 160:
        args = args[:157] + "..."
    return f"hop {d['hop']} [{d.get('step')}] {d['agent']}.{d['skill']} {args} → {d['state']}"


def _action_line(a: dict[str, Any]) -> str:
    args = json.dumps(a["args"], sort_keys=True, ensure_ascii=False)
    if len(args) > 160:
        args = args[:157] + "..."
    error = f" ({a['error_code']})" if a.get("error_code") else ""
    return f"write {a['name']} {args}: {a['outcome']}{error}"
