"""NatsA2AServer: serves an agent's A2A ``RequestHandler`` on its NATS subject.

The request body on NATS is the same JSON-RPC 2.0 document as on the HTTP JSON-RPC binding, so the
server hands it to the SDK's own ``JsonRpcDispatcher`` (the object behind the HTTP route) through a
request object built from the NATS message. Parsing, method routing, version checks, parameter
validation and error mapping are therefore the very code the HTTP binding runs, which is what A2A
§5.1 asks of several bindings of one agent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterable, Callable, Mapping
from typing import Any

from a2a.server.request_handlers import RequestHandler
from a2a.server.request_handlers.response_helpers import build_error_response
from a2a.server.routes import DefaultServerCallContextBuilder, ServerCallContextBuilder
from a2a.server.routes.jsonrpc_dispatcher import JsonRpcDispatcher
from a2a.utils.errors import InvalidRequestError
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from opentelemetry.trace import SpanKind, Tracer
from sse_starlette.sse import EventSourceResponse
from starlette.requests import Request
from starlette.responses import Response

from protocol.binding import (
    DEFAULT_MAX_PAYLOAD_BYTES,
    STREAM_END_HEADER,
    STREAM_KEEPALIVE_HEADER,
    STREAM_SEQ_HEADER,
)
from protocol.principal import nats_principal
from protocol.request_body import BodyError, internal_error_body, parse_body, parse_error_body
from protocol.telemetry import (
    default_tracer,
    extract_trace_context,
    request_attributes,
    response_attributes,
    set_attributes,
)

logger = logging.getLogger(__name__)

PAYLOAD_TOO_LARGE = "Payload too large"


def _header_bytes(text: str) -> bytes:
    """HTTP header bytes of a NATS header (NATS allows any UTF-8; HTTP, Latin-1; surrounding
    whitespace is not part of an HTTP header value)."""
    text = text.strip(" \t")
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def _request_from_message(msg: Msg, path: str) -> Request:
    """A Starlette request carrying the NATS message's body and headers."""
    headers = [
        (_header_bytes(str(name).lower()), _header_bytes(str(value)))
        for name, value in (msg.headers or {}).items()
    ]
    headers.append((b"content-type", b"application/json"))
    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "scheme": "nats",
        "server": None,
        "client": None,
    }
    principal = nats_principal(msg.reply)
    if principal is not None:
        # read by the SDK's call-context builder: the task store scopes tasks to this owner
        scope["user"] = principal
    body_sent = False

    async def receive() -> dict[str, Any]:
        nonlocal body_sent
        if body_sent:
            return {"type": "http.disconnect"}
        body_sent = True
        return {"type": "http.request", "body": msg.data, "more_body": False}

    return Request(scope, receive)


def payload_too_large_body(request_id: Any = None) -> bytes:
    """The JSON-RPC error both bindings return for a body over the size limit."""
    error = build_error_response(request_id, InvalidRequestError(message=PAYLOAD_TOO_LARGE))
    return json.dumps(error).encode()


