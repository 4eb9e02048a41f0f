"""Where the jobs run: one in-process mesh, N worker processes, or a running mesh by URL.

With ``concurrency`` N > 1 the jobs are dealt round-robin to N ``evaluation.worker`` processes,
each with its own mesh and store on one shared NATS (the embedded one unless a URL is given),
so scenarios never share a store and the store reset stays per scenario. Python runs one core
per process, so N = the number of cores is the useful maximum.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.runtime.spec import AgentSpec
from deskmesh.embedded_nats import EmbeddedNats, free_port
from evaluation.mesh import EvalMesh, InProcessMesh, RemoteMesh
from evaluation.runner import Job, Seeds, by_seed, run_jobs

OnResult = Callable[[dict[str, Any]], None]


@dataclass(slots=True)
class RunOptions:
    """How an evaluation run is carried out (mesh, concurrency, data, folders)."""

    work_dir: Path
    tau_dir: Path | None = None
    concurrency: int = 1
    nats_url: str | None = None
    triage_url: str | None = None
    database_url: str | None = None
    specs: dict[str, AgentSpec] | None = field(default=None)
    """Replacement agent specs for the in-process mesh (tests: a deliberately broken agent)."""


async def execute(
    jobs: list[Job], options: RunOptions, on_result: OnResult
) -> list[dict[str, Any]]:
    if options.triage_url:
        if not options.database_url:
            raise ValueError("a mesh given by URL needs its database URL (--database-url)")
        return await _sequential(
            RemoteMesh(options.triage_url, options.database_url), jobs, options, on_result
        )
    if options.concurrency <= 1 or len(jobs) <= 1 or options.specs is not None:
        results = []
        for group in by_seed(jobs):  # one mesh per seed (runner.by_seed says why)
            mesh_dir = options.work_dir / "mesh" / group[0].scenario.seed
            mesh = InProcessMesh(mesh_dir, nats_url=options.nats_url, specs=options.specs)
            results += await _sequential(mesh, group, options, on_result)
        return results
    return await _parallel(jobs, options, on_result)


async def _sequential(
    mesh: InProcessMesh | RemoteMesh, jobs: list[Job], options: RunOptions, on_result: OnResult
) -> list[dict[str, Any]]:
    results = []
    async with mesh:
        m: EvalMesh = mesh
        async for result in run_jobs(m, Seeds(options.tau_dir), jobs):
            on_result(result)
            results.append(result)
    return results


async def _parallel(
    jobs: list[Job], options: RunOptions, on_result: OnResult
) -> list[dict[str, Any]]:
    with contextlib.ExitStack() as stack:
        nats_url = options.nats_url
        if nats_url is None:
            server = EmbeddedNats(options.work_dir / "nats", port=free_port())
            await asyncio.to_thread(server.start)
            stack.callback(server.stop)
            nats_url = server.url
        shards = [jobs[i :: options.concurrency] for i in range(options.concurrency)]
        shards = [s for s in shards if s]
        outcomes = await asyncio.gather(
            *(_worker(i, shard, nats_url, options, on_result) for i, shard in enumerate(shards))
        )
    return [r for results in outcomes for r in results]


async def _worker(
    index: int, jobs: list[Job], nats_url: str, options: RunOptions, on_result: OnResult
) -> list[dict[str, Any]]:
    work = options.work_dir / f"worker{index}"
    work.mkdir(parents=True, exist_ok=True)
    jobs_file = work / "jobs.jsonl"
    jobs_file.write_text(
        "".join(
            json.dumps({"scenario": j.scenario.to_json(), "trial": j.trial}) + "\n" for j in jobs
        )
    )
    command = [sys.executable, "-m", "evaluation.worker", "--jobs", str(jobs_file)]
    command += ["--nats", nats_url, "--work", str(work / "mesh")]
    if options.tau_dir is not None:
        command += ["--tau-data", str(options.tau_dir)]
    log_path = work / "worker.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=log, limit=64 * 1024 * 1024
        )
        results = []
        try:
            assert process.stdout is not None
            async for line in process.stdout:
                result = json.loads(line)["result"]
                on_result(result)
                results.append(result)
            code = await process.wait()
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
    if code != 0 or len(results) != len(jobs):
        tail = log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"evaluation worker {index} exited with {code}; {log_path}:\n{tail}")
    return results
