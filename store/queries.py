"""Read queries returning τ-bench shaped dicts (used by Store reads, writes and export)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Boolean, Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.codec import order_json, payment_method_json, product_json, user_json
from store.schema import (
    Fulfillment,
    Order,
    OrderItem,
    PaymentEntry,
    PaymentMethod,
    Product,
    User,
    Variant,
    table_of,
)

_users = table_of(User)
_pms = table_of(PaymentMethod)
_products = table_of(Product)
_variants = table_of(Variant)
_orders = table_of(Order)
_items = table_of(OrderItem)
_fulfillments = table_of(Fulfillment)
_history = table_of(PaymentEntry)


async def _rows(conn: AsyncConnection, stmt: Any) -> list[Any]:
    return list((await conn.execute(stmt)).mappings())


async def fetch_user(conn: AsyncConnection, user_id: str) -> dict[str, Any] | None:
    rows = await _rows(conn, select(_users).where(_users.c.user_id == user_id))
    if not rows:
        return None
    pms = await _rows(conn, select(_pms).where(_pms.c.user_id == user_id).order_by(_pms.c.position))
    return {"user_id": user_id, **user_json(rows[0], pms)}


async def find_user_id_by_email(conn: AsyncConnection, email: str) -> str | None:
    stmt = select(_users.c.user_id).where(_users.c.email == email).order_by(_users.c.position)
    return (await conn.execute(stmt)).scalars().first()


async def find_user_ids_by_identity(
    conn: AsyncConnection,
    *,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    zip_code: str | None = None,
) -> list[str]:
    """Every user matching all the given details exactly (emails and names ignore case)."""
    stmt = select(_users.c.user_id).order_by(_users.c.position)
    if email is not None:
        stmt = stmt.where(func.lower(_users.c.email) == email.lower())
    if first_name is not None:
        stmt = stmt.where(func.lower(_users.c.first_name) == first_name.lower())
    if last_name is not None:
        stmt = stmt.where(func.lower(_users.c.last_name) == last_name.lower())
    if zip_code is not None:
        stmt = stmt.where(_users.c.zip == zip_code)
    return list((await conn.execute(stmt.limit(2))).scalars())


async def fetch_payment_method(
    conn: AsyncConnection, user_id: str, pm_id: str
) -> dict[str, Any] | None:
    stmt = select(_pms).where(_pms.c.id == pm_id, _pms.c.user_id == user_id)
    rows = await _rows(conn, stmt)
    return payment_method_json(rows[0]) if rows else None


async def fetch_order(conn: AsyncConnection, order_id: str) -> dict[str, Any] | None:
    rows = await _rows(conn, select(_orders).where(_orders.c.order_id == order_id))
    if not rows:
        return None
    children = []
    for table in (_items, _fulfillments, _history):
        stmt = select(table).where(table.c.order_id == order_id).order_by(table.c.position)
        children.append(await _rows(conn, stmt))
    return order_json(rows[0], *children)


async def fetch_orders(conn: AsyncConnection, order_ids: list[str]) -> list[dict[str, Any]]:
    """The orders named, in that order (missing ones left out): four queries for any number."""
    if not order_ids:
        return []
    rows = {
        row["order_id"]: row
        for row in await _rows(conn, select(_orders).where(_orders.c.order_id.in_(order_ids)))
    }
    children = []
    for table in (_items, _fulfillments, _history):
        stmt = (
            select(table)
            .where(table.c.order_id.in_(order_ids))
            .order_by(table.c.order_id, table.c.position)
        )
        children.append(_group(await _rows(conn, stmt), "order_id"))
    return [
        order_json(rows[oid], *(child.get(oid, []) for child in children))
        for oid in order_ids
        if oid in rows
    ]


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """A user, their orders in the profile's order, and the products in those orders by id."""

    user: dict[str, Any]
    orders: list[dict[str, Any]]
    products: dict[str, dict[str, Any]]


async def fetch_customer(conn: AsyncConnection, user_id: str) -> CustomerRecord | None:
    """The user's record in one transaction: seven queries for any number of orders."""
    user = await fetch_user(conn, user_id)
    if user is None:
        return None
    orders = await fetch_orders(conn, user["orders"])
    product_ids = sorted({item["product_id"] for order in orders for item in order["items"]})
    return CustomerRecord(user, orders, await fetch_products_by_id(conn, product_ids))


