"""ThreadedSqlite: a store operation on SQLite runs whole in a worker thread, on a sync connection.

Through aiosqlite every statement costs four hops between the event loop and the driver's
thread (cursor, execute, fetch, close) plus one for BEGIN and one for ROLLBACK; a customer's
data (nine statements) took ~12.6 ms of CPU that way and ~4.5 ms as one hop to a thread running
the same statements on pysqlite (docs/performance.md). The operations stay the async functions
of store/queries.py and store/actions.py: they only ever await ``conn.execute``, which
``_SyncConnection`` answers at once, so each one runs to completion in the thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

from sqlalchemy import Engine
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection

from store.engine import SQLITE_BUSY_TIMEOUT_MS, setup_sqlite

T = TypeVar("T")
Operation = Callable[..., Coroutine[Any, Any, T]]

WORKERS = 4
"""Threads per store: readers never wait in WAL mode, a writer may wait out another's lock;
every thread holds a connection (its page cache) and a malloc arena, so they are few."""


class _SyncConnection:
    """The part of AsyncConnection the store's operations use, over a sync connection."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        return self._conn.execute(statement, parameters)


def _run_to_end(operation: Coroutine[Any, Any, T]) -> T:
    try:
        operation.send(None)
    except StopIteration as done:
        return cast(T, done.value)
    operation.close()
    raise RuntimeError("a threaded store operation awaited something other than the database")


class ThreadedSqlite:
    """Runs ``operation(conn, *args)`` in a worker thread, in one transaction of its own."""

    def __init__(self, url: URL) -> None:
        self._engine: Engine = create_sync_engine(
            url.set(drivername="sqlite"),
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        setup_sqlite(self._engine)
        self._writer = self._engine.execution_options(sqlite_begin="IMMEDIATE")
        self._threads = ThreadPoolExecutor(WORKERS, thread_name_prefix="store")

    async def read(self, operation: Operation[T], *args: Any) -> T:
        return await self._in_thread(self._read, operation, args)

    async def read_driver(self, read: Callable[..., T], *args: Any) -> T:
        """``read(sqlite3_connection, *args)`` in a BEGIN DEFERRED transaction of its own."""
        return await asyncio.get_running_loop().run_in_executor(
            self._threads, self._read_driver, read, args
        )

    async def write(self, operation: Operation[T], *args: Any) -> T:
        """In a BEGIN IMMEDIATE transaction, committed when the operation returns."""
        return await self._in_thread(self._write, operation, args)

    def close(self) -> None:
        self._threads.shutdown(wait=True)
        self._engine.dispose()

    async def _in_thread(
        self, run: Callable[[Operation[T], tuple[Any, ...]], T], operation: Operation[T], args: Any
    ) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, run, operation, args)

    def _read(self, operation: Operation[T], args: tuple[Any, ...]) -> T:
        with self._engine.connect() as conn:
            return _run_to_end(operation(cast(AsyncConnection, _SyncConnection(conn)), *args))

    def _read_driver(self, read: Callable[..., T], args: tuple[Any, ...]) -> T:
        pooled = self._engine.raw_connection()
        try:
            conn = pooled.driver_connection
            assert conn is not None, "a pooled connection has a driver connection"
            conn.execute("BEGIN DEFERRED")
            try:
                return read(conn, *args)
            finally:
                conn.execute("ROLLBACK")
        finally:
            pooled.close()

    def _write(self, operation: Operation[T], args: tuple[Any, ...]) -> T:
        with self._writer.begin() as conn:
            return _run_to_end(operation(cast(AsyncConnection, _SyncConnection(conn)), *args))
