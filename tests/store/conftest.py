"""Fixtures of the store tests: a fresh store per test on SQLite (and PostgreSQL when
DESKMESH_TEST_POSTGRES_URL is set), the demo data and the τ-bench data (skipped if absent)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from store import Store, generate_demo, load_tau
from tests.conftest import DATASETS

PG_ENV = "DESKMESH_TEST_POSTGRES_URL"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def tau_dir() -> Path:
    path = DATASETS / "tau-bench-retail" / "v1"
    if not (path / "users.json").is_file():
        pytest.skip(f"τ-bench retail data not found at {path}")
    return path


@pytest.fixture(scope="session")
def tau_data() -> dict[str, Any]:
    return load_tau(tau_dir())


@pytest.fixture
def demo_data() -> dict[str, Any]:
    return generate_demo()


class Backend:
    """Creates stores on one backend; PostgreSQL stores live in a throw-away schema."""

    def __init__(self, name: str, tmp_path: Path) -> None:
        self.name = name
        self.tmp_path = tmp_path
        self.schema: str | None = None
        if name == "postgres":
            self.url = os.environ.get(PG_ENV, "")
            if not self.url:
                pytest.skip(f"{PG_ENV} not set")
            self.schema = f"t_{uuid.uuid4().hex[:16]}"
        else:
            self.url = f"sqlite+aiosqlite:///{tmp_path / 'store.sqlite3'}"

    async def open(self) -> Store:
        return await Store.open(self.url, schema=self.schema)

    async def drop(self) -> None:
        if self.schema is None:
            return
        engine = create_async_engine(self.url)
        try:
            async with engine.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        finally:
            await engine.dispose()


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    backend = Backend(request.param, tmp_path)
    yield backend
    await backend.drop()


@pytest.fixture
async def store(backend: Backend) -> AsyncIterator[Store]:
    opened = await backend.open()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def demo_store(store: Store, demo_data: dict[str, Any]) -> Store:
    await store.reset(demo_data)
    return store