async def list_order_ids(conn: AsyncConnection, user_id: str) -> list[str]:
    stmt = select(_users.c.order_ids).where(_users.c.user_id == user_id)
    order_ids = (await conn.execute(stmt)).scalar()
    return list(order_ids or [])


async def fetch_product(conn: AsyncConnection, product_id: str) -> dict[str, Any] | None:
    rows = await _rows(conn, select(_products).where(_products.c.product_id == product_id))
    if not rows:
        return None
    variants = await _rows(
        conn,
        select(_variants)
        .where(_variants.c.product_id == product_id)
        .order_by(_variants.c.position),
    )
    return product_json(rows[0], variants)


async def fetch_products_by_id(
    conn: AsyncConnection, product_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """The products named (missing ones left out), in two queries."""
    if not product_ids:
        return {}
    rows = await _rows(conn, select(_products).where(_products.c.product_id.in_(product_ids)))
    stmt = (
        select(_variants)
        .where(_variants.c.product_id.in_(product_ids))
        .order_by(_variants.c.product_id, _variants.c.position)
    )
    variants = _group(await _rows(conn, stmt), "product_id")
    return {
        row["product_id"]: product_json(row, variants.get(row["product_id"], [])) for row in rows
    }


def _group(rows: list[Any], key: str) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


async def fetch_products(conn: AsyncConnection) -> dict[str, Any]:
    products = await _rows(conn, select(_products).order_by(_products.c.position))
    variants = _group(
        await _rows(conn, select(_variants).order_by(_variants.c.product_id, _variants.c.position)),
        "product_id",
    )
    return {p["product_id"]: product_json(p, variants.get(p["product_id"], [])) for p in products}


@dataclass(frozen=True, slots=True)
class RowShape:
    """A table's columns, and which hold JSON text or booleans, to decode driver records into
    dict rows without SQLAlchemy's per-value processing (exports, the SQLite customer read)."""

    columns: tuple[str, ...]
    json_columns: tuple[str, ...]
    bool_columns: tuple[str, ...]

    @classmethod
    def of(cls, table: Table) -> RowShape:
        return cls(
            tuple(c.name for c in table.columns),
            tuple(c.name for c in table.columns if isinstance(c.type, JSON)),
            tuple(c.name for c in table.columns if isinstance(c.type, Boolean)),
        )

    def decode(self, records: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
        rows = [dict(zip(self.columns, record, strict=True)) for record in records]
        loads = json.loads
        for row in rows:
            for name in self.json_columns:
                value = row[name]
                row[name] = loads(value) if isinstance(value, str) else value
            for name in self.bool_columns:
                if row[name] is not None:
                    row[name] = bool(row[name])
        return rows


async def _raw_rows(conn: AsyncConnection, table: Table, order_by: str) -> list[dict[str, Any]]:
    """All rows of ``table`` through the driver (no per-value SQLAlchemy processing).

    JSON columns arrive as text on both SQLite and asyncpg and are decoded here; this keeps
    export() fast enough to run after every scenario of an evaluation.
    """
    shape = RowShape.of(table)
    names = ", ".join(f'"{name}"' for name in shape.columns)
    sql = f'SELECT {names} FROM "{table.name}" ORDER BY {order_by}'
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None, "an open connection has a driver connection"
    if conn.dialect.name == "postgresql":
        raw = await driver.fetch(sql)
    else:
        cursor = await driver.execute(sql)
        raw = await cursor.fetchall()
        await cursor.close()
    return shape.decode(raw)


async def fetch_all(conn: AsyncConnection) -> dict[str, Any]:
    """The whole retail data set in τ-bench shape (users without a user_id key, as in v1)."""
    users = await _raw_rows(conn, _users, "position")
    pms = _group(await _raw_rows(conn, _pms, "user_id, position"), "user_id")
    products = await _raw_rows(conn, _products, "position")
    variants = _group(await _raw_rows(conn, _variants, "product_id, position"), "product_id")
    orders = await _raw_rows(conn, _orders, "position")
    items, fulfillments, history = [
        _group(await _raw_rows(conn, table, "order_id, position"), "order_id")
        for table in (_items, _fulfillments, _history)
    ]
    return {
        "users": {u["user_id"]: user_json(u, pms.get(u["user_id"], [])) for u in users},
        "orders": {
            o["order_id"]: order_json(
                o,
                items.get(o["order_id"], []),
                fulfillments.get(o["order_id"], []),
                history.get(o["order_id"], []),
            )
            for o in orders
        },
        "products": {
            p["product_id"]: product_json(p, variants.get(p["product_id"], [])) for p in products
        },
    }
