"""The triage's customer read on a pysqlite connection, below SQLAlchemy.

``fetch_customer`` (store/queries.py) runs seven statements through SQLAlchemy Core: building
each statement, its cache key, the execution context and a ``RowMapping`` per row cost ~2.5 ms
of CPU for ~100 rows, several times what SQLite itself spends. This module runs the same
statements as plain SQL text on the driver connection and decodes the JSON and boolean columns
with ``RowShape``, as exports do, and builds the same ``CustomerRecord`` with the same
codec functions (tests/store/test_sqlite_reads.py compares the two on every τ-bench user).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table

from store.codec import order_json, product_json, user_json
from store.queries import CustomerRecord, RowShape, _group
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


class _Select:
    """``SELECT <every column> FROM <table> WHERE <key> IN (…) [ORDER BY …]`` as dict rows."""

    def __init__(self, table: Table, key: str, order_by: str = "") -> None:
        self._shape = RowShape.of(table)
        names = ", ".join(f'"{name}"' for name in self._shape.columns)
        self._head = f'SELECT {names} FROM "{table.name}" WHERE "{key}" IN ('
        self._tail = f") ORDER BY {order_by}" if order_by else ")"
        self._sql: dict[int, str] = {}

    def rows(self, conn: sqlite3.Connection, keys: Sequence[str]) -> list[dict[str, Any]]:
        if not keys:
            return []
        sql = self._sql.get(len(keys))
        if sql is None:
            sql = self._sql[len(keys)] = self._head + ", ".join("?" * len(keys)) + self._tail
        return self._shape.decode(conn.execute(sql, keys))


_users = _Select(table_of(User), "user_id")
_pms = _Select(table_of(PaymentMethod), "user_id", "position")
_orders = _Select(table_of(Order), "order_id")
_order_children = [
    _Select(table_of(child), "order_id", "order_id, position")
    for child in (OrderItem, Fulfillment, PaymentEntry)
]
_products = _Select(table_of(Product), "product_id")
_variants = _Select(table_of(Variant), "product_id", "product_id, position")


def customer_sqlite(conn: sqlite3.Connection, user_id: str) -> CustomerRecord | None:
    """What ``fetch_customer`` returns, read with the same seven statements (the caller holds
    the read transaction)."""
    users = _users.rows(conn, [user_id])
    if not users:
        return None
    user = {"user_id": user_id, **user_json(users[0], _pms.rows(conn, [user_id]))}
    order_ids: list[str] = user["orders"]
    by_id = {row["order_id"]: row for row in _orders.rows(conn, order_ids)}
    children = [_group(select.rows(conn, order_ids), "order_id") for select in _order_children]
    orders = [
        order_json(by_id[oid], *(child.get(oid, []) for child in children))
        for oid in order_ids
        if oid in by_id
    ]
    product_ids = sorted({item["product_id"] for order in orders for item in order["items"]})
    variants = _group(_variants.rows(conn, product_ids), "product_id")
    products = {
        row["product_id"]: product_json(row, variants.get(row["product_id"], []))
        for row in _products.rows(conn, product_ids)
    }
    return CustomerRecord(user, orders, products)
