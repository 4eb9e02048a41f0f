"""Discovery inside the mesh: cards in a NATS KV bucket, refreshed by a heartbeat, read by a watch.

Each agent instance writes ``<agent>.<instance>`` → a small envelope with its card and an expiry
time, and rewrites it every ``interval_s``. The bucket's own max age removes old revisions from
storage, but a watch is not told when a value ages out, so the Directory also drops every entry
whose expiry has passed: a killed instance leaves the directory within ``ttl_s`` on any NATS
server version. A clean shutdown deletes the key, which the watch sees at once.

Outages: while the NATS connection is down nothing can refresh a card, so the Directory keeps the
last known entries (``stale``) instead of letting them expire; on reconnect it starts a new watch,
and keeps expired entries one TTL longer so the instances' heartbeats can land first. It also
remembers the last card of every agent it has seen (``known_cards``): a specialist that is away
for a while is a fault to report, not a skill that no longer exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from a2a.types import AgentCard
from nats.aio.client import Client as NATS
from nats.js.api import KeyValueConfig, StorageType
from nats.js.kv import KeyValue

from protocol.cards import card_from_dict, card_to_dict
from protocol.errors import InvalidCardError
from protocol.jetstream_kv import open_kv

logger = logging.getLogger(__name__)

DEFAULT_BUCKET = "deskmesh_cards"
DEFAULT_TTL_S = 10.0


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One live agent in the directory: its card, instance and expiry."""

    agent: str
    instance: str
    card: AgentCard
    expires_at: float
    stale: bool = False
    """Kept through a NATS outage (or just after one) although it could not be refreshed."""

    def to_json(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "instance": self.instance,
            "expires_at": self.expires_at,
            "stale": self.stale,
            "card": card_to_dict(self.card),
        }


async def open_bucket(
    nc: NATS, bucket: str = DEFAULT_BUCKET, ttl_s: float = DEFAULT_TTL_S, *, replicas: int = 1
) -> KeyValue:
    """The cards bucket, created on first use (with ``replicas`` copies on a cluster)."""
    # Every revision older than a few TTLs is garbage; the directory enforces the TTL itself.
    config = KeyValueConfig(
        bucket=bucket,
        history=1,
        ttl=max(ttl_s * 6, 60.0),
        storage=StorageType.FILE,
        replicas=replicas,
    )
    return await open_kv(nc.jetstream(), config)


class CardHeartbeat:
    """Keeps one instance's card in the bucket while the instance lives.

    An async context manager: entering writes the card, a background task rewrites it every
    ``interval_s``, exiting stops the task and deletes the key.
    """

    def __init__(
        self,
        kv: KeyValue,
        *,
        agent: str,
        instance: str,
        card: AgentCard,
        ttl_s: float = DEFAULT_TTL_S,
        interval_s: float | None = None,
    ) -> None:
        self._kv = kv
        self._key = f"{agent}.{instance}"
        self._agent = agent
        self._instance = instance
        self._card = card
        self._ttl_s = ttl_s
        self._interval_s = interval_s if interval_s is not None else ttl_s / 4
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> CardHeartbeat:
        if self._task is not None:
            raise RuntimeError("CardHeartbeat is already running")
        await self.beat()
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Exception):
            await self._kv.delete(self._key)

    async def beat(self) -> None:
        entry = DirectoryEntry(self._agent, self._instance, self._card, time.time() + self._ttl_s)
        await self._kv.put(self._key, json.dumps(entry.to_json()).encode())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval_s)
            try:
                await self.beat()
            except Exception:
                logger.warning("card heartbeat for %s failed; retrying", self._key, exc_info=True)


RESYNC_BACKOFF_S = (0.2, 2.0)
"""First and largest wait between attempts to re-open the watch after a reconnect."""


