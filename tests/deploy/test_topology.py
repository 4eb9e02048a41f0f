"""The compose mesh's agent services as separate processes: a ticket, its trace, metrics, logs."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
from a2a.types import TaskState

from deskmesh.trace import build_trees, read_spans, trace_ids_for, trace_report
from tests.deploy.conftest import Topology
from tests.deploy.mesh_client import (
    SPECIALISTS,
    delegations,
    send_ticket,
    triage_client,
    wait_for_directory,
)

CUSTOMER = "ava_moreno_1001"
MULTI_INTENT = (
    "Where is my order #W1000001? And which cards do I have on file? "
    "Also I want to talk to a human."
)


async def _multi_intent_ticket(topology: Topology) -> tuple[str, list[dict]]:
    wait_for_directory(topology.triage_url, ("triage", *SPECIALISTS))
    async with httpx.AsyncClient(timeout=60) as http:
        client = await triage_client(http, topology.triage_url)
        task = await send_ticket(client, MULTI_INTENT, CUSTOMER)
    assert task.status.state == TaskState.TASK_STATE_COMPLETED
    return task.id, delegations(task)


def _spans_of(topology: Topology, task_id: str, services: set[str], timeout_s: float = 10):
    """The spans of the ticket's trace once every service's root-to-leaf spans are written.

    The triage's HTTP SERVER span ends just after the response leaves, so it may reach the file a
    moment after the client has the reply: wait for it (bounded), never for a fixed time.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        spans = read_spans(topology.var_dir)
        traces = trace_ids_for(task_id, spans)
        if len(traces) == 1:
            mine = [s for s in spans if s["trace_id"] == traces[0]]
            roots = build_trees(traces[0], mine)
            # one root that is a true root: a span whose parent is still unwritten is a root
            # of the partial tree too (the triage's task span before its HTTP SERVER span)
            whole = len(roots) == 1 and not roots[0].record.get("parent_id")
            if {s["service"] for s in mine} >= services and whole:
                return mine, roots
        assert time.monotonic() < deadline, f"trace of {task_id}: {len(traces)} traces"
        time.sleep(0.05)


async def test_multi_intent_ticket_is_one_trace_across_every_hop(topology: Topology) -> None:
    task_id, records = await _multi_intent_ticket(topology)
    assert {(d["agent"], d["skill"]) for d in records} >= {
        ("orders", "get_order_details"),
        ("billing", "get_payment_methods"),
        ("escalation", "transfer_to_human_agents"),
    }
    assert all(d["ok"] for d in records), [
        (d["agent"], d.get("state"), d.get("data")) for d in records
    ]
    spans, roots = _spans_of(topology, task_id, {"triage", *SPECIALISTS})
    (root,) = roots
    assert root.record["service"] == "triage" and root.record["kind"] == "server"
    nodes = list(root.walk())
    by_kind = {(n.record["service"], n.record["kind"]) for n in nodes}
    for agent in SPECIALISTS:
        # triage called it (CLIENT), it served the call on NATS (SERVER) and ran a task
        assert ("triage", "client") in by_kind
        assert (agent, "server") in by_kind
        assert (agent, "internal") in by_kind
    for record in records:
        task_spans = [n for n in nodes if n.attributes.get("a2a.task_id") == record["task_id"]]
        kinds = {n.record["kind"] for n in task_spans}
        assert {"client", "server", "internal"} <= kinds, (record["agent"], kinds)
        internal = next(n for n in task_spans if n.record["kind"] == "internal")
        assert internal.attributes["deskmesh.ticket_id"] == task_id
        assert internal.attributes["a2a.state"] == "completed"
        assert internal.attributes["a2a.context_id"]
        server = next(n for n in task_spans if n.record["kind"] == "server")
        assert server.attributes["a2a.binding"] == "nats"
    triage_task = next(n for n in nodes if n.attributes.get("a2a.task_id") == task_id)
    assert triage_task.record["service"] == "triage"
    # every span is inside its parent's time window
    for node in nodes:
        for child in node.children:
            assert node.start_ns <= child.start_ns <= int(child.record["end_ns"])

    report = trace_report(task_id, topology.var_dir)
    assert report[0].startswith(f"trace {spans[0]['trace_id']}  ticket {task_id}")
    text = "\n".join(report)
    for agent in SPECIALISTS:
        assert f"triage → {agent}  SendMessage" in text
        assert f"{agent}  nats SendMessage" in text
    cli = subprocess.run(
        [sys.executable, "-m", "deskmesh.cli", "--var", str(topology.var_dir), "trace", task_id],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert cli.stdout.strip() == text
    print(text)


async def test_every_agent_serves_prometheus_metrics(topology: Topology) -> None:
    await _multi_intent_ticket(topology)
    with httpx.Client(timeout=5) as http:
        pages = {name: http.get(f"{a.url}/metrics") for name, a in topology.agents.items()}
    for name, page in pages.items():
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/plain")
        text = page.text
        assert f'deskmesh_tasks_in_flight{{agent="{name}"}} 0.0' in text
        assert f'deskmesh_nats_reconnects_total{{agent="{name}"}}' in text
        assert "# TYPE deskmesh_guardrail_trips_total counter" in text
        assert "# TYPE deskmesh_clarifications_total counter" in text
    triage = pages["triage"].text
    assert 'deskmesh_tasks_total{agent="triage",outcome="completed",skill="resolve_ticket"}' in (
        triage
    )
    assert 'deskmesh_request_seconds_count{agent="triage",binding="jsonrpc",method="POST"}' in (
        triage
    )
    assert (
        'deskmesh_tasks_total{agent="escalation",outcome="completed",'
        'skill="transfer_to_human_agents"}' in pages["escalation"].text
    )
    assert (
        'deskmesh_request_seconds_count{agent="orders",binding="nats",method="SendMessage"}'
        in pages["orders"].text
    )


async def test_clarification_is_counted(topology: Topology) -> None:
    wait_for_directory(topology.triage_url, ("triage", *SPECIALISTS))
    async with httpx.AsyncClient(timeout=60) as http:
        client = await triage_client(http, topology.triage_url)
        task = await send_ticket(client, "where is my order?", CUSTOMER)
        assert task.status.state == TaskState.TASK_STATE_INPUT_REQUIRED
        page = await http.get(f"{topology.triage_url}/metrics")
    assert 'deskmesh_clarifications_total{agent="triage",skill="resolve_ticket"}' in page.text


async def test_logs_are_json_lines_with_ids(topology: Topology) -> None:
    task_id, records = await _multi_intent_ticket(topology)
    escalation_task = next(d["task_id"] for d in records if d["agent"] == "escalation")

    def entries(agent: str) -> list[dict]:
        lines = topology.agents[agent].log_path.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]  # every line is JSON

    deadline = time.monotonic() + 10
    while True:
        logged = [e for e in entries("escalation") if e.get("task_id") == escalation_task]
        if logged or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    (entry,) = logged
    assert entry["ticket_id"] == task_id
    assert entry["context_id"] and len(entry["trace_id"]) == 32
    assert entry["agent"] == "escalation" and entry["level"] == "INFO"
    for agent in topology.agents:
        assert entries(agent), agent
