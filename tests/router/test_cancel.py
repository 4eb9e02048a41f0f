"""CancelTask on a triage ticket cancels its in-flight delegations (A2A CancelTask over NATS).

A test-only "holder" agent runs on the mesh next to the triage: its one skill holds the task
until it is cancelled. The triage plans through the SCRIPTED LLM endpoint (tests/triage/
scripted_llm.py), whose hand-written plan delegates to the holder. Cancelling the ticket must
end the triage task CANCELED and the holder's task CANCELED through the holder's own cancel().
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import httpx
import pytest
from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import (
    CancelTaskRequest,
    GetTaskRequest,
    SendMessageConfiguration,
    SendMessageRequest,
    TaskState,
)

from agents.billing.agent import SPEC as BILLING
from agents.escalation.agent import SPEC as ESCALATION
from agents.orders.agent import SPEC as ORDERS
from agents.runtime.spec import AgentSpec
from agents.triage.agent import build_spec
from agents.triage.settings import TriageSettings
from deskmesh.ask import ticket_message
from protocol.cards import CardSpec, SkillSpec
from protocol.client import create_client_factory
from store import Store, generate_demo
from tests.helpers import agent_settings, nats_connection, running_agent
from tests.triage.scripted_llm import content, scripted_llm


@dataclass
class Holder:
    """Shared with the in-process holder agent: which task it holds, whether it was cancelled."""

    started: asyncio.Event = field(default_factory=asyncio.Event)
    cancelled: asyncio.Event = field(default_factory=asyncio.Event)
    task_id: str = ""
    context_id: str = ""


class HoldingExecutor(AgentExecutor):
    def __init__(self, holder: Holder) -> None:
        self._holder = holder

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        await event_queue.enqueue_event(new_task_from_user_message(context.message))
        assert context.task_id is not None and context.context_id is not None
        await TaskUpdater(event_queue, context.task_id, context.context_id).start_work()
        self._holder.task_id, self._holder.context_id = context.task_id, context.context_id
        self._holder.started.set()
        await asyncio.Event().wait()  # held until the task is cancelled

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        self._holder.cancelled.set()
        assert context.task_id is not None
        await TaskUpdater(event_queue, context.task_id, self._holder.context_id).cancel()


def holder_spec(holder: Holder) -> AgentSpec:
    return AgentSpec(
        name="holder",
        card=CardSpec(
            name="holder",
            description="test agent: holds a task until it is cancelled",
            version="0",
            skills=(SkillSpec("hold_ticket", "Hold", "Holds the task.", ("read", "hold")),),
        ),
        create_executor=lambda _: HoldingExecutor(holder),
    )


@pytest.fixture
async def mesh(nats_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict]:
    root = tmp_path_factory.mktemp("cancel")
    url = f"sqlite+aiosqlite:///{root / 'store.db'}"
    async with Store(url) as store:
        await store.reset(generate_demo())
    holder = Holder()
    prefix = f"cx{uuid.uuid4().hex[:8]}"
    async with AsyncExitStack() as stack:
        llm = await stack.enter_async_context(scripted_llm())
        triage = build_spec(
            TriageSettings(planner="llm", openai_base_url=llm.base_url, openai_api_key="scripted")
        )
        services = {}
        for spec in (ORDERS, BILLING, ESCALATION, holder_spec(holder), triage):
            settings = agent_settings(nats_url, root / spec.name, prefix, url)
            services[spec.name] = await stack.enter_async_context(running_agent(spec, settings))
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=60))
        # as triage: the holder's task belongs to triage, which delegated it
        nc = await stack.enter_async_context(nats_connection(nats_url, as_agent="triage"))
        factory = create_client_factory(nc, httpx_client=http, streaming=False, timeout_s=60)
        yield {
            "triage": factory.create(services["triage"].card),
            "holder": factory.create(services["holder"].card),
            "state": holder,
            "llm": llm,
        }
        llm.verify()


async def test_cancelling_a_ticket_cancels_its_in_flight_delegation(mesh: dict) -> None:
    triage, holder_client, holder, llm = mesh["triage"], mesh["holder"], mesh["state"], mesh["llm"]
    plan = {
        "steps": [
            {
                "id": "s1",
                "agent": "holder",
                "skill": "hold_ticket",
                "arguments": [],
                "depends_on": [],
            },
        ],
        "question": None,
        "notes": [],
    }
    llm.expect(content(json.dumps(plan)))
    request = SendMessageRequest(
        message=ticket_message("hold on", "liam_chen_1002", None),
        configuration=SendMessageConfiguration(return_immediately=True),
    )
    (first,) = [r async for r in triage.send_message(request)]
    ticket_id = first.task.id
    await asyncio.wait_for(holder.started.wait(), 30)

    cancelled = await triage.cancel_task(CancelTaskRequest(id=ticket_id))
    assert cancelled.status.state == TaskState.TASK_STATE_CANCELED
    assert holder.cancelled.is_set()  # the holder's cancel() ran before the ticket's ended
    held = await holder_client.get_task(GetTaskRequest(id=holder.task_id))
    assert held.status.state == TaskState.TASK_STATE_CANCELED
    ticket = await triage.get_task(GetTaskRequest(id=ticket_id))
    assert ticket.status.state == TaskState.TASK_STATE_CANCELED
    assert not any(a.name == "reply" for a in ticket.artifacts)
