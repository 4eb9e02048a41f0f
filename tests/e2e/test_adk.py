"""Google ADK's RemoteA2aAgent (google-adk 2.13, its own venv: ``make interop-clients``) loads
triage from its card URL, passes ADK's same-origin check on the card, and completes a ticket
whose first turn triage answers with a question. The mesh: four agent processes on real NATS."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest

from deskmesh.runner import Mesh

ROOT = Path(__file__).resolve().parents[2]
ADK_PYTHON = Path(os.environ.get("DESKMESH_ADK_PYTHON", ROOT / ".venv-adk/bin/python"))
SCRIPT = ROOT / "tests/interop/adk_client.py"
CUSTOMER = "ava_moreno_1001"


async def _adk(card_url: str, *turns: str) -> list[dict[str, Any]]:
    if not ADK_PYTHON.exists():
        pytest.fail(f"{ADK_PYTHON} is missing: run `make interop-clients`")
    process = await asyncio.create_subprocess_exec(
        str(ADK_PYTHON),
        str(SCRIPT),
        card_url,
        CUSTOMER,
        *turns,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 180)
    assert process.returncode == 0, err.decode()[-3000:]
    return json.loads(out)["turns"]


async def test_adk_loads_triage_from_its_card_url_and_completes_a_clarified_ticket(
    mesh: Mesh,
) -> None:
    card_url = mesh.triage_url.rstrip("/") + "/.well-known/agent-card.json"
    first, second = await _adk(card_url, "where is my order?", "the sunglasses one, #W1000002")
    assert first["state"] == "TASK_STATE_INPUT_REQUIRED", first
    # the question rides in the task's status message, which ADK records with the response
    question = first["status_text"]
    assert all(order in question for order in ("#W1000001", "#W1000002", "#W1000003")), first
    assert second["task_id"] == first["task_id"]  # the answer continued the same task
    assert second["state"] == "TASK_STATE_COMPLETED"
    assert "#W1000002" in second["text"] and "delivered" in second["text"]
