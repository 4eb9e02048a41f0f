"""Paraphrases of τ-bench v1 train tasks written for these tests (train is the split the rules
may be tuned on), each against the task's gold writes: several requests in one ticket, orders
named as "my other order, W…", the payment said once for everything, options a ticket says an
item need not have, and the change asked for again in the next sentence ("Could you exchange
it please?"). Skipped when the dataset is absent."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from agents.triage.customer import customer_from_json
from tests.triage.support import gold_key, tau_data, tau_planner, tau_tasks

pytestmark = pytest.mark.dataset

READS = frozenset(
    {
        "find_user_id_by_name_zip",
        "find_user_id_by_email",
        "get_order_details",
        "get_product_details",
        "get_user_details",
        "list_all_product_types",
        "calculate",
    }
)
CASES = [
    (row["task"], row["turns"][0])
    for row in map(
        json.loads, (Path(__file__).parent / "train_paraphrases.jsonl").read_text().splitlines()
    )
]
"""(task index, ticket) pairs, one JSON object per line of ``train_paraphrases.jsonl``."""


@lru_cache(maxsize=1)
def tau_train_tasks() -> list[dict[str, Any]]:
    return tau_tasks()


@pytest.mark.parametrize(("task_index", "ticket"), CASES)
def test_a_paraphrase_plans_the_gold_writes(task_index: int, ticket: str) -> None:
    task = tau_train_tasks()[task_index]
    plan = tau_planner().plan([ticket], customer_from_json(tau_data(), task["user_id"]))
    got = [gold_key(s.skill, dict(s.arguments)) for s in plan.writes]
    want = [gold_key(a["name"], a["kwargs"]) for a in task["actions"] if a["name"] not in READS]
    assert plan.question is None, plan.question
    assert got == want, json.dumps([s.arguments for s in plan.writes], default=str)
