"""Migrations: upgrade to head is idempotent and creates every table of the ORM metadata."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from store import Store, migrate
from store.migrate import alembic_config
from store.schema import Base


async def test_migrate_is_idempotent_and_complete(store: Store) -> None:
    await migrate(store.engine)  # second upgrade: a no-op
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    async with store.engine.connect() as conn:
        version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert version == head
    assert set(Base.metadata.tables) <= tables


async def test_demo_seed_round_trip(store: Store, demo_data: dict) -> None:
    await store.reset(demo_data)
    assert await store.export() == demo_data
    ava = await store.find_user_by_email(demo_data["users"]["ava_moreno_1001"]["email"])
    assert ava is not None and ava["user_id"] == "ava_moreno_1001"
    orders = await store.list_orders("ava_moreno_1001")
    assert [o["status"] for o in orders] == ["pending", "delivered", "processed"]
    liam = await store.list_orders("liam_chen_1002")
    assert sum(o["status"] == "pending" for o in liam) >= 3
    product = await store.get_product(orders[0]["items"][0]["product_id"])
    assert product is not None and product in await store.list_products()
    assert await store.get_order("#W0000000") is None and await store.get_user("nobody") is None
