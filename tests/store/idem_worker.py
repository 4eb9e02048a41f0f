"""Subprocess used by test_store_idempotency: N concurrent applies with one idempotency key.

Usage: python idem_worker.py URL SCHEMA|- ORDER_ID KEY N  → prints the results as JSON lines.
"""

from __future__ import annotations

import asyncio
import json
import sys

from store import Store, WriteContext


async def main(url: str, schema: str, order_id: str, key: str, count: int) -> None:
    store = await Store.open(url, schema=None if schema == "-" else schema)
    try:
        ctx = WriteContext(ticket_id="T-idem", idempotency_key=key)
        args = {"order_id": order_id, "reason": "no longer needed"}
        results = await asyncio.gather(
            *(store.apply("cancel_pending_order", args, ctx) for _ in range(count))
        )
        for result in results:
            print(json.dumps(result, sort_keys=True))
    finally:
        await store.close()


if __name__ == "__main__":
    url, schema, order_id, key, count = sys.argv[1:6]
    asyncio.run(main(url, schema, order_id, key, int(count)))
