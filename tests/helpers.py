"""Test helpers: in-process agents on real NATS and real SQLite, raw wire calls."""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import nats
from a2a.types import Message, Part, Role
from google.protobuf.json_format import MessageToDict, ParseDict
from nats.aio.client import Client as NATS

from agents.runtime.service import AgentService
from agents.runtime.settings import AgentSettings
from agents.runtime.spec import AgentSpec
from protocol.capabilities import (
    CAPABILITY_EXTENSION_URI,
    CapabilityKeys,
    Grant,
    argument_digest,
    mint,
)
from protocol.parts import TICKET_METADATA_KEY, SkillCall, TicketEnvelope, skill_call_part

TEST_CAPABILITY_KEYS = CapabilityKeys.generate()
"""The session's capability root keys (generated at run time, given to agents as settings)."""
UNLIMITED_CENTS = 10**12


def mint_test_capability(
    customer_id: str,
    ticket_id: str,
    skills: Any,
    orders: Any = (),
    payment_methods: Any = (),
    keys: CapabilityKeys = TEST_CAPABILITY_KEYS,
    steps: Any = (),
    **limits: Any,
) -> str:
    """A capability minted with the test key (no money limit unless given); ``steps``: the
    (step id, argument digest) pairs of the plan it may drive."""
    return mint(
        Grant(
            ticket_id=ticket_id,
            customer_id=customer_id,
            skills=frozenset([skills] if isinstance(skills, str) else skills),
            orders=frozenset(orders),
            payment_methods=frozenset(payment_methods),
            max_refund_cents=limits.pop("max_refund_cents", UNLIMITED_CENTS),
            max_charge_cents=limits.pop("max_charge_cents", UNLIMITED_CENTS),
            steps=frozenset(steps),
            **limits,
        ),
        keys,
    )


def attach_capability(message: Message, token: str) -> Message:
    message.metadata.update({CAPABILITY_EXTENSION_URI: {"token": token}})
    return message


def agent_settings(
    nats_url: str, var_dir: Path, prefix: str, store_url: str, **overrides: Any
) -> AgentSettings:
    return AgentSettings(
        nats_url=nats_url,
        var_dir=var_dir,
        subject_prefix=prefix,
        cards_bucket=f"cards_{prefix}",
        database_url=store_url,
        card_ttl_s=overrides.pop("card_ttl_s", 5.0),
        capability_private_key=overrides.pop(
            "capability_private_key", TEST_CAPABILITY_KEYS.private_hex
        ),
        shutdown_grace_s=overrides.pop("shutdown_grace_s", 2.0),
        **overrides,
    )


@asynccontextmanager
async def running_agent(spec: AgentSpec, settings: AgentSettings) -> AsyncIterator[AgentService]:
    async with AgentService(spec, settings) as service:
        yield service
    # The service abandoned a stuck step and finished shutting down, so the test's outcome
    # stands; the warning carries the task stacks that tell why the step hung.
    for step in service.abandoned_shutdown_steps:
        warnings.warn(
            f"{spec.name}: shutdown step {step.name} hung; tasks then:\n{step.task_stacks}",
            RuntimeWarning,
            stacklevel=1,
        )


@asynccontextmanager
async def nats_connection(url: str, as_agent: str | None = None) -> AsyncIterator[NATS]:
    """A connection; ``as_agent``: with that agent's inbox prefix, so the agents it calls see
    it as that agent (its principal: the owner of the tasks it creates, docs/a2a-edge.md)."""
    options = {"inbox_prefix": f"_INBOX.{as_agent}"} if as_agent else {}
    nc = await nats.connect(url, **options)
    try:
        yield nc
    finally:
        await nc.close()


def skill_message(
    skill: str, arguments: dict[str, Any] | None = None, *, capability: bool = True, **ticket: Any
) -> Message:
    """A structured call as triage sends it; with a ticket for a customer it carries a test
    capability for exactly this call (``capability=False``: none)."""
    message = Message(
        role=Role.ROLE_USER,
        message_id=str(uuid.uuid4()),
        parts=[skill_call_part(SkillCall(skill=skill, arguments=arguments or {}))],
    )
    if ticket:
        ParseDict(
            {TICKET_METADATA_KEY: TicketEnvelope(**ticket).model_dump(mode="json")},
            message.metadata,
        )
        if capability and ticket.get("customer_id"):
            args = arguments or {}
            step = TicketEnvelope(**ticket).step
            orders = [args["order_id"]] if isinstance(args.get("order_id"), str) else []
            methods = args.get("payment_method_id")
            token = mint_test_capability(
                ticket["customer_id"],
                ticket["ticket_id"],
                skill,
                orders,
                [methods] if isinstance(methods, str) else [],
                steps=[(step, argument_digest(skill, args))],
            )
            attach_capability(message, token)
    return message


def text_message(text: str) -> Message:
    return Message(role=Role.ROLE_USER, message_id=str(uuid.uuid4()), parts=[Part(text=text)])


def rpc(method: str, params: dict[str, Any], request_id: Any = 1) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}


def message_params(message: Message) -> dict[str, Any]:
    return {"message": MessageToDict(message)}


async def http_rpc(
    url: str, body: bytes | dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            url,
            content=data,
            headers={"content-type": "application/json", **(headers or {})},
        )
    return response.json()


async def nats_rpc(
    nc: NATS, subject: str, body: bytes | dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = await nc.request(subject, data, timeout=30, headers=headers)
    return json.loads(reply.data)
