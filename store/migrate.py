"""Programmatic alembic upgrades (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant for pg_advisory_xact_lock so concurrent replicas migrate one at a time.
_PG_LOCK_ID = 0x64657368  # "desh"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_ID})
    command.upgrade(alembic_config(connection), revision)


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (default: head).

    On SQLite the transaction starts with BEGIN IMMEDIATE (when the engine was set up by
    :class:`store.Store`), on PostgreSQL an advisory lock serialises concurrent migrators.
    """
    async with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        await conn.run_sync(_upgrade, revision)
