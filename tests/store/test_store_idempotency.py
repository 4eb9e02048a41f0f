"""Exactly-once writes: concurrent duplicates in one process and across processes."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Backend
from helpers import orders_where

from store import ActionError, Store, WriteContext
from store.money import round_money

REPO = Path(__file__).resolve().parents[2]


def gift_card_order(data: dict[str, Any]) -> tuple[str, str, str, float, float]:
    order = orders_where(data, "pending", "gift_card")[0]
    entry = order["payment_history"][0]
    pm_id = entry["payment_method_id"]
    balance = data["users"][order["user_id"]]["payment_methods"][pm_id]["balance"]
    return order["order_id"], order["user_id"], pm_id, entry["amount"], balance


async def assert_refunded_once(store: Store, data: dict[str, Any], key: str) -> None:
    order_id, user_id, pm_id, amount, balance = gift_card_order(data)
    order = await store.get_order(order_id)
    refunds = [e for e in order["payment_history"] if e["transaction_type"] == "refund"]
    assert len(refunds) == 1
    pm = await store.get_payment_method(user_id, pm_id)
    assert pm["balance"] == round_money(balance + amount)
    log = await store.action_log(ticket_id="T-idem")
    assert [(row["idempotency_key"], row["outcome"]) for row in log] == [(key, "ok")]


async def test_concurrent_duplicates_apply_once(demo_store: Store, demo_data: dict) -> None:
    order_id, *_ = gift_card_order(demo_data)
    ctx = WriteContext(ticket_id="T-idem", idempotency_key="cancel-once")
    args = {"order_id": order_id, "reason": "no longer needed"}
    results = await asyncio.gather(
        *(demo_store.apply("cancel_pending_order", args, ctx) for _ in range(20))
    )
    assert all(result == results[0] for result in results)
    assert results[0]["status"] == "cancelled"
    await assert_refunded_once(demo_store, demo_data, "cancel-once")
    # a later repeat still returns the first result and changes nothing
    assert await demo_store.apply("cancel_pending_order", args, ctx) == results[0]
    await assert_refunded_once(demo_store, demo_data, "cancel-once")


async def test_repeat_of_failed_write_reraises(demo_store: Store, demo_data: dict) -> None:
    delivered = orders_where(demo_data, "delivered")[0]["order_id"]
    pending, *_ = gift_card_order(demo_data)
    ctx = WriteContext(ticket_id="T-fail", idempotency_key="bad-cancel")
    with pytest.raises(ActionError) as first:
        await demo_store.apply(
            "cancel_pending_order", {"order_id": delivered, "reason": "no longer needed"}, ctx
        )
    # same key, even with different arguments: the stored outcome is replayed, nothing runs
    with pytest.raises(ActionError) as again:
        await demo_store.apply(
            "cancel_pending_order", {"order_id": pending, "reason": "no longer needed"}, ctx
        )
    assert (again.value.code, type(again.value)) == (first.value.code, type(first.value))
    assert (await demo_store.get_order(pending))["status"] == "pending"
    assert len(await demo_store.action_log(ticket_id="T-fail")) == 1


async def test_duplicates_from_other_processes(
    backend: Backend, demo_store: Store, demo_data: dict
) -> None:
    order_id, *_ = gift_card_order(demo_data)
    key = "cross-process"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(Path(__file__).with_name("idem_worker.py")),
            backend.url,
            backend.schema or "-",
            order_id,
            key,
            "5",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            cwd=REPO,
        )
        for _ in range(3)
    ]
    outputs = [await proc.communicate() for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
    results = [json.loads(line) for out, _ in outputs for line in out.decode().splitlines()]
    assert len(results) == 15
    assert all(result == results[0] for result in results)
    await assert_refunded_once(demo_store, demo_data, key)
