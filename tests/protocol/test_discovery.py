"""Discovery: heartbeats keep cards live; expiry and deletion remove them; junk is ignored."""

from __future__ import annotations

import json
import time

from protocol.cards import CardSpec, SkillSpec, build_card
from protocol.discovery import CardHeartbeat, Directory, open_bucket
from tests.helpers import nats_connection

CARD = build_card(
    CardSpec(
        name="billing",
        description="billing",
        version="1",
        skills=(SkillSpec(id="get_payment_methods", name="P", description="d", tags=("r",)),),
    ),
    http_base_url="http://127.0.0.1:1",
    nats_interface_url="nats://127.0.0.1:4222/a2a.billing.rpc",
)


async def test_heartbeat_publishes_and_clean_exit_withdraws(nats_url: str, run_id: str) -> None:
    async with nats_connection(nats_url) as nc:
        kv = await open_bucket(nc, f"cards_d1_{run_id}", ttl_s=5)
        async with Directory(kv) as directory:
            async with CardHeartbeat(kv, agent="billing", instance="i1", card=CARD, ttl_s=5):
                await directory.wait_for({"billing"}, timeout_s=10)
                assert directory.card("billing") == CARD
                assert [e.instance for e in directory.live()] == ["i1"]
            await directory.wait_until(lambda d: not d.live(), timeout_s=10)
            assert directory.card("billing") is None


async def test_entry_without_heartbeat_expires(nats_url: str, run_id: str) -> None:
    async with nats_connection(nats_url) as nc:
        kv = await open_bucket(nc, f"cards_d2_{run_id}", ttl_s=5)
        async with Directory(kv) as directory:
            beat = CardHeartbeat(kv, agent="billing", instance="dead", card=CARD, ttl_s=1.0)
            await beat.beat()  # one beat, then silence: like a process killed with SIGKILL
            await directory.wait_for({"billing"}, timeout_s=10)
            (entry,) = directory.live()
            assert directory.live(now=entry.expires_at - 0.01) == [entry]
            assert directory.live(now=entry.expires_at + 0.01) == []
            assert entry.expires_at <= time.time() + 1.0


async def test_malformed_entries_are_ignored(nats_url: str, run_id: str) -> None:
    async with nats_connection(nats_url) as nc:
        kv = await open_bucket(nc, f"cards_d3_{run_id}", ttl_s=5)
        await kv.put("rogue.x", b"not json")
        await kv.put("rogue.y", json.dumps({"agent": "rogue", "instance": "y"}).encode())
        await kv.put(
            "rogue.z",
            json.dumps(
                {
                    "agent": "rogue",
                    "instance": "z",
                    "expires_at": time.time() + 60,
                    "card": {"name": "rogue"},
                }
            ).encode(),
        )
        async with Directory(kv) as directory:
            async with CardHeartbeat(kv, agent="billing", instance="ok", card=CARD, ttl_s=5):
                await directory.wait_for({"billing"}, timeout_s=10)
            assert "rogue" not in directory.cards()
