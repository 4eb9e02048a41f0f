"""``make conformance``: the official A2A TCK against a real local mesh, and its summary.

Starts the mesh as ``make run`` does (embedded nats-server on a free port, the four agents as
processes, demo data in SQLite, tasks in JetStream) with edge auth on and one API key, runs the
TCK (its own venv, ``../shared/tools/a2a-tck`` as published) against each agent and transport
with this folder's plugins, and writes ``<out>/summary.json``. Exits 1 when a run fails the gate
(summary.py): a MUST failure not known to be a TCK false failure, or a MUST pass rate below the bar.

    .venv/bin/python -m tests.conformance.run --agents triage,orders --transports jsonrpc,http_json
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from deskmesh.embedded_nats import free_port
from deskmesh.runner import Mesh
from tests.conformance.summary import gate, load_known, summarise_run

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = Path(__file__).resolve().parent
PLUGIN_NAMES = ("tck_sut", "tck_recipes", "tck_results")
TCK_TIMEOUT_S = 900
WEBHOOK_HOST = "127.0.0.1"
PUSH_ALLOWED_HOSTS = f"{WEBHOOK_HOST},example.com"
"""Webhook hosts the conformance mesh allows: the TCK's receiver (loopback, which a deployment
allows only by listing it) and the host of the TCK's config-only tests, never contacted (their
tasks are finished before the config exists, so no event follows)."""


def tck_command(tck_python: Path, tck_dir: Path, url: str, transport: str, out: Path) -> list[str]:
    command = [str(tck_python), "-m", "pytest", str(tck_dir / "tests" / "compatibility")]
    command += [f"--sut-host={url}", f"--transport={transport}", "-q", "--tb=line", "-rfEs"]
    command += ["-p", "no:cacheprovider", f"--junitxml={out / 'junit.xml'}"]
    # the TCK's push receiver listens on every interface; the agents reach it on loopback
    command += [f"--webhook-host={WEBHOOK_HOST}"]
    command += [f"--compatibility-report={out / 'compatibility'}"]
    for plugin in PLUGIN_NAMES:
        command += ["-p", plugin]
    return command


def run_tck(
    tck_python: Path, tck_dir: Path, agent: str, url: str, transport: str, key: str, out: Path
) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    results = out / "results.json"
    results.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(PLUGINS),
            "PYTHONDONTWRITEBYTECODE": "1",  # the TCK's tree is read-only
            "DESKMESH_TCK_API_KEY": key,
            "DESKMESH_TCK_RESULTS": str(results),
        }
    )
    started = time.monotonic()
    with open(out / "pytest.log", "wb") as log:
        process = subprocess.run(
            tck_command(tck_python, tck_dir, url, transport, out),
            cwd=out,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=TCK_TIMEOUT_S,
            check=False,
        )
    run: dict[str, Any] = {
        "agent": agent,
        "transport": transport,
        "url": url,
        "seconds": round(time.monotonic() - started, 1),
        "pytest_exit": process.returncode,
        "log": str(out / "pytest.log"),
    }
    if not results.exists():
        run["error"] = f"the TCK wrote no results (exit {process.returncode}; see {run['log']})"
    return run


def print_table(runs: list[dict[str, Any]]) -> None:
    head = f"{'agent':<8} {'transport':<10} {'MUST pass/fail/skip':>20} {'MUST %':>7} "
    print(head + f"{'w/o known':>9} {'SHOULD p/f':>10} {'MAY p/f':>8}  failing MUST")
    for run in runs:
        if run.get("error"):
            print(f"{run['agent']:<8} {run['transport']:<10} {run['error']}")
            continue
        must, should, may = (run["levels"][lvl] for lvl in ("MUST", "SHOULD", "MAY"))
        failing = [
            f["requirement"] + ("" if f["known_false_failure"] else " (UNEXPLAINED)")
            for f in run["failing"]
            if f["level"] == "MUST"
        ]
        print(
            f"{run['agent']:<8} {run['transport']:<10} "
            f"{must['pass']:>10}/{must['fail']}/{must['skipped']:<5} {run['must_rate']:>7.1%} "
            f"{run['must_rate_without_known_false_failures']:>9.1%} "
            f"{should['pass']:>7}/{should['fail']:<2} {may['pass']:>5}/{may['fail']:<2}  "
            + ", ".join(failing)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", default="triage,orders")
    parser.add_argument("--transports", default="jsonrpc,http_json")
    parser.add_argument(
        "--runs",
        default="",
        help="agent/transport pairs instead of every agent on every transport, "
        "e.g. triage/jsonrpc,orders/http_json",
    )
    parser.add_argument("--tck-dir", type=Path, default=ROOT.parent / "shared/tools/a2a-tck")
    parser.add_argument("--tck-python", type=Path, default=ROOT / "var/tck-venv/bin/python")
    parser.add_argument("--out", type=Path, default=ROOT / "var/conformance")
    parser.add_argument("--bar", type=float, default=0.97)
    parser.add_argument("--parallel", type=int, default=2, help="TCK runs at once")
    parser.add_argument(
        "--gate-rate",
        choices=["must_rate", "must_rate_without_known_false_failures"],
        default="must_rate_without_known_false_failures",
    )
    args = parser.parse_args(argv)
    known = load_known()
    pairs = [tuple(p.split("/", 1)) for p in args.runs.split(",") if p] or [
        (agent, transport)
        for agent in args.agents.split(",")
        for transport in args.transports.split(",")
    ]
    tck_dir: Path = args.tck_dir.resolve()
    out: Path = args.out.resolve()
    shutil.rmtree(out / "mesh", ignore_errors=True)
    key = secrets.token_urlsafe(24)
    started = time.monotonic()
    mesh = Mesh(
        out / "mesh",
        reseed=True,
        nats_port=free_port(),
        extra_env={
            "DESKMESH_EDGE_AUTH": "api_key",
            "DESKMESH_EDGE_API_KEYS": key,
            "DESKMESH_PUSH_ALLOWED_HOSTS": PUSH_ALLOWED_HOSTS,
        },
    )
    with mesh:
        mesh_seconds = round(time.monotonic() - started, 1)

        def one_run(pair: tuple[str, str]) -> dict[str, Any]:
            agent, transport = pair
            folder = out / f"{agent}-{transport}"
            url = mesh.processes[agent].url
            run = run_tck(args.tck_python, tck_dir, agent, url, transport, key, folder)
            if "error" not in run:
                records = json.loads((folder / "results.json").read_text())
                run.update(summarise_run(records["results"], transport, known))
            return run

        # the TCK mostly waits on the agents: two runs at once halve the time on 2 cores
        with ThreadPoolExecutor(max_workers=args.parallel) as pool:
            runs = list(pool.map(one_run, pairs))
    problems = gate(runs, args.bar, args.gate_rate)
    summary = {
        "tck": str(tck_dir),
        "bar": args.bar,
        "gate_rate": args.gate_rate,
        "mesh_start_seconds": mesh_seconds,
        "total_seconds": round(time.monotonic() - started, 1),
        "runs": runs,
        "problems": problems,
        "passed": not problems,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print_table(runs)
    print(f"summary: {out / 'summary.json'} ({summary['total_seconds']} s)")
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
