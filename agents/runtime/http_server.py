"""uvicorn settings of an agent's HTTP listener: read timeouts and a connection limit.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) and answers 503 beyond
``limit_concurrency`` connections or tasks, but it never times out a connection whose request
head is still incomplete: a slow client can hold a socket forever. ``timed_h11`` adds that
timeout (the request head must arrive within ``header_timeout_s`` of the connection or of the
first byte after a keep-alive pause); the body's read timeout lives in ``BodySizeLimit``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from agents.runtime.settings import AgentSettings


def timed_h11(header_timeout_s: float) -> type[H11Protocol]:
    """The h11 protocol of uvicorn with a deadline for each request head."""

    class TimedH11Protocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is h11.IDLE:
                self._arm()  # part of a request head: it has to complete in time
            else:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(header_timeout_s, self._head_timeout)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timeout(self) -> None:
            self._head_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

    return TimedH11Protocol


def uvicorn_config(app: Any, settings: AgentSettings) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        http=timed_h11(settings.http_header_timeout_s),
        log_level="warning",
        log_config=None,  # uvicorn logs through the root handler (JSON lines)
        lifespan="off",
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        timeout_keep_alive=int(settings.http_keep_alive_s),
        limit_concurrency=settings.http_max_connections,
        h11_max_incomplete_event_size=settings.http_max_head_bytes,
    )
