"""The write actions on the relational schema, run inside one transaction by Store.apply.

Semantics are those of docs/spec retail-actions.md; store/reference.py implements the same
rules on JSON dicts and the gold-parity test checks that both agree on all τ-bench tasks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain import (
    CANCEL,
    EXCHANGE,
    HANDOFF,
    MODIFY_ITEMS,
    MODIFY_PAYMENT,
    ORDER_ADDRESS,
    RETURN,
    SKILLS,
    USER_ADDRESS,
    Money,
)
from domain.arguments import CANCEL_REASONS, PRIORITIES
from store.codec import ADDRESS_KEYS
from store.contract import (
    check_item_counts,
    check_same_length,
    require_status,
    status_after,
)
from store.errors import ActionError, MoneyLimitExceeded, NotFound, OwnershipError
from store.money import from_cents
from store.queries import fetch_order, fetch_user
from store.schema import (
    Handoff,
    Order,
    OrderItem,
    PaymentEntry,
    PaymentMethod,
    User,
    Variant,
    table_of,
)

_users = table_of(User)
_pms = table_of(PaymentMethod)
_variants = table_of(Variant)
_orders = table_of(Order)
_items = table_of(OrderItem)
_history = table_of(PaymentEntry)
_handoffs = table_of(Handoff)


@dataclass(frozen=True, slots=True)
class WriteContext:
    """Who is writing and why; customer_id set means ownership is enforced."""

    customer_id: str | None = None
    ticket_id: str | None = None
    task_id: str | None = None
    idempotency_key: str | None = None
    max_refund_cents: int | None = None
    """The most this write may refund (the ticket capability's limit); None: no limit."""
    max_charge_cents: int | None = None
    """The most this write may charge; None: no limit."""


class _Action:
    """State shared by one action's steps: the connection and the context."""

    def __init__(self, conn: AsyncConnection, ctx: WriteContext) -> None:
        self.conn = conn
        self.ctx = ctx

    async def rows(self, stmt: Any) -> list[Any]:
        return list((await self.conn.execute(stmt)).mappings())

    async def order(self, order_id: str) -> Any:
        stmt = select(_orders).where(_orders.c.order_id == order_id).with_for_update()
        rows = await self.rows(stmt)
        if not rows:
            raise NotFound("order_not_found", f"order {order_id} not found")
        order = rows[0]
        if self.ctx.customer_id is not None and order["user_id"] != self.ctx.customer_id:
            raise OwnershipError("order_not_owned", f"order {order_id} belongs to another user")
        return order

    def spend(self, money: Money) -> None:
        """Refuse a write that moves more money than its context allows. Checked here, inside
        the write's transaction, where the amounts are known exactly and cannot change."""
        limit = self.ctx.max_refund_cents
        if limit is not None and money.refund_cents > limit:
            raise MoneyLimitExceeded("the refund is over the capability's limit")
        limit = self.ctx.max_charge_cents
        if limit is not None and money.charge_cents > limit:
            raise MoneyLimitExceeded("the charge is over the capability's limit")

    async def items(self, order_id: str) -> list[dict[str, Any]]:
        stmt = select(_items).where(_items.c.order_id == order_id).order_by(_items.c.position)
        return [dict(row) for row in await self.rows(stmt)]

    async def history(self, order_id: str) -> list[Any]:
        stmt = select(_history).where(_history.c.order_id == order_id).order_by(_history.c.position)
        return await self.rows(stmt)

    async def payment_method(self, user_id: str, pm_id: str) -> Any:
        """The user's payment method; another customer's is refused, an unknown one an error."""
        rows = await self.rows(select(_pms).where(_pms.c.id == pm_id).with_for_update())
        if not rows or rows[0]["user_id"] != user_id:
            if rows and self.ctx.customer_id is not None:
                raise OwnershipError(
                    "payment_method_not_owned", f"payment method {pm_id} belongs to another user"
                )
            raise ActionError("payment_method_not_found", f"payment method {pm_id} not found")
        return rows[0]

    async def gift_card(self, pm_id: str) -> Any | None:
        stmt = select(_pms).where(_pms.c.id == pm_id).with_for_update()
        rows = await self.rows(stmt)
        return rows[0] if rows and rows[0]["source"] == "gift_card" else None

    async def add_balance(self, pm_id: str, cents: int) -> None:
        await self.conn.execute(
            update(_pms)
            .where(_pms.c.id == pm_id)
            .values(balance_cents=_pms.c.balance_cents + cents)
        )

    async def append_history(self, order_id: str, start: int, entries: list[tuple]) -> None:
        await self.conn.execute(
            insert(_history),
            [
                {
                    "order_id": order_id,
                    "position": start + offset,
                    "transaction_type": kind,
                    "amount_cents": cents,
                    "payment_method_id": pm_id,
                }
                for offset, (kind, cents, pm_id) in enumerate(entries)
            ],
        )

    async def set_order(self, order: Any, **values: Any) -> None:
        await self.conn.execute(
            update(_orders).where(_orders.c.order_id == order["order_id"]).values(**values)
        )

    async def price_difference(
        self, items: list[dict[str, Any]], item_ids: list[str], new_item_ids: list[str]
    ) -> tuple[int, dict[str, Any]]:
        """Σ(new − old) in cents, and the new variants by item id (validated)."""
        new_variants = {
            row["item_id"]: row
            for row in await self.rows(
                select(_variants).where(_variants.c.item_id.in_(new_item_ids))
            )
        }
        diff = 0
        for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
            item = next(item for item in items if item["item_id"] == item_id)
            variant = new_variants.get(new_item_id)
            if variant is None or variant["product_id"] != item["product_id"]:
                raise ActionError(
                    "new_item_not_found", f"{new_item_id} is not a variant of the item"
                )
            if not variant["available"]:
                raise ActionError("new_item_unavailable", f"{new_item_id} is not available")
            diff += variant["price_cents"] - item["price_cents"]
        return diff, new_variants


def _require_balance(pm: Any, cents: int) -> None:
    if pm["source"] == "gift_card" and (pm["balance_cents"] or 0) < cents:
        raise ActionError("insufficient_gift_card_balance", "gift card balance is too low")


def _price_of(items: list[dict[str, Any]], item_ids: list[str]) -> int:
    """The price of the named items in cents (a repeated id counts a further copy)."""
    remaining = list(items)
    total = 0
    for item_id in item_ids:
        item = next(item for item in remaining if item["item_id"] == item_id)
        remaining.remove(item)
        total += item["price_cents"]
    return total


def _address(args: dict[str, Any]) -> dict[str, str]:
    return {key: args[key] for key in ADDRESS_KEYS}


def _with_extras(order: Any, **extras: Any) -> dict[str, Any]:
    return {**(order["extras"] or {}), **extras}


async def _cancel(a: _Action, order_id: str, reason: str) -> None:
    order = await a.order(order_id)
    require_status(order["status"], CANCEL)
    if reason not in CANCEL_REASONS:
        raise ActionError("invalid_reason", f"reason must be one of {CANCEL_REASONS}")
    history = await a.history(order_id)
    refunds = [("refund", e["amount_cents"], e["payment_method_id"]) for e in history]
    a.spend(SKILLS.money(CANCEL).amounts(paid_cents=sum(cents for _, cents, _ in refunds)))
    for _, cents, pm_id in refunds:
        if await a.gift_card(pm_id) is not None:
            await a.add_balance(pm_id, cents)
    if refunds:
        await a.append_history(order_id, len(history), refunds)
    extras = _with_extras(order, cancel_reason=reason)
    await a.set_order(order, status=status_after(CANCEL), extras=extras)


async def _item_swap(
    a: _Action,
    order_id: str,
    action: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> tuple[Any, Any, Any, Any, Any]:
    """Checks shared by item modifications and exchanges: (order, items, method, diff, variants)."""
    order = await a.order(order_id)
    require_status(order["status"], action)
    items = await a.items(order_id)
    check_item_counts([item["item_id"] for item in items], item_ids)
    check_same_length(item_ids, new_item_ids)
    diff, variants = await a.price_difference(items, item_ids, new_item_ids)
    # the difference is what the effect settles: new prices − old prices
    a.spend(SKILLS.money(action).amounts(items_cents=0, new_items_cents=diff))
    pm = await a.payment_method(order["user_id"], payment_method_id)
    _require_balance(pm, diff)
    return order, items, pm, diff, variants


async def _modify_items(
    a: _Action, order_id: str, item_ids: list[str], new_item_ids: list[str], payment_method_id: str
) -> None:
    order, items, pm, diff, variants = await _item_swap(
        a, order_id, MODIFY_ITEMS, item_ids, new_item_ids, payment_method_id
    )
    history = await a.history(order_id)
    kind = "payment" if diff > 0 else "refund"
    await a.append_history(order_id, len(history), [(kind, abs(diff), payment_method_id)])
    if pm["source"] == "gift_card":
        await a.add_balance(payment_method_id, -diff)
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        item = next(item for item in items if item["item_id"] == item_id)
        variant = variants[new_item_id]
        item.update(item_id=new_item_id, price_cents=variant["price_cents"])
        item["options"] = variant["options"]
        await a.conn.execute(
            update(_items)
            .where(_items.c.order_id == order_id, _items.c.position == item["position"])
            .values(item_id=new_item_id, price_cents=item["price_cents"], options=item["options"])
        )
    await a.set_order(order, status=status_after(MODIFY_ITEMS))


async def _modify_order_address(a: _Action, order_id: str, **address: str) -> None:
    order = await a.order(order_id)
    require_status(order["status"], ORDER_ADDRESS)
    await a.set_order(order, **_address(address))


async def _modify_payment(a: _Action, order_id: str, payment_method_id: str) -> None:
    order = await a.order(order_id)
    require_status(order["status"], MODIFY_PAYMENT)
    pm = await a.payment_method(order["user_id"], payment_method_id)
    history = await a.history(order_id)
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        raise ActionError("payment_history_not_single_payment", "order must have one payment")
    old_id = history[0]["payment_method_id"]
    if old_id == payment_method_id:
        raise ActionError("same_payment_method", "the new payment method is the current one")
    cents = history[0]["amount_cents"]
    a.spend(SKILLS.money(MODIFY_PAYMENT).amounts(paid_cents=cents))
    _require_balance(pm, cents)
    await a.append_history(
        order_id, 1, [("payment", cents, payment_method_id), ("refund", cents, old_id)]
    )
    if pm["source"] == "gift_card":
        await a.add_balance(payment_method_id, -cents)
    if await a.gift_card(old_id) is not None:
        await a.add_balance(old_id, cents)


async def _return(a: _Action, order_id: str, item_ids: list[str], payment_method_id: str) -> None:
    order = await a.order(order_id)
    require_status(order["status"], RETURN)
    pm = await a.payment_method(order["user_id"], payment_method_id)
    history = await a.history(order_id)
    original = history[0]["payment_method_id"] if history else None
    if pm["source"] != "gift_card" and payment_method_id != original:
        raise ActionError(
            "refund_method_not_allowed", "refunds go to the original method or a gift card"
        )
    items = await a.items(order_id)
    check_item_counts([item["item_id"] for item in items], item_ids)
    a.spend(SKILLS.money(RETURN).amounts(items_cents=_price_of(items, item_ids)))
    extras = _with_extras(
        order, return_items=sorted(item_ids), return_payment_method_id=payment_method_id
    )
    await a.set_order(order, status=status_after(RETURN), extras=extras)


async def _exchange(
    a: _Action, order_id: str, item_ids: list[str], new_item_ids: list[str], payment_method_id: str
) -> None:
    order, _, _, diff, _ = await _item_swap(
        a, order_id, EXCHANGE, item_ids, new_item_ids, payment_method_id
    )
    extras = _with_extras(
        order,
        exchange_items=sorted(item_ids),
        exchange_new_items=sorted(new_item_ids),
        exchange_payment_method_id=payment_method_id,
        exchange_price_difference=from_cents(diff),
    )
    await a.set_order(order, status=status_after(EXCHANGE), extras=extras)


async def _modify_account_address(a: _Action, user_id: str, **address: str) -> None:
    stmt = select(_users.c.user_id).where(_users.c.user_id == user_id).with_for_update()
    if not await a.rows(stmt):
        raise NotFound("user_not_found", f"user {user_id} not found")
    if a.ctx.customer_id is not None and user_id != a.ctx.customer_id:
        raise OwnershipError("user_not_owned", f"user {user_id} is another customer")
    await a.conn.execute(
        update(_users).where(_users.c.user_id == user_id).values(**_address(address))
    )


async def _transfer(
    a: _Action,
    summary: str,
    reason: str | None = None,
    priority: str | None = None,
    user_id: str | None = None,
) -> dict[str, Any]:
    if not summary.strip():
        raise ActionError("missing_summary", "a handoff needs a summary")
    priority = priority or "normal"
    if priority not in PRIORITIES:
        raise ActionError("invalid_priority", f"priority must be one of {PRIORITIES}")
    customer = a.ctx.customer_id
    if customer is not None and user_id is not None and user_id != customer:
        raise OwnershipError("user_not_owned", f"user {user_id} is another customer")
    row = {
        "ticket_id": a.ctx.ticket_id,
        "task_id": a.ctx.task_id,
        "user_id": user_id or customer,
        "summary": summary,
        "reason": reason,
        "priority": priority,
        "status": "open",
    }
    result = await a.conn.execute(insert(_handoffs).values(**row).returning(*_handoffs.c))
    return handoff_json(result.mappings().one())


def handoff_json(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "ticket_id": row["ticket_id"],
        "task_id": row["task_id"],
        "user_id": row["user_id"],
        "summary": row["summary"],
        "reason": row["reason"],
        "priority": row["priority"],
        "status": row["status"],
        "created_at": row["created_at"].isoformat() if row["created_at"] else None,
    }


_ORDER_ACTIONS: dict[str, Callable[..., Awaitable[None]]] = {
    CANCEL: _cancel,
    MODIFY_ITEMS: _modify_items,
    ORDER_ADDRESS: _modify_order_address,
    MODIFY_PAYMENT: _modify_payment,
    RETURN: _return,
    EXCHANGE: _exchange,
}


async def run_action(
    conn: AsyncConnection, action: str, args: dict[str, Any], ctx: WriteContext
) -> dict[str, Any]:
    """Run one validated action on ``conn`` (inside a transaction); return its result dict."""
    a = _Action(conn, ctx)
    if action in _ORDER_ACTIONS:
        await _ORDER_ACTIONS[action](a, **args)
        order = await fetch_order(conn, args["order_id"])
        assert order is not None
        return order
    if action == USER_ADDRESS:
        await _modify_account_address(a, **args)
        user = await fetch_user(conn, args["user_id"])
        assert user is not None
        return user
    if action == HANDOFF:
        return await _transfer(a, **args)
    raise ActionError("unknown_action", f"unknown action {action!r}")
