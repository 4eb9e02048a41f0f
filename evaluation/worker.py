"""``python -m evaluation.worker``: one evaluation worker with its own in-process mesh.

Reads its jobs (one JSON object per line: {"scenario": …, "trial": n}) from a file, runs them
on a mesh of its own per seed (own store, own subject prefix) on the given NATS, and prints one
result per line on stdout as it goes. Started by ``evaluation.pool`` for ``--concurrency`` > 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

from evaluation.mesh import InProcessMesh
from evaluation.runner import Job, Seeds, by_seed, run_jobs
from evaluation.scenario import parse_scenario


def read_jobs(path: Path) -> list[Job]:
    jobs = []
    for line in path.read_text().splitlines():
        raw = json.loads(line)
        scenario = parse_scenario(raw["scenario"], suite=raw["scenario"]["suite"])
        jobs.append(Job(scenario, int(raw["trial"])))
    return jobs


async def work(jobs: list[Job], nats_url: str, work_dir: Path, tau_dir: Path | None) -> None:
    seeds = Seeds(tau_dir)
    for group in by_seed(jobs):  # one mesh per seed (runner.by_seed says why)
        mesh_dir = work_dir / group[0].scenario.seed
        async with InProcessMesh(mesh_dir, nats_url=nats_url) as mesh:
            async for result in run_jobs(mesh, seeds, group):
                sys.stdout.write(json.dumps({"result": result}, sort_keys=True) + "\n")
                sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m evaluation.worker")
    parser.add_argument("--jobs", type=Path, required=True)
    parser.add_argument("--nats", required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--tau-data", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(work(read_jobs(args.jobs), args.nats, args.work, args.tau_data))


if __name__ == "__main__":
    main()
