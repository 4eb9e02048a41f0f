"""Screening and plan-check overhead per ticket, side by side with planning itself.

    .venv/bin/python bench/screening.py [--repeat 3]

Over the τ-bench v1 train instructions (each for its user): the time to screen the ticket, to
check its plan (router.policy), and to plan it (offline planner), after one warm-up pass; prints
p50/p99/max in milliseconds and the guardrails' share of planning time. Also screens the
injection corpora (when ../shared/datasets has them) to show the cost on long attack texts.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from agents.triage.customer import customer_from_json  # noqa: E402
from agents.triage.planner import OfflinePlanner  # noqa: E402
from agents.triage.screening import Screener  # noqa: E402
from agents.triage.understanding import Understander  # noqa: E402
from domain import HANDOFF  # noqa: E402
from router.policy import check_plan  # noqa: E402
from store.seeds import DATASETS_ENV, datasets_dir, load_tau, tau_retail_dir  # noqa: E402
from tests.triage.support import catalog  # noqa: E402


def _stats(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"p50 {statistics.median(ms):7.3f}  p99 {p99:7.3f}  max {ms[-1]:7.3f}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = tau_retail_dir(datasets=datasets_dir(os.environ.get(DATASETS_ENV)))
    if not root.exists():
        print(f"τ-bench data not found at {root}")
        return 1
    data = load_tau(root)
    tasks = json.loads((root / "tasks_train.json").read_text())
    products = {p["name"]: pid for pid, p in data["products"].items()}
    planner = OfflinePlanner(Understander(catalog(), sorted(products), products))
    screener = Screener()
    handoff = catalog().agent_of(HANDOFF)
    work = [(t["instruction"], customer_from_json(data, t["user_id"])) for t in tasks]
    plans = [planner.plan([text], customer) for text, customer in work]  # warm-up
    screen_s, policy_s, plan_s = [], [], []
    gc.disable()
    for _ in range(args.repeat):
        for (text, customer), plan in zip(work, plans, strict=True):
            t0 = time.perf_counter()
            screener.screen_turns([text], customer.user_id)
            t1 = time.perf_counter()
            check_plan(plan, customer, handoff_agent=handoff)
            t2 = time.perf_counter()
            planner.plan([text], customer)
            t3 = time.perf_counter()
            screen_s.append(t1 - t0)
            policy_s.append(t2 - t1)
            plan_s.append(t3 - t2)
    gc.enable()
    guard = [a + b for a, b in zip(screen_s, policy_s, strict=True)]
    print(f"τ-bench train tickets: {len(work)} × {args.repeat}")
    print(f"screening            {_stats(screen_s)}")
    print(f"plan checks          {_stats(policy_s)}")
    print(f"screening + checks   {_stats(guard)}")
    print(f"offline planning     {_stats(plan_s)}")
    ratio = statistics.median(guard) / statistics.median(plan_s)
    print(f"guardrails / planning (median ratio): {ratio:.2%}")
    try:
        from tests.guardrails import corpora
        from tests.guardrails.corpora import LEGIT
    except ImportError:
        return 0
    if corpora.available():
        texts = [t.text for t in corpora.tickets(LEGIT)]
        samples = []
        for text in texts:
            t0 = time.perf_counter()
            screener.screen(text)
            samples.append(time.perf_counter() - t0)
        print(f"attack tickets ({len(texts)}, mean {statistics.mean(map(len, texts)):.0f} chars)")
        print(f"screening            {_stats(samples)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
