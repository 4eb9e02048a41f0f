"""Replay ledgers: (capability jti, plan step) → the one request that step may authorise.

The same step may repeat the same request (a retry, which the store's idempotency key makes a
no-op); a different request under a used (jti, step) is a replay. ``KvReplayLedger`` keeps the
ledger in a JetStream key-value bucket, so every replica of an agent sees the same entries (the
first writer of a key wins, atomically, by ``create``); ``MemoryReplayLedger`` is the in-process
form for a single instance and for tests. Entries outlive their capability (bucket TTL).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from datetime import datetime
from typing import Protocol

from nats.aio.client import Client as NATS
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from protocol.capabilities import CapabilityError
from protocol.jetstream_kv import check_replicas, open_kv

DEFAULT_LEDGER_BUCKET = "deskmesh_capability_ledger"


def _replayed() -> CapabilityError:
    return CapabilityError(
        "this capability already authorised a different request for this step",
        "capability_replayed",
    )


class ReplayLedger(Protocol):
    async def record(self, jti: str, step: str, fingerprint: str, expires_at: datetime) -> None:
        """Accept the first request of (jti, step) and its repeats; raise on another."""


class MemoryReplayLedger:
    """In memory, bounded, entries dropped after their capability expires."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self._seen: OrderedDict[tuple[str, str], tuple[str, float]] = OrderedDict()
        self._max = max_entries

    async def record(self, jti: str, step: str, fingerprint: str, expires_at: datetime) -> None:
        key = (jti, step)
        seen = self._seen.get(key)
        if seen is not None and seen[0] != fingerprint:
            raise _replayed()
        self._seen[key] = (fingerprint, expires_at.timestamp())
        self._seen.move_to_end(key)
        self._prune()

    def _prune(self) -> None:
        now = time.time()
        while self._seen:
            key, (_, expiry) = next(iter(self._seen.items()))
            if expiry >= now and len(self._seen) <= self._max:
                break
            del self._seen[key]


class KvReplayLedger:
    """The ledger in a JetStream KV bucket shared by every replica (opened on first use)."""

    def __init__(
        self,
        nc: NATS,
        bucket: str = DEFAULT_LEDGER_BUCKET,
        *,
        namespace: str = "mesh",
        ttl_s: float = 600.0,
        replicas: int = 1,
    ) -> None:
        # namespace: the agent, whose replicas share its keys (broker users may write only
        # their own agent's keys, deskmesh/nats_policy.toml)
        self._nc = nc
        self._namespace = namespace
        self._bucket = bucket
        self._ttl_s = ttl_s
        self._replicas = check_replicas(replicas)
        self._kv: KeyValue | None = None
        self._opening = asyncio.Lock()

    async def record(self, jti: str, step: str, fingerprint: str, expires_at: datetime) -> None:
        kv = await self._open()
        key = f"{self._namespace}.{hashlib.sha256(f'{jti}|{step}'.encode()).hexdigest()}"
        try:
            await kv.create(key, fingerprint.encode())
            return
        except KeyWrongLastSequenceError:
            pass  # another request (here or on another replica) used this step first
        entry = await kv.get(key)
        if entry.value is None or entry.value.decode() != fingerprint:
            raise _replayed()

    async def _open(self) -> KeyValue:
        async with self._opening:
            if self._kv is None:
                config = KeyValueConfig(
                    bucket=self._bucket,
                    history=1,
                    ttl=self._ttl_s,
                    storage=StorageType.FILE,
                    replicas=self._replicas,
                )
                self._kv = await open_kv(self._nc.jetstream(), config)
            return self._kv
