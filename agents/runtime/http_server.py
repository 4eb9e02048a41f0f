"""uvicorn settings of an agent's HTTP listener: read timeouts and a connection limit.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) and answers 503 beyond
``limit_concurrency`` connections or tasks, but it never times out a connection whose request
head is still incomplete: a slow client can hold a socket forever. ``timed_h11`` adds that
timeout (the request head must arrive within ``header_timeout_s`` of the connection or of the
first byte after a keep-alive pause); the body's read timeout lives in ``BodySizeLimit``.

The head size limit: h11's ``max_incomplete_event_size`` only bounds a head that is still
incomplete, so a longer head that arrives in one read is parsed and served; and uvicorn answers
every request h11 refuses with 400, even the over-long head for which h11 suggests 431
(``error_status_hint``). ``timed_h11`` measures each request head itself as it arrives and
answers one longer than ``max_head_bytes`` with 431 "Request Header Fields Too Large" (a
malformed head stays 400).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import STATUS_PHRASES, H11Protocol

from agents.runtime.settings import AgentSettings

HEAD_TOO_LARGE = 431
HEAD_END = b"\r\n\r\n"


class RefusalAwareConnection(h11.Connection):
    """An h11 server connection that remembers the status h11 suggests for a refused request."""

    refusal_status = 400

    def next_event(self) -> Any:
        try:
            return super().next_event()
        except h11.RemoteProtocolError as e:
            self.refusal_status = e.error_status_hint
            raise


def refusal(status: int, text: str) -> bytes:
    """A complete response that refuses a request and closes the connection."""
    body = text.encode("ascii")
    return (
        f"HTTP/1.1 {status} {STATUS_PHRASES[status].decode()}\r\n"
        "content-type: text/plain; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode("ascii") + body


def timed_h11(header_timeout_s: float, max_head_bytes: int) -> type[H11Protocol]:
    """The h11 protocol of uvicorn with a deadline for each request head, answering an
    over-long head 431."""

    class TimedH11Protocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.conn = RefusalAwareConnection(h11.SERVER, max_incomplete_event_size=max_head_bytes)

        def send_400_response(self, msg: str) -> None:
            assert isinstance(self.conn, RefusalAwareConnection)
            if self.conn.refusal_status == HEAD_TOO_LARGE:
                self._refuse_head()
                return
            self.transport.write(refusal(self.conn.refusal_status, msg))
            self.transport.close()

        def _refuse_head(self) -> None:
            self._disarm()
            self.transport.write(
                refusal(HEAD_TOO_LARGE, f"Request head larger than {max_head_bytes} bytes.")
            )
            self.transport.close()

        def _head_too_long(self, data: bytes) -> bool:
            """Whether the request head being read, with ``data``, exceeds the limit."""
            if self.conn.their_state is not h11.IDLE:
                return False  # a body, or a response in progress: not a head
            buffered, _ = self.conn.trailing_data
            head = bytes(buffered) + data
            end = head.find(HEAD_END)
            return (end + len(HEAD_END) if end >= 0 else len(head)) > max_head_bytes

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self._head_too_long(data):
                self._refuse_head()
                return
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
        http=timed_h11(settings.http_header_timeout_s, settings.http_max_head_bytes),
        log_level="warning",
        log_config=None,  # uvicorn logs through the root handler (JSON lines)
        lifespan="off",
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        timeout_keep_alive=int(settings.http_keep_alive_s),
        limit_concurrency=settings.http_max_connections,
        h11_max_incomplete_event_size=settings.http_max_head_bytes,
    )