class NatsA2AServer:
    """Takes A2A JSON-RPC requests from a NATS subject and answers them.

    Every replica of an agent subscribes in the agent's queue group, so NATS gives each request to
    exactly one replica. Each request runs in its own task (at most ``max_concurrency`` at once),
    because nats-py delivers a subscription's messages one callback at a time.

    Unary methods answer on the message's reply subject. Streaming methods send ordered frames to
    the reply inbox as NATS requests; the caller acknowledges each frame, and a frame that nobody
    acknowledges (the caller stopped listening) ends the stream, closing the SDK's event generator
    so no work is left streaming into the void. A quiet stream sends a keepalive frame every
    ``keepalive_s`` so a departed caller is noticed even when the task has nothing to say.
    The task itself keeps running: A2A tasks outlive
    their callers' connections.

    Use as an async context manager. ``close()`` stops taking requests (drains the subscription),
    waits up to ``grace_s`` for in-flight requests, then cancels what is left.
    """

    def __init__(
        self,
        nc: NATS,
        handler: RequestHandler,
        *,
        subject: str,
        queue: str,
        context_builder: ServerCallContextBuilder | None = None,
        max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
        max_concurrency: int = 256,
        frame_ack_timeout_s: float = 10.0,
        keepalive_s: float = 5.0,
        grace_s: float = 10.0,
        tracer: Tracer | None = None,
        observe: Callable[[str, float], None] | None = None,
        dispatcher: JsonRpcDispatcher | None = None,
    ) -> None:
        # dispatcher: the one the HTTP route uses, so both bindings answer the same methods
        # (A2A 0.3 beside 1.0 included); by default a 1.0 dispatcher over ``handler``.
        # tracer: SERVER spans continuing the caller's ``traceparent``; observe(method, seconds)
        # is told how long each request took (metrics).
        self._tracer = tracer or default_tracer()
        self._observe = observe
        self._nc = nc
        self._subject = subject
        self._queue = queue
        self._dispatcher = dispatcher or JsonRpcDispatcher(
            handler, context_builder=context_builder or DefaultServerCallContextBuilder()
        )
        self._max_payload_bytes = max_payload_bytes
        self._slots = asyncio.Semaphore(max_concurrency)
        self._frame_ack_timeout_s = frame_ack_timeout_s
        self._keepalive_s = keepalive_s
        self._grace_s = grace_s
        self._subscription: Subscription | None = None
        self._intake_stopped = False
        self._in_flight: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False

    @property
    def subject(self) -> str:
        return self._subject

    @property
    def in_flight(self) -> int:
        """Requests being served right now."""
        return len(self._in_flight)

    async def wait_idle(self) -> None:
        """Return once no request is being served."""
        await self._idle.wait()

    async def __aenter__(self) -> NatsA2AServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        if self._subscription is not None or self._closed:
            raise RuntimeError("NatsA2AServer can be started once")
        self._subscription = await self._nc.subscribe(
            self._subject, queue=self._queue, cb=self._on_message, pending_msgs_limit=-1
        )
        await self._nc.flush()

    async def stop_intake(self) -> None:
        """Stop taking requests: drain the subscription (requests NATS already delivered to
        this replica are still served; new ones go to the other members of the queue group)."""
        if self._subscription is None or self._intake_stopped:
            return
        self._intake_stopped = True
        if not self._nc.is_closed:
            with contextlib.suppress(Exception):
                await self._subscription.drain()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.stop_intake()
        if self._in_flight:
            _, pending = await asyncio.wait(set(self._in_flight), timeout=self._grace_s)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _on_message(self, msg: Msg) -> None:
        task = asyncio.create_task(self._serve(msg))
        self._in_flight.add(task)
        self._idle.clear()
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        if not self._in_flight:
            self._idle.set()

    async def _serve(self, msg: Msg) -> None:
        async with self._slots:
            try:
                await self._answer(msg)
            except Exception:
                # The dispatcher turns request errors into JSON-RPC errors; what lands here is
                # anything else (a carrier failure, a bug on this side). The caller still gets
                # an answer instead of waiting out its timeout.
                logger.exception("NATS A2A request on %s could not be answered", self._subject)
                if msg.reply:
                    with contextlib.suppress(Exception):
                        await self._nc.publish(msg.reply, internal_error_body())

    async def _answer(self, msg: Msg) -> None:
        if not msg.reply:
            logger.warning("dropping A2A request on %s without a reply subject", self._subject)
            return
        if len(msg.data) > self._max_payload_bytes:
            await self._nc.publish(msg.reply, payload_too_large_body())
            return
        try:
            document = parse_body(msg.data)
        except BodyError as e:
            await self._nc.publish(msg.reply, parse_error_body(str(e)))
            return
        started = time.perf_counter()
        attributes = request_attributes(document)
        method = attributes.get("a2a.method", "invalid")
        with self._tracer.start_as_current_span(
            f"nats {method}",
            context=extract_trace_context(msg.headers),
            kind=SpanKind.SERVER,
            attributes={**attributes, "a2a.binding": "nats", "messaging.destination": msg.subject},
        ) as span:
            response = await self._dispatcher.handle_requests(_request_from_message(msg, "/"))
            if isinstance(response, EventSourceResponse):
                await self._stream(msg.reply, response.body_iterator)
            else:
                body = _response_body(response)
                set_attributes(span, response_attributes(_json_or_none(body)))
                await self._nc.publish(msg.reply, body)
        if self._observe is not None:
            self._observe(method, time.perf_counter() - started)

    async def _stream(self, inbox: str, frames: AsyncIterable[Any]) -> None:
        # A producer task reads the SDK's event stream so that this loop can send keepalive
        # frames while the task is quiet: an unacknowledged keepalive reveals a caller that left.
        queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=64)

        async def produce() -> None:
            try:
                async for frame in frames:
                    await queue.put(_frame_data(frame))
            finally:
                await queue.put(None)

        producer = asyncio.create_task(produce())
        seq = 0
        try:
            while True:
                try:
                    data = await asyncio.wait_for(queue.get(), self._keepalive_s)
                except TimeoutError:
                    if not await self._send_frame(inbox, b"", {STREAM_KEEPALIVE_HEADER: "1"}):
                        return
                    continue
                if data is None:
                    break
                seq += 1
                if not await self._send_frame(inbox, data.encode(), {STREAM_SEQ_HEADER: str(seq)}):
                    return
            await self._nc.publish(inbox, b"", headers={STREAM_END_HEADER: str(seq)})
        finally:
            producer.cancel()
            await asyncio.gather(producer, return_exceptions=True)
            aclose = getattr(frames, "aclose", None)
            if aclose is not None:
                await aclose()

    async def _send_frame(self, inbox: str, body: bytes, headers: dict[str, str]) -> bool:
        """Send one frame and wait for the caller's acknowledgement; False if none came."""
        try:
            await self._nc.request(inbox, body, timeout=self._frame_ack_timeout_s, headers=headers)
        except (NoRespondersError, NatsTimeoutError):
            logger.info("stream caller on %s went away", inbox)
            return False
        return True


def _json_or_none(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


def _response_body(response: Response) -> bytes:
    body = response.body
    return bytes(body) if not isinstance(body, bytes) else body


def _frame_data(frame: Any) -> str:
    """The JSON text of one SSE item produced by the JSON-RPC dispatcher."""
    if isinstance(frame, Mapping):
        return str(frame["data"])
    return str(frame)
