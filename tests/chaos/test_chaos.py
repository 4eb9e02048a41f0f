"""Chaos on the real mesh (issue 14): agent processes, a real nats-server, τ-bench cancel
tickets, a fault injected mid-run, then every ticket's outcome against the store, the store
against the replay of its own action log, and against gold.

``DESKMESH_CHAOS_TICKETS`` tickets per scenario (default 40); ``bench/chaos.py --n 300`` is the
measured run of docs/faults.md.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.chaos.harness import FaultTable, tau_data
from tests.chaos.scenarios import huge_ticket, nats_restart, replica_kill, specialist_restart
from tests.conftest import DATASETS

pytestmark = [pytest.mark.dataset, pytest.mark.timeout(900)]

TICKETS = int(os.environ.get("DESKMESH_CHAOS_TICKETS", "40"))
CONCURRENCY = 8


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    if not (DATASETS / "tau-bench-retail" / "v1" / "users.json").is_file():
        pytest.skip("τ-bench retail data not found")
    return tau_data()


def _no_silent_faults(table: FaultTable) -> None:
    print(f"\n{table.row()}")
    assert table.silently_not_done == 0, table.row()
    assert table.failed_but_done == 0, table.row()
    assert table.duplicates == 0, table.row()
    assert table.no_answer == 0, table.row()
    assert table.store_matches_log and table.store_matches_gold, table.row()


async def test_nats_restart_mid_run(data: dict[str, Any]) -> None:
    outcome = await nats_restart(data, TICKETS, CONCURRENCY)
    _no_silent_faults(outcome.table)
    assert outcome.table.done_share >= 0.95, outcome.table.row()


async def test_the_only_specialist_instance_killed_and_restarted(data: dict[str, Any]) -> None:
    outcome = await specialist_restart(data, TICKETS, CONCURRENCY)
    _no_silent_faults(outcome.table)
    assert outcome.table.done_share >= 0.95, outcome.table.row()


async def test_one_of_two_instances_killed(data: dict[str, Any]) -> None:
    outcome = await replica_kill(data, TICKETS, CONCURRENCY)
    _no_silent_faults(outcome.table)
    assert outcome.table.done_share == 1.0, outcome.table.row()


async def test_a_huge_ticket_is_refused_and_the_others_are_served(data: dict[str, Any]) -> None:
    outcome = await huge_ticket(data, TICKETS, CONCURRENCY)
    _no_silent_faults(outcome.table)
    assert outcome.notes["big_state"] == "rejected", outcome.notes
    assert outcome.notes["baseline_states"] == {"completed": TICKETS}
    assert outcome.table.completed == TICKETS  # every ordinary ticket, with its write
    print(outcome.notes)
