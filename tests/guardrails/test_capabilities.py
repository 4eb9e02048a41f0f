"""Ticket capabilities: forged, expired, widened and replayed ones are refused, and a specialist
called directly (NATS or HTTP) without one cannot write. Real agents, NATS, HTTP and SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from biscuit_auth import BlockBuilder

from agents.runtime.service import AgentService
from protocol.binding import rpc_subject
from protocol.capabilities import (
    CAPABILITY_HEADER,
    CapabilityError,
    CapabilityKeys,
    Grant,
    Verifier,
    WriteRequest,
    argument_digest,
    attenuate,
    mint,
)
from protocol.cards import JSONRPC_PATH
from protocol.replay import KvReplayLedger, MemoryReplayLedger
from store import Store
from tests.guardrails.mesh import guardrail_trips
from tests.helpers import (
    TEST_CAPABILITY_KEYS,
    attach_capability,
    http_rpc,
    message_params,
    mint_test_capability,
    nats_connection,
    nats_rpc,
    rpc,
    skill_message,
)

V1 = {"A2A-Version": "1.0"}
AVA, LIAM = "ava_moreno_1001", "liam_chen_1002"
CANCEL = "cancel_pending_order"
LIAM_PENDING = "#W1000004"


def _grant(**changes: Any) -> Grant:
    values: dict[str, Any] = {
        "ticket_id": "tk-1",
        "customer_id": LIAM,
        "skills": frozenset({CANCEL, "get_order_details"}),
        "orders": frozenset({LIAM_PENDING, "#W1000005"}),
        "payment_methods": frozenset({"gift_card_1"}),
        "max_refund_cents": 50_000,
        "max_charge_cents": 0,
    }
    values.update(changes)
    return Grant(**values)


def _request(**changes: Any) -> WriteRequest:
    values: dict[str, Any] = {
        "skill": CANCEL,
        "customer_id": LIAM,
        "ticket_id": "tk-1",
        "orders": (LIAM_PENDING,),
        "refund_cents": 10_000,
    }
    values.update(changes)
    return WriteRequest(**values)


# ---------------------------------------------------------------- the token itself


def test_a_capability_allows_exactly_its_grant() -> None:
    keys = CapabilityKeys.generate()
    verifier = Verifier(keys.public)
    token = mint(_grant(), keys)
    assert verifier.verify(token, _request()).customer_id == LIAM
    refusals = {
        "customer": _request(customer_id=AVA),
        "ticket": _request(ticket_id="tk-other"),
        "skill": _request(skill="return_delivered_order_items"),
        "order": _request(orders=("#W1000006",)),
        "payment method": _request(payment_methods=("paypal_1",)),
        "refund": _request(refund_cents=50_001),
        "charge": _request(charge_cents=1),
    }
    for what, request in refusals.items():
        with pytest.raises(CapabilityError) as refused:
            verifier.verify(token, request)
        assert refused.value.code == "capability_denied", what


def test_a_forged_capability_is_refused() -> None:
    keys, forger = CapabilityKeys.generate(), CapabilityKeys.generate()
    forged = mint(_grant(), forger)  # same grant, signed with another key
    with pytest.raises(CapabilityError) as refused:
        Verifier(keys.public).verify(forged, _request())
    assert refused.value.code == "capability_invalid"
    tampered = mint(_grant(), keys)[:-8] + "AAAAAAAA"
    with pytest.raises(CapabilityError) as refused:
        Verifier(keys.public).verify(tampered, _request())
    assert refused.value.code == "capability_invalid"


def test_an_expired_capability_is_refused() -> None:
    keys = CapabilityKeys.generate()
    token = mint(_grant(expires_at=datetime.now(UTC) - timedelta(seconds=1)), keys)
    with pytest.raises(CapabilityError) as refused:
        Verifier(keys.public).verify(token, _request())
    assert refused.value.code == "capability_expired"


def test_attenuation_narrows_and_cannot_widen() -> None:
    keys = CapabilityKeys.generate()
    verifier = Verifier(keys.public)
    parent = mint(_grant(), keys)
    child = attenuate(parent, verifier, orders=[LIAM_PENDING], max_refund_cents=20_000)
    assert verifier.verify(child, _request()).jti == verifier.grant(parent).jti
    for request in (_request(orders=("#W1000005",)), _request(refund_cents=20_001)):
        verifier.verify(parent, request)  # the parent allows it …
        with pytest.raises(CapabilityError):  # … the child does not
            verifier.verify(child, request)
    # asking for more than the parent has is refused at attenuation
    for widen in (
        {"orders": [LIAM_PENDING, "#W1000006"]},
        {"skills": [CANCEL, "modify_pending_order_payment"]},
        {"max_refund_cents": 50_001},
        {"expires_at": datetime.now(UTC) + timedelta(days=1)},
    ):
        with pytest.raises(CapabilityError) as refused:
            attenuate(parent, verifier, **widen)
        assert refused.value.code == "capability_widened", widen
    # a grandchild that lists the order again is still bound by the child's check
    grandchild = attenuate(child, verifier, orders=[LIAM_PENDING, "#W1000005"])
    with pytest.raises(CapabilityError):
        verifier.verify(grandchild, _request(orders=("#W1000005",)))


def test_a_hand_made_block_that_adds_an_order_or_skill_does_not_widen() -> None:
    keys = CapabilityKeys.generate()
    verifier = Verifier(keys.public)
    parent = mint(_grant(), keys)
    widened = verifier.parse(parent).append(
        BlockBuilder(
            'order("#W1000006"); orders({o}); skill("modify_pending_order_payment");'
            " max_refund(99999999);",
            {"o": {"#W1000006"}},
        )
    )
    token = widened.to_base64()
    for request in (
        _request(orders=("#W1000006",)),
        _request(skill="modify_pending_order_payment"),
        _request(refund_cents=60_000),
    ):
        with pytest.raises(CapabilityError) as refused:
            verifier.verify(token, request)
        assert refused.value.code == "capability_denied"


@pytest.mark.parametrize("kind", ["memory", "jetstream"])
async def test_replay_ledger_allows_retries_and_refuses_a_different_request(
    kind: str, nats_url: str
) -> None:
    async with nats_connection(nats_url) as nc:
        bucket = f"ledger_{uuid.uuid4().hex[:8]}"
        ledger = MemoryReplayLedger() if kind == "memory" else KvReplayLedger(nc, bucket)
        # a second replica's ledger: the JetStream one shares its entries, the memory one cannot
        replica = ledger if kind == "memory" else KvReplayLedger(nc, bucket)
        expires = datetime.now(UTC) + timedelta(minutes=1)
        first = argument_digest(CANCEL, {"order_id": LIAM_PENDING, "reason": "no longer needed"})
        await ledger.record("jti-1", "s1", first, expires)
        await replica.record("jti-1", "s1", first, expires)  # a retry of the same step
        await ledger.record("jti-1", "s2", argument_digest(CANCEL, {"order_id": "#W1"}), expires)
        with pytest.raises(CapabilityError) as refused:
            await replica.record(
                "jti-1", "s1", argument_digest(CANCEL, {"order_id": "#W1"}), expires
            )
        assert refused.value.code == "capability_replayed"
        if kind == "jetstream":
            await nc.jetstream().delete_key_value(bucket)


def test_argument_digest_survives_protobuf_numbers() -> None:
    assert argument_digest("s", {"n": 3, "x": [1, {"y": 2}]}) == argument_digest(
        "s", {"x": [1.0, {"y": 2.0}], "n": 3.0}
    )
    assert argument_digest("s", {"n": 3}) != argument_digest("s", {"n": 4})


# ---------------------------------------------------------------- at a real specialist


def _cancel(order_id: str = LIAM_PENDING) -> dict[str, Any]:
    return {"order_id": order_id, "reason": "no longer needed"}


def _steps(*step_ids: str, order_id: str = LIAM_PENDING) -> list[tuple[str, str]]:
    """Plan steps that cancel ``order_id`` (what triage's plan would name)."""
    return [(step, argument_digest(CANCEL, _cancel(order_id))) for step in step_ids]


async def _over_nats(service: AgentService, message: Any, headers: dict[str, str] | None = None):
    subject = rpc_subject("orders", service.settings.subject_prefix)
    async with nats_connection(service.settings.nats_url) as nc:
        response = await nats_rpc(
            nc, subject, rpc("SendMessage", message_params(message)), {**V1, **(headers or {})}
        )
    return response["result"]["task"]


async def _over_http(service: AgentService, message: Any, headers: dict[str, str] | None = None):
    url = service.base_url + JSONRPC_PATH
    response = await http_rpc(
        url, rpc("SendMessage", message_params(message)), {**V1, **(headers or {})}
    )
    return response["result"]["task"]


def _outcome(task: dict[str, Any]) -> tuple[str, str | None]:
    result = task["artifacts"][0]["parts"][0]["data"]
    return task["status"]["state"], result.get("error_code")


@pytest.mark.parametrize("send", [_over_nats, _over_http], ids=["nats", "http"])
async def test_a_direct_write_without_a_capability_is_refused(
    orders_service: AgentService, guard_store: Store, send: Any
) -> None:
    message = skill_message(
        CANCEL,
        _cancel(),
        capability=False,
        ticket_id=f"tk-{uuid.uuid4().hex[:8]}",
        customer_id=LIAM,
    )
    task = await send(orders_service, message)
    assert _outcome(task) == ("TASK_STATE_REJECTED", "capability_required")
    order = await guard_store.get_order(LIAM_PENDING)
    assert order is not None and order["status"] == "pending"
    # reads stay allowed for a verified customer
    read = skill_message(
        "get_order_details",
        {"order_id": LIAM_PENDING},
        capability=False,
        ticket_id="tk-r",
        customer_id=LIAM,
    )
    assert _outcome(await send(orders_service, read))[0] == "TASK_STATE_COMPLETED"


async def test_a_capability_in_the_nats_header_is_honoured(
    orders_service: AgentService, guard_store: Store
) -> None:
    ticket = f"tk-{uuid.uuid4().hex[:8]}"
    token = mint_test_capability(LIAM, ticket, CANCEL, [LIAM_PENDING], steps=_steps("0"))
    message = skill_message(CANCEL, _cancel(), capability=False, ticket_id=ticket, customer_id=LIAM)
    task = await _over_nats(orders_service, message, {CAPABILITY_HEADER: token})
    assert _outcome(task) == ("TASK_STATE_COMPLETED", None)
    order = await guard_store.get_order(LIAM_PENDING)
    assert order is not None and order["status"] == "cancelled"


async def test_forged_expired_and_out_of_scope_capabilities_cannot_write(
    orders_service: AgentService, guard_store: Store
) -> None:
    ticket = f"tk-{uuid.uuid4().hex[:8]}"
    cases = {
        "capability_invalid": mint_test_capability(
            LIAM,
            ticket,
            CANCEL,
            [LIAM_PENDING],
            keys=CapabilityKeys.generate(),
            steps=_steps("capability_invalid"),
        ),
        "capability_expired": mint_test_capability(
            LIAM,
            ticket,
            CANCEL,
            [LIAM_PENDING],
            expires_at=datetime.now(UTC) - timedelta(1),
            steps=_steps("capability_expired"),
        ),
        "capability_denied": mint_test_capability(
            LIAM, ticket, CANCEL, ["#W1000005"], steps=_steps("capability_denied")
        ),
    }
    for code, token in cases.items():
        message = skill_message(
            CANCEL, _cancel(), capability=False, ticket_id=ticket, customer_id=LIAM, step=code
        )
        task = await _over_nats(orders_service, attach_capability(message, token))
        assert _outcome(task) == ("TASK_STATE_REJECTED", code)
    # another customer's capability does not help with this customer's order
    token = mint_test_capability(AVA, ticket, CANCEL, [LIAM_PENDING], steps=_steps("0"))
    message = skill_message(CANCEL, _cancel(), capability=False, ticket_id=ticket, customer_id=LIAM)
    task = await _over_nats(orders_service, attach_capability(message, token))
    assert _outcome(task) == ("TASK_STATE_REJECTED", "capability_denied")
    order = await guard_store.get_order(LIAM_PENDING)
    assert order is not None and order["status"] == "pending"
    assert await guard_store.action_log(ticket_id=ticket) == []


async def test_money_over_the_capability_limit_is_refused_inside_the_write(
    orders_service: AgentService, guard_store: Store
) -> None:
    """Cancelling refunds the order's payments, far more than 1 cent: the store refuses it in
    the write's transaction and logs the refusal; the order and balances are unchanged."""
    ticket = f"tk-{uuid.uuid4().hex[:8]}"
    before = await guard_store.get_order(LIAM_PENDING)
    token = mint_test_capability(
        LIAM, ticket, CANCEL, [LIAM_PENDING], max_refund_cents=1, steps=_steps("limit")
    )
    message = skill_message(
        CANCEL, _cancel(), capability=False, ticket_id=ticket, customer_id=LIAM, step="limit"
    )
    trips = guardrail_trips(orders_service, "capability")
    task = await _over_nats(orders_service, attach_capability(message, token))
    assert _outcome(task) == ("TASK_STATE_REJECTED", "capability_denied")
    assert guardrail_trips(orders_service, "capability") == trips + 1
    assert await guard_store.get_order(LIAM_PENDING) == before
    [logged] = await guard_store.action_log(ticket_id=ticket)
    assert (logged["outcome"], logged["error_code"]) == ("refused", "capability_denied")
    # a holder's narrower money limit (an appended block) holds as well
    verifier = Verifier(TEST_CAPABILITY_KEYS.public)
    parent = mint_test_capability(
        LIAM, ticket, CANCEL, [LIAM_PENDING], steps=_steps("narrowed", "parent")
    )
    child = attenuate(parent, verifier, max_refund_cents=1)
    message = skill_message(
        CANCEL, _cancel(), capability=False, ticket_id=ticket, customer_id=LIAM, step="narrowed"
    )
    task = await _over_nats(orders_service, attach_capability(message, child))
    assert _outcome(task) == ("TASK_STATE_REJECTED", "capability_denied")
    assert await guard_store.get_order(LIAM_PENDING) == before
    # the parent itself still allows the write
    message = skill_message(
        CANCEL, _cancel(), capability=False, ticket_id=ticket, customer_id=LIAM, step="parent"
    )
    task = await _over_nats(orders_service, attach_capability(message, parent))
    assert _outcome(task) == ("TASK_STATE_COMPLETED", None)


async def test_retries_pass_and_a_harvested_token_drives_no_write_outside_its_plan(
    orders_service: AgentService, guard_store: Store
) -> None:
    """The plan has one step, s1: cancel LIAM_PENDING. Its token, harvested, cannot cancel
    another order under s1, name a step the plan lacks, or write without a ticket envelope."""
    ticket = f"tk-{uuid.uuid4().hex[:8]}"
    token = mint_test_capability(
        LIAM, ticket, CANCEL, [LIAM_PENDING, "#W1000005"], steps=_steps("s1")
    )

    def cancel(order_id: str, step: str | None = "s1") -> Any:
        envelope = {"ticket_id": ticket, "customer_id": LIAM, "step": step} if step else {}
        message = skill_message(CANCEL, _cancel(order_id), capability=False, **envelope)
        return attach_capability(message, token)

    first = await _over_nats(orders_service, cancel(LIAM_PENDING))
    retry = await _over_nats(orders_service, cancel(LIAM_PENDING))  # same step, same request
    assert _outcome(first) == _outcome(retry) == ("TASK_STATE_COMPLETED", None)
    other_args = await _over_nats(orders_service, cancel("#W1000005"))
    new_step = await _over_http(orders_service, cancel("#W1000005", step="s2"))
    same_args_new_step = await _over_nats(orders_service, cancel(LIAM_PENDING, step="s9"))
    no_envelope = await _over_http(orders_service, cancel("#W1000005", step=None))
    assert _outcome(other_args) == ("TASK_STATE_REJECTED", "capability_denied")
    assert _outcome(new_step) == ("TASK_STATE_REJECTED", "capability_denied")
    assert _outcome(same_args_new_step) == ("TASK_STATE_REJECTED", "capability_denied")
    # without an envelope no customer is vouched for, so the write is refused before the gate
    assert _outcome(no_envelope)[0] == "TASK_STATE_REJECTED"
    other = await guard_store.get_order("#W1000005")
    assert other is not None and other["status"] == "pending"
    log = await guard_store.action_log(ticket_id=ticket)
    assert [(e["action"], e["outcome"]) for e in log] == [(CANCEL, "ok")]


async def test_a_write_with_a_capability_but_no_ticket_envelope_is_refused(
    orders_service: AgentService, guard_store: Store
) -> None:
    """The customer named in the metadata, not in an envelope: the gate wants the envelope."""
    from protocol.parts import customer_metadata  # noqa: PLC0415

    token = mint_test_capability(LIAM, "tk-none", CANCEL, [LIAM_PENDING], steps=_steps("0"))
    message = skill_message(CANCEL, _cancel(), capability=False)
    message.metadata.update(customer_metadata(LIAM))
    task = await _over_nats(orders_service, attach_capability(message, token))
    assert _outcome(task) == ("TASK_STATE_REJECTED", "ticket_required")
    order = await guard_store.get_order(LIAM_PENDING)
    assert order is not None and order["status"] == "pending"


async def test_the_test_key_is_configuration(orders_service: AgentService) -> None:
    keys = orders_service.settings.capability_keys()
    assert keys is not None and keys.public_hex == TEST_CAPABILITY_KEYS.public_hex
