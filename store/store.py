"""Store: the async facade over the database (reads, reset/export, exactly-once writes)."""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any

from sqlalchemy import JSON, Table, delete, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from store.actions import WriteContext, handoff_json, run_action
from store.codec import data_to_rows
from store.contract import HANDOFF_STATUSES, check_args
from store.engine import create_engine
from store.errors import ActionError, NotFound, error_from_record
from store.migrate import migrate
from store.queries import (
    CustomerRecord,
    fetch_all,
    fetch_customer,
    fetch_order,
    fetch_orders,
    fetch_payment_method,
    fetch_product,
    fetch_products,
    fetch_products_by_id,
    fetch_user,
    find_user_id_by_email,
    find_user_ids_by_identity,
    list_order_ids,
)
from store.schema import MESH_TABLES, RETAIL_TABLES, ActionLog, Handoff, table_of
from store.sqlite_reads import customer_sqlite
from store.threaded import Operation, T, ThreadedSqlite

DEFAULT_URL = "sqlite+aiosqlite:///var/deskmesh.sqlite3"
_log = table_of(ActionLog)
_handoffs = table_of(Handoff)


class Store:
    """Async store owning an AsyncEngine; use ``async with Store(url)`` or ``await Store.open``."""

    def __init__(self, url: str | None = None, *, schema: str | None = None) -> None:
        self.url = url or DEFAULT_URL
        self.schema = schema
        self.dialect = make_url(self.url).get_backend_name()
        self.engine: AsyncEngine = create_engine(self.url, schema=schema)
        # Writes on SQLite take the write lock up front, so concurrent writers queue (busy
        # timeout) instead of failing on lock upgrade; on PostgreSQL rows are locked FOR UPDATE.
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        # The hot reads and writes on an SQLite file run whole in a thread (store/threaded.py).
        database = make_url(self.url).database
        self._threaded = (
            ThreadedSqlite(make_url(self.url))
            if self.dialect == "sqlite" and database and database != ":memory:"
            else None
        )

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    async def open(cls, url: str | None = None, *, schema: str | None = None) -> Store:
        store = cls(url, schema=schema)
        await store.start()
        return store

    async def start(self) -> None:
        if self.schema is not None and self.dialect == "postgresql":
            async with self.engine.begin() as conn:
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
        await migrate(self.engine)

    async def close(self) -> None:
        if self._threaded is not None:
            self._threaded.close()
        await self.engine.dispose()

    async def _read(self, operation: Operation[T], *args: Any) -> T:
        if self._threaded is not None:
            return await self._threaded.read(operation, *args)
        async with self.engine.connect() as conn:
            return await operation(conn, *args)

    async def _write(self, operation: Operation[T], *args: Any) -> T:
        """``operation`` in one write transaction (BEGIN IMMEDIATE on SQLite)."""
        if self._threaded is not None:
            return await self._threaded.write(operation, *args)
        async with self._writer.begin() as conn:
            return await operation(conn, *args)

    async def __aenter__(self) -> Store:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ reads
    async def get_user(self, user_id: str) -> dict[str, Any] | None:
        return await self._read(fetch_user, user_id)

    async def get_customer(self, user_id: str) -> CustomerRecord | None:
        """A user, their orders (in the profile's order) and the products in those orders, by
        id, read in one transaction; None for an unknown user."""
        if self._threaded is not None:
            return await self._threaded.read_driver(customer_sqlite, user_id)
        return await self._read(fetch_customer, user_id)

    async def find_user_by_email(self, email: str) -> dict[str, Any] | None:
        return await self._read(_user_by_email, email)

    async def find_user_ids(
        self,
        *,
        email: str | None = None,
        name: tuple[str, str] | None = None,
        zip_code: str | None = None,
    ) -> list[str]:
        """Users matching every detail given (at most two: enough to tell unique from not)."""
        if email is None and (name is None or zip_code is None):
            raise ValueError("identify by an email, or by a name and a zip code")
        first, last = name if name else (None, None)
        return await self._read(_user_ids_by_identity, email, first, last, zip_code)

    async def get_order(self, order_id: str) -> dict[str, Any] | None:
        return await self._read(fetch_order, order_id)

    async def list_orders(self, user_id: str) -> list[dict[str, Any]]:
        return await self._read(_orders_of, user_id)

    async def get_product(self, product_id: str) -> dict[str, Any] | None:
        return await self._read(fetch_product, product_id)

    async def get_products(self, product_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The products with these ids that exist, by id."""
        return await self._read(fetch_products_by_id, product_ids)

    async def list_products(self) -> list[dict[str, Any]]:
        return list((await self._read(fetch_products)).values())

    async def get_payment_method(self, user_id: str, pm_id: str) -> dict[str, Any] | None:
        return await self._read(fetch_payment_method, user_id, pm_id)

    async def action_log(
        self,
        ticket_id: str | None = None,
        *,
        task_id: str | None = None,
        customer_id: str | None = None,
        action: str | None = None,
        outcome: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Audit rows, oldest first, filtered by any of the given fields."""
        stmt = select(_log).order_by(_log.c.id)
        filters = {
            "ticket_id": ticket_id,
            "task_id": task_id,
            "customer_id": customer_id,
            "action": action,
            "outcome": outcome,
        }
        for column, value in filters.items():
            if value is not None:
                stmt = stmt.where(_log.c[column] == value)
        if limit is not None:
            stmt = stmt.limit(limit)
        async with self.engine.connect() as conn:
            return [_log_json(row) for row in (await conn.execute(stmt)).mappings()]

    async def list_handoffs(
        self,
        *,
        status: str | None = None,
        ticket_id: str | None = None,
        task_id: str | None = None,
    ) -> list[dict[str, Any]]:
        stmt = select(_handoffs).order_by(_handoffs.c.id)
        for column, value in {"status": status, "ticket_id": ticket_id, "task_id": task_id}.items():
            if value is not None:
                stmt = stmt.where(_handoffs.c[column] == value)
        async with self.engine.connect() as conn:
            return [handoff_json(row) for row in (await conn.execute(stmt)).mappings()]

    async def get_handoff(self, handoff_id: int) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            result = await conn.execute(select(_handoffs).where(_handoffs.c.id == handoff_id))
            row = result.mappings().first()
            return None if row is None else handoff_json(row)

    async def set_handoff_status(self, handoff_id: int, status: str) -> dict[str, Any]:
        """Move a handoff to 'open', 'claimed' or 'closed' (the human queue's side)."""
        if status not in HANDOFF_STATUSES:
            raise ActionError("invalid_status", f"status must be one of {HANDOFF_STATUSES}")
        async with self._writer.begin() as conn:
            stmt = update(_handoffs).where(_handoffs.c.id == handoff_id).values(status=status)
            if (await conn.execute(stmt)).rowcount != 1:
                raise NotFound("handoff_not_found", f"handoff {handoff_id} not found")
        handoff = await self.get_handoff(handoff_id)
        assert handoff is not None
        return handoff

    # ------------------------------------------------------------------ bulk data
    async def reset(self, data: dict[str, Any]) -> None:
        """Replace all retail data with ``data`` (τ-bench shape); clear action_log and handoffs."""
        rows = data_to_rows(data)
        async with self._writer.begin() as conn:
            await self._clear(conn)
            for table in RETAIL_TABLES:
                if rows[table.name]:
                    await self._bulk_insert(conn, table, rows[table.name])

    async def _bulk_insert(self, conn: AsyncConnection, table: Table, rows: list[dict]) -> None:
        """Insert many rows through the driver's own bulk path (executemany / COPY).

        This skips SQLAlchemy's per-row parameter processing, which dominated reset time.
        """
        columns = [column.name for column in table.columns]
        json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
        records = [
            tuple(json.dumps(row[name]) if name in json_columns else row[name] for name in columns)
            for row in rows
        ]
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None, "an open connection has a driver connection"
        if self.dialect == "postgresql":
            await driver.copy_records_to_table(
                table.name, records=records, columns=columns, schema_name=self.schema
            )
        elif self.dialect == "sqlite":
            names = ", ".join(f'"{name}"' for name in columns)
            marks = ", ".join("?" for _ in columns)
            await driver.executemany(
                f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', records
            )
        else:  # pragma: no cover - other dialects take the generic path
            await conn.execute(insert(table), rows)

    async def _clear(self, conn: AsyncConnection) -> None:
        tables = (*MESH_TABLES, *reversed(RETAIL_TABLES))
        if self.dialect == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
            return
        for table in tables:
            await conn.execute(delete(table))

    async def export(self) -> dict[str, Any]:
        """All retail data as {"users", "orders", "products"} in τ-bench shape."""
        async with self.engine.connect() as conn:
            return await fetch_all(conn)

    # ------------------------------------------------------------------ writes
    async def apply(
        self, action: str, args: dict[str, Any], ctx: WriteContext | None = None
    ) -> dict[str, Any]:
        """Run a write action exactly once per idempotency key; return the updated entity.

        Raises ActionError (with a stable ``code``), OwnershipError or NotFound on failure;
        the data is then unchanged and the failure is logged ('error' or 'refused').
        """
        ctx = ctx or WriteContext()
        key = ctx.idempotency_key
        raw_args = dict(args)
        if key is not None and (stored := await self._stored(key)) is not None:
            return _replay(stored)
        try:
            clean = check_args(action, raw_args)
            return await self._write(_apply_in, action, clean, raw_args, ctx)
        except ActionError as exc:
            try:
                await self._write(_log_in, _log_row(action, raw_args, ctx, exc.outcome, error=exc))
            except IntegrityError:
                if key is None or (stored := await self._stored(key)) is None:
                    raise
                return _replay(stored)
            raise
        except IntegrityError:
            # A concurrent writer (task, process or replica) committed the same key first.
            if key is None or (stored := await self._stored(key)) is None:
                raise
            return _replay(stored)

    async def _stored(self, key: str) -> dict[str, Any] | None:
        return await self._read(_stored_in, key)


async def _apply_in(
    conn: AsyncConnection,
    action: str,
    clean: dict[str, Any],
    raw_args: dict[str, Any],
    ctx: WriteContext,
) -> dict[str, Any]:
    key = ctx.idempotency_key
    if key is not None and (stored := await _stored_in(conn, key)) is not None:
        return _replay(stored)  # a concurrent duplicate won while we queued
    result = await run_action(conn, action, clean, ctx)
    await _log_in(conn, _log_row(action, raw_args, ctx, "ok", result=result))
    return result


async def _log_in(conn: AsyncConnection, row: dict[str, Any]) -> None:
    await conn.execute(insert(_log), [row])


async def _user_by_email(conn: AsyncConnection, email: str) -> dict[str, Any] | None:
    user_id = await find_user_id_by_email(conn, email)
    return None if user_id is None else await fetch_user(conn, user_id)


async def _user_ids_by_identity(
    conn: AsyncConnection,
    email: str | None,
    first_name: str | None,
    last_name: str | None,
    zip_code: str | None,
) -> list[str]:
    return await find_user_ids_by_identity(
        conn, email=email, first_name=first_name, last_name=last_name, zip_code=zip_code
    )


async def _orders_of(conn: AsyncConnection, user_id: str) -> list[dict[str, Any]]:
    return await fetch_orders(conn, await list_order_ids(conn, user_id))


async def _stored_in(conn: AsyncConnection, key: str) -> dict[str, Any] | None:
    result = await conn.execute(select(_log).where(_log.c.idempotency_key == key))
    row = result.mappings().first()
    return None if row is None else dict(row)


def _log_row(
    action: str,
    args: dict[str, Any],
    ctx: WriteContext,
    outcome: str,
    *,
    result: dict[str, Any] | None = None,
    error: ActionError | None = None,
) -> dict[str, Any]:
    return {
        "action": action,
        "arguments": args,
        "customer_id": ctx.customer_id,
        "ticket_id": ctx.ticket_id,
        "task_id": ctx.task_id,
        "idempotency_key": ctx.idempotency_key,
        "outcome": outcome,
        "result": result,
        "error_code": None if error is None else error.code,
        "error": None if error is None else error.message,
    }


def _replay(stored: dict[str, Any]) -> dict[str, Any]:
    if stored["outcome"] == "ok":
        return stored["result"]
    raise error_from_record(stored["outcome"], stored["error_code"], stored["error"])


def _log_json(row: Any) -> dict[str, Any]:
    out = dict(row)
    out["created_at"] = row["created_at"].isoformat() if row["created_at"] else None
    return out