class Directory:
    """The live cards of the mesh, kept current by a watch on the cards bucket.

    ``connection_lost()`` / ``connection_restored()`` are called by the owner of the NATS
    connection (its disconnected / reconnected callbacks).
    """

    def __init__(self, kv: KeyValue, *, ttl_s: float = DEFAULT_TTL_S) -> None:
        self._kv = kv
        self._ttl_s = ttl_s
        self._entries: dict[str, DirectoryEntry] = {}
        self._known: dict[str, AgentCard] = {}
        self._task: asyncio.Task[None] | None = None
        self._resync: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._changed = asyncio.Condition()
        self._connected = True
        self._hold_until = 0.0
        """Until then, expired entries stay (marked stale): math.inf while disconnected."""

    async def __aenter__(self) -> Directory:
        if self._task is not None:
            raise RuntimeError("Directory is already watching")
        watcher = await self._kv.watchall()
        self._task = asyncio.create_task(self._follow(watcher, self._ready))
        await self._ready.wait()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for task in (self._resync, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    @property
    def stale(self) -> bool:
        """True while the directory cannot see updates (NATS down, or just back)."""
        return not self._connected or self._hold_until > time.time()

    def connection_lost(self) -> None:
        if self._connected:
            logger.warning("directory: NATS connection lost; keeping the last known cards")
        self._connected = False
        self._hold_until = math.inf

    def connection_restored(self) -> None:
        self._connected = True
        if self._resync is None or self._resync.done():
            self._resync = asyncio.create_task(self._rewatch())

    def live(self, now: float | None = None) -> list[DirectoryEntry]:
        """Entries not yet expired (or kept through an outage), ordered by agent and instance."""
        now = time.time() if now is None else now
        held = now < self._hold_until
        entries: list[DirectoryEntry] = []
        for entry in self._entries.values():
            if entry.expires_at > now and self._connected:
                entries.append(entry)
            elif held:
                entries.append(dataclasses.replace(entry, stale=True))
        return sorted(entries, key=lambda e: (e.agent, e.instance))

    def cards(self) -> dict[str, AgentCard]:
        """One card per live agent name (any instance: replicas publish equal cards)."""
        return {entry.agent: entry.card for entry in self.live()}

    def card(self, agent: str) -> AgentCard | None:
        return self.cards().get(agent)

    def known_cards(self) -> dict[str, AgentCard]:
        """The last card seen of every agent, live or not: what the mesh is meant to offer."""
        return {**self._known, **self.cards()}

    async def wait_for(self, agents: set[str], timeout_s: float) -> None:
        """Wait until every agent in ``agents`` has a live card (TimeoutError otherwise)."""
        await self.wait_until(lambda d: agents <= set(d.cards()), timeout_s)

    async def wait_until(self, predicate: Callable[[Directory], bool], timeout_s: float) -> None:
        """Wait until ``predicate(self)`` holds after some update (TimeoutError otherwise).

        Updates are what the watch delivers; an entry expiring is not an update.
        """
        async with asyncio.timeout(timeout_s), self._changed:
            await self._changed.wait_for(lambda: predicate(self))

    async def _rewatch(self) -> None:
        """After a reconnect: a fresh watch (the server may have lost the old consumer)."""
        delay = RESYNC_BACKOFF_S[0]
        while True:
            try:
                watcher = await self._kv.watchall()
                break
            except Exception as e:  # noqa: BLE001 - JetStream may still be starting up
                logger.info("directory: watch not ready yet (%s); retrying", type(e).__name__)
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, RESYNC_BACKOFF_S[1])
        previous, ready = self._task, asyncio.Event()
        self._task = asyncio.create_task(self._follow(watcher, ready))
        if previous is not None:
            previous.cancel()
            await asyncio.gather(previous, return_exceptions=True)
        await ready.wait()
        # Instances rewrite their cards within a heartbeat of reconnecting; until then an
        # entry that expired during the outage still counts (stale), for one more TTL.
        self._hold_until = time.time() + self._ttl_s
        logger.warning("directory: watching again after reconnect (%d entries)", len(self._entries))
        async with self._changed:
            self._changed.notify_all()

    async def _follow(self, watcher: Any, ready: asyncio.Event) -> None:
        try:
            async for entry in watcher:
                if entry is None:  # end of the initial values
                    ready.set()
                    continue
                self._apply(entry)
                async with self._changed:
                    self._changed.notify_all()
        finally:
            ready.set()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2.0):
                    await watcher.stop()

    def _apply(self, entry: Any) -> None:
        if entry.operation in ("DEL", "PURGE") or not entry.value:
            self._entries.pop(entry.key, None)
            return
        try:
            data = json.loads(entry.value)
            parsed = DirectoryEntry(
                agent=str(data["agent"]),
                instance=str(data["instance"]),
                card=card_from_dict(data["card"]),
                expires_at=float(data["expires_at"]),
            )
        except (KeyError, TypeError, ValueError, InvalidCardError):
            logger.warning("ignoring malformed directory entry %s", entry.key)
            return
        self._entries[entry.key] = parsed
        self._known[parsed.agent] = parsed.card
