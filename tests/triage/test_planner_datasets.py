"""Quality bars of the offline planner, measured on public data (skipped when absent).

Pure functions: no mesh, no network. τ-bench train (plan vs gold writes), Bitext test routing,
CLINC150 out-of-scope, Bitext multi-intent pairs. Test splits are only measured here.
"""

from __future__ import annotations

import collections
import json
import random

import pytest

from agents.triage.customer import customer_from_json
from tests.triage.support import (
    CLINC,
    bitext_agent,
    bitext_test,
    gold_key,
    need,
    planner,
    tau_data,
    tau_tasks,
)

pytestmark = pytest.mark.dataset


def test_tau_train_plans_match_gold_writes() -> None:
    data = tau_data()
    names = sorted({p["name"] for p in data["products"].values()})
    offline = planner(names)
    exact, extra, causes = 0, 0, collections.Counter()
    tasks = tau_tasks()
    for task in tasks:
        plan = offline.plan([task["instruction"]], customer_from_json(data, task["user_id"]))
        got = [gold_key(s.skill, dict(s.arguments)) for s in plan.writes]
        want = [gold_key(a["name"], a["kwargs"]) for a in task["actions"]]
        if got == want:
            exact += 1
            continue
        if any(g not in want for g in got):
            extra += 1
        causes["asked a question" if plan.question else "missing or different writes"] += 1
    rate = exact / len(tasks)
    print(
        f"\nτ-bench train planner: {exact}/{len(tasks)} = {rate:.1%} exact; "
        f"tasks with a write not in gold: {extra}; failures: {dict(causes)}"
    )
    assert rate >= 0.95
    assert extra == 0


def test_bitext_test_routing() -> None:
    rows = bitext_test()
    offline = planner()
    right = 0
    for row in rows:
        plan = offline.plan([row["utterance"]], None)
        want = bitext_agent(row)
        got = set(plan.targets)
        right += (want in got) if want else not got
    rate = right / len(rows)
    print(f"\nBitext test routing: {right}/{len(rows)} = {rate:.1%}")
    assert rate >= 0.92


def test_clinc_out_of_scope_triggers_no_write() -> None:
    oos = json.loads(need(CLINC).read_text())["oos_test"]
    offline = planner()
    data = tau_data() if need(CLINC) else None
    # A real customer with orders of every kind, so a write would have something to act on.
    customer = customer_from_json(data, "omar_anderson_3203") if data else None
    writes = 0
    for text, _ in oos:
        plan = offline.plan([text], customer)
        writes += bool(plan.writes)
    rate = writes / len(oos)
    print(f"\nCLINC150 out-of-scope test: {writes}/{len(oos)} = {rate:.1%} planned a write")
    assert rate <= 0.05


def test_bitext_pairs_reach_both_specialists() -> None:
    rows = [r for r in bitext_test() if bitext_agent(r)]
    rng = random.Random(20240611)
    offline = planner()
    pairs = 0
    both = 0
    while pairs < 500:
        a, b = rng.sample(rows, 2)
        if bitext_agent(a) == bitext_agent(b):
            continue
        pairs += 1
        ticket = f"{a['utterance'].rstrip(' ?.!')}. {b['utterance']}"
        targets = set(offline.plan([ticket], None).targets)
        both += {bitext_agent(a), bitext_agent(b)} <= targets
    rate = both / pairs
    print(f"\nBitext multi-intent pairs: {both}/{pairs} = {rate:.1%} reached both specialists")
    assert rate >= 0.85
