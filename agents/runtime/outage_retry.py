"""Retrying JetStream calls through a NATS outage, within a time window (docs/faults.md).

A NATS restart looks like this to a client: the connection drops, requests in flight get no
reply (``TimeoutError``), the client reconnects, and for a moment JetStream answers "no
responders" or 503 while it loads its streams. Each of those is *transient*: the same call a
little later succeeds. ``OutageRetry`` says how long to keep trying; ``Attempts`` is one call's
clock: it waits for the connection to come back, spaces attempts with exponential backoff and
full jitter, and gives up with ``TaskStoreUnavailableError`` when the window is spent.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import nats.errors
import nats.js.errors
from nats.aio.client import Client as NATS

from domain.errors import DeskmeshError

JETSTREAM_NOT_READY = (10039, 10076)
"""JetStream "not enabled (for account)": what a restarting server may answer before it loads."""
TRANSIENT_ERRORS = (
    TimeoutError,  # nats.errors.TimeoutError derives from it: the reply did not come
    nats.errors.NoRespondersError,
    nats.js.errors.NoStreamResponseError,
    nats.js.errors.ServiceUnavailableError,
    nats.errors.OutboundBufferLimitError,
    nats.errors.StaleConnectionError,
    nats.errors.ConnectionReconnectingError,
)


class TaskStoreUnavailableError(DeskmeshError):
    """NATS (or its JetStream) did not come back within the store's retry window."""


def is_transient(error: BaseException) -> bool:
    """A failure that a NATS outage or restart causes and that a later attempt can outlive."""
    if isinstance(error, TRANSIENT_ERRORS):
        return True
    return isinstance(error, nats.js.errors.APIError) and error.err_code in JETSTREAM_NOT_READY


@dataclass(frozen=True, slots=True)
class OutageRetry:
    """How long and how often one store call is tried through an outage."""

    window_s: float = 20.0
    """Total time one read or write may take, outage included, before it fails."""
    attempt_timeout_s: float = 5.0
    """How long one attempt waits for its reply (JetStream's own default)."""
    first_backoff_s: float = 0.1
    max_backoff_s: float = 1.0

    def start(self, clock: Callable[[], float] = time.monotonic) -> Attempts:
        return Attempts(self, clock)


class Attempts:
    """The clock of one call: per-attempt timeouts and the pauses between attempts."""

    def __init__(self, policy: OutageRetry, clock: Callable[[], float]) -> None:
        self._policy = policy
        self._clock = clock
        self._deadline = clock() + policy.window_s
        self._backoff = policy.first_backoff_s
        self.retries = 0

    def timeout(self) -> float:
        """The reply timeout of the next attempt: never past the window's end."""
        return max(0.05, min(self._policy.attempt_timeout_s, self._deadline - self._clock()))

    async def until_connected(self, nc: NATS, what: str) -> None:
        """Return once ``nc`` is connected; pause (and count) while it is not."""
        while not nc.is_connected:
            if nc.is_closed:
                raise TaskStoreUnavailableError(f"{what}: the NATS connection is closed")
            await self.pause(what, None)

    async def pause(self, what: str, error: BaseException | None) -> None:
        """Wait before the next attempt, or raise if that would end past the window."""
        wait = self._backoff * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not crypto
        if self._clock() + wait > self._deadline:
            reason = f"{type(error).__name__}: {error}" if error is not None else "disconnected"
            raise TaskStoreUnavailableError(
                f"{what}: NATS did not answer within {self._policy.window_s:g} s ({reason})"
            ) from error
        self.retries += 1
        self._backoff = min(self._backoff * 2, self._policy.max_backoff_s)
        await asyncio.sleep(wait)
