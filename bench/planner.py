"""Offline planning latency per ticket over the τ-bench v1 train and test instructions.

    .venv/bin/python bench/planner.py [--repeat 3]

Plans every train instruction, then every test instruction, for its user (pure function, no
mesh) after a warm-up pass over the dev split's tickets, and prints p50/p99/max in milliseconds
per split, and the exact-match rate against the gold writes for train. The test split's tickets
are longer (written for a dialogue with a simulated user): their latency is measured, never
tuned on, and their exact-match rate is not a target. Each timed plan gets a freshly built
customer view, as triage loads one per turn.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from agents.triage.customer import customer_from_json  # noqa: E402
from agents.triage.planner import OfflinePlanner  # noqa: E402
from agents.triage.understanding import Understander  # noqa: E402
from store.seeds import DATASETS_ENV, datasets_dir, load_tau, tau_retail_dir  # noqa: E402
from tests.triage.support import catalog, gold_key  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="cpu: this process's CPU time per plan (robust on a shared, overloaded machine)",
    )
    args = parser.parse_args()
    root = tau_retail_dir(datasets=datasets_dir(os.environ.get(DATASETS_ENV)))
    if not root.exists():
        print(f"τ-bench data not found at {root}")
        return 1
    data = load_tau(root)
    tasks = json.loads((root / "tasks_train.json").read_text())
    names = sorted({p["name"] for p in data["products"].values()})
    planner = OfflinePlanner(Understander(catalog(), names))
    # Warm-up on other tickets (the dev split): compiled regexes and the vocabulary caches are
    # warm, as in a triage that has served tickets, but nothing is cached for a timed ticket.
    warmup = json.loads((root / "tasks_dev.json").read_text())
    for task in warmup:
        planner.plan([task["instruction"]], customer_from_json(data, task["user_id"]))
    gc.collect()
    gc.freeze()
    for split, split_tasks in (
        ("train", tasks),
        ("test", json.loads((root / "tasks_test.json").read_text())),
    ):
        clock = time.perf_counter if args.clock == "wall" else time.process_time
        samples, exact = _timed(planner, data, split_tasks, args.repeat, clock)
        samples.sort()
        p50 = statistics.median(samples)
        p99 = samples[int(len(samples) * 0.99) - 1]
        print(
            f"offline planner over {len(split_tasks)} τ-bench {split} tickets × {args.repeat} "
            f"({args.clock} clock): "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {samples[-1]:.2f} ms; "
            f"exact plans {exact / len(samples):.1%}"
        )
    return 0


def _timed(
    planner: OfflinePlanner,
    data: dict[str, Any],
    tasks: list[dict[str, Any]],
    repeat: int,
    clock: Callable[[], float],
) -> tuple[list[float], int]:
    samples: list[float] = []
    exact = 0
    for _ in range(repeat):
        for task in tasks:
            # a fresh customer view each time, as triage loads one per ticket turn (untimed):
            # nothing the view memoises carries over from an earlier plan
            customer = customer_from_json(data, task["user_id"])
            start = clock()
            plan = planner.plan([task["instruction"]], customer)
            samples.append((clock() - start) * 1000)
            got = [gold_key(s.skill, dict(s.arguments)) for s in plan.writes]
            exact += got == [gold_key(a["name"], a["kwargs"]) for a in task["actions"]]
    return samples, exact


if __name__ == "__main__":
    raise SystemExit(main())
