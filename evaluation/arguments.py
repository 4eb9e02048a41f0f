"""The arguments of ``deskmesh eval``: light to import, as ``deskmesh --help`` builds them."""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluation.public import suite_names

DEFAULT_REPORT = Path("var/eval/report.json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="scenario files (JSONL), or public suites: "
        + ", ".join(f"public:{n}" for n in suite_names()),
    )
    parser.add_argument("--tau-data", type=Path, help="τ-bench retail folder (default: datasets)")
    parser.add_argument("--trials", type=int, default=1, help="runs per scenario (pass^k)")
    parser.add_argument("--concurrency", type=int, default=1, help="worker processes")
    parser.add_argument("--out", type=Path, help=f"report path (default {DEFAULT_REPORT})")
    parser.add_argument("--baseline", type=Path, help="gate the run against this baseline")
    parser.add_argument("--write-baseline", type=Path, metavar="PATH", help="write a baseline")
    parser.add_argument("--explain", metavar="ID", help="explain a run (from --out's report)")
    parser.add_argument("--url", help="triage URL of a running mesh (default: in-process)")
    parser.add_argument("--database-url", help="store of the mesh given by --url")
    parser.add_argument("--nats-url", help="NATS for the in-process mesh (default: embedded)")
    parser.add_argument("--limit", type=int, help="run only the first N scenarios of each suite")
    parser.add_argument("--by-tag", action="store_true", help="also print metrics per tag")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--require-data",
        action="store_true",
        help="with --baseline: a suite skipped for absent data fails the gate (on when CI=true)",
    )
