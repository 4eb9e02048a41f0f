"""The customer read below SQLAlchemy (store/sqlite_reads.py) returns what fetch_customer does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store import Store
from store.queries import fetch_customer


async def _compare_every_user(store: Store, data: dict[str, Any]) -> None:
    threaded = store._threaded  # noqa: SLF001 - the path Store.get_customer takes on a file
    assert threaded is not None
    for user_id in [*data["users"], "no_such_user"]:
        direct = await store.get_customer(user_id)
        async with store.engine.connect() as conn:
            through_sqlalchemy = await fetch_customer(conn, user_id)
        assert direct == through_sqlalchemy, user_id
        if direct is not None and through_sqlalchemy is not None:
            assert list(direct.products) == list(through_sqlalchemy.products), user_id
            assert [o["order_id"] for o in direct.orders] == [
                o["order_id"] for o in through_sqlalchemy.orders
            ]


async def test_every_tau_customer_reads_the_same(tmp_path: Path, tau_data: dict[str, Any]) -> None:
    async with Store(f"sqlite+aiosqlite:///{tmp_path / 'tau.sqlite3'}") as store:
        await store.reset(tau_data)
        await _compare_every_user(store, tau_data)


async def test_demo_customers_after_writes_read_the_same(
    tmp_path: Path, demo_data: dict[str, Any]
) -> None:
    async with Store(f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}") as store:
        await store.reset(demo_data)
        user_id = next(iter(demo_data["users"]))
        address = {
            "address1": "1 Test St",
            "address2": "",
            "city": "Austin",
            "country": "USA",
            "state": "TX",
            "zip": "78701",
        }
        await store.apply("modify_user_address", {"user_id": user_id, **address})
        await _compare_every_user(store, demo_data)
