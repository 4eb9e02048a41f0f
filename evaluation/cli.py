"""``deskmesh eval``: run scenario files and public suites, report, explain, gate.

Only the argument parser (evaluation/arguments.py) is imported with ``deskmesh``'s CLI; this
module and the mesh machinery are imported when an evaluation actually runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluation.arguments import DEFAULT_REPORT
from evaluation.gate import compare, make_baseline, read_baseline, write_baseline
from evaluation.progress import Progress
from evaluation.public import DatasetMissing, is_public, load_public
from evaluation.report import (
    build_report,
    explain,
    find_runs,
    read_report,
    summary_table,
    write_report,
)
from evaluation.scenario import Loaded, Scenario, load_file

if TYPE_CHECKING:
    from evaluation.runner import Job


def run(args: argparse.Namespace) -> int:
    out = args.out or DEFAULT_REPORT
    if not args.files:
        if args.explain:
            return _explain(read_report(out), args.explain)
        print("deskmesh eval: give scenario files or public:<suite> names", file=sys.stderr)
        return 2
    loaded, skipped = _load(args)
    for error in loaded.errors:
        print(f"skipped line {error}", file=sys.stderr)
    if not loaded.scenarios:
        print("no scenarios to run", file=sys.stderr)
        return 2
    from evaluation.runner import Job

    jobs = [Job(s, t) for s in loaded.scenarios for t in range(1, max(args.trials, 1) + 1)]
    started = time.perf_counter()
    results = asyncio.run(_run_jobs(args, jobs))
    report = build_report(
        results,
        trials=max(args.trials, 1),
        scenarios={s.key: s.to_json() for s in loaded.scenarios},
        load_errors=[str(e) for e in loaded.errors],
        skipped=skipped,
        timing={"wall_s": round(time.perf_counter() - started, 2), "jobs": len(jobs)},
    )
    write_report(report, out)
    print(summary_table(report, by_tag=args.by_tag))
    print(f"\nreport: {out}  ({report['timing']['wall_s']} s)")
    if args.write_baseline:
        write_baseline(make_baseline(report, _allowances(args.write_baseline)), args.write_baseline)
        print(f"baseline written: {args.write_baseline}")
    if args.explain:
        _explain(report, args.explain)
    if args.baseline:
        require_data = args.require_data or os.environ.get("CI", "").lower() == "true"
        result = compare(read_baseline(args.baseline), report, require_data=require_data)
        print("\n" + result.render())
        return 0 if result.ok else 1
    return 0


def _allowances(path: Path) -> dict[str, Any] | None:
    """Keep the allowances of an existing baseline when it is rewritten."""
    if path.exists():
        return read_baseline(path).get("allowances")
    return None


def _load(args: argparse.Namespace) -> tuple[Loaded, list[str]]:
    loaded, skipped = Loaded(), []
    datasets = _datasets()
    for name in args.files:
        try:
            part = load_public(name, datasets) if is_public(name) else load_file(Path(name))
        except DatasetMissing as e:
            skipped.append(f"{name.removeprefix('public:')}: {e}")
            continue
        except OSError as e:
            raise SystemExit(f"deskmesh eval: cannot read {name}: {e}") from e
        scenarios: list[Scenario] = part.scenarios[: args.limit] if args.limit else part.scenarios
        loaded.scenarios += scenarios
        loaded.errors += part.errors
    if any(s.seed == "tau-retail" for s in loaded.scenarios) and not _tau_dir(args).exists():
        keep = [s for s in loaded.scenarios if s.seed != "tau-retail"]
        dropped = {s.suite for s in loaded.scenarios} - {s.suite for s in keep}
        skipped += [f"{suite}: τ-bench retail data absent" for suite in sorted(dropped)]
        loaded.scenarios = keep
    return loaded, skipped


def _tau_dir(args: argparse.Namespace) -> Path:
    if args.tau_data:
        return Path(args.tau_data)
    return _datasets() / "tau-bench-retail"


def _datasets() -> Path:
    from store.seeds import DATASETS_ENV, datasets_dir

    return datasets_dir(os.environ.get(DATASETS_ENV))


async def _run_jobs(args: argparse.Namespace, jobs: list[Job]) -> list[dict[str, Any]]:
    from evaluation.pool import RunOptions, execute

    progress = Progress(len(jobs), enabled=not args.quiet)
    with tempfile.TemporaryDirectory(prefix="deskmesh-eval-") as tmp:
        options = RunOptions(
            work_dir=Path(tmp),
            tau_dir=_tau_dir(args),
            concurrency=max(args.concurrency, 1),
            nats_url=args.nats_url,
            triage_url=args.url,
            database_url=args.database_url or os.environ.get("DESKMESH_DATABASE_URL"),
        )
        try:
            return await execute(jobs, options, lambda r: progress.advance(passed=r["passed"]))
        finally:
            progress.close()


def _explain(report: dict[str, Any], wanted: str) -> int:
    runs = find_runs(report, wanted)
    if not runs:
        print(f"no run named {wanted!r} in the report", file=sys.stderr)
        return 1
    keys = sorted({r["key"] for r in runs})
    if len(keys) > 1:
        print(f"{wanted!r} matches several scenarios: {', '.join(keys[:20])}", file=sys.stderr)
        return 1
    for run_ in runs:
        print(explain(run_, report.get("scenarios", {}).get(run_["key"])))
        print()
    return 0
