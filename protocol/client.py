"""NatsTransport: an a2a-sdk ``ClientTransport`` that carries A2A JSON-RPC over NATS.

The request and response documents are exactly those of the JSON-RPC binding, so the transport
reuses the SDK's ``JsonRpcTransport`` for building requests, parsing results and mapping JSON-RPC
error codes to A2A errors, and replaces only the carrier: NATS request/reply for unary methods and
an acknowledged frame stream on a private inbox for streaming ones (see ``docs/nats-binding.md``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator
from typing import Any

import httpx
from a2a.client import ClientCallContext, ClientConfig, ClientFactory
from a2a.client.errors import A2AClientError, A2AClientTimeoutError
from a2a.client.transports.jsonrpc import JsonRpcTransport
from a2a.types import AgentCard, StreamResponse
from a2a.utils.proto_utils import parse_lenient
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from opentelemetry.trace import SpanKind, Tracer

from protocol.binding import (
    NATS_BINDING_URI,
    PROTOCOL_VERSION,
    STREAM_END_HEADER,
    STREAM_KEEPALIVE_HEADER,
    STREAM_SEQ_HEADER,
    VERSION_HEADER,
    subject_from_interface_url,
)
from protocol.telemetry import (
    default_tracer,
    inject_trace_headers,
    request_attributes,
    response_attributes,
    set_attributes,
)

_NO_RESPONDERS_STATUS = "503"


class NatsTransport(JsonRpcTransport):
    """Client side of the NATS binding for one agent interface.

    ``timeout_s`` bounds a unary call and the wait for each stream frame unless the call's
    ``ClientCallContext.timeout`` says otherwise. The NATS connection belongs to the caller and is
    not closed by ``close()``.
    """

    def __init__(
        self,
        nc: NATS,
        agent_card: AgentCard,
        url: str,
        *,
        timeout_s: float = 60.0,
        tracer: Tracer | None = None,
    ) -> None:
        # The parent's HTTP client is never used: every carrier method is overridden below.
        self.url = url
        self.agent_card = agent_card
        self.httpx_client = None  # type: ignore[assignment]
        self.is_shared_httpx = True
        self._nc = nc
        self._subject = subject_from_interface_url(url)
        self._timeout_s = timeout_s
        self._tracer = tracer or default_tracer()

    async def close(self) -> None:
        """Nothing to release: the NATS connection is shared and owned by the caller."""

    def _headers(self, context: ClientCallContext | None) -> dict[str, str]:
        headers = {VERSION_HEADER: PROTOCOL_VERSION}
        if context is not None and context.service_parameters:
            headers.update({k: str(v) for k, v in context.service_parameters.items()})
        inject_trace_headers(headers)
        return headers

    def _span(self, payload: dict[str, Any]) -> Any:
        """The CLIENT span of one call; its context travels in the request's headers."""
        attributes = request_attributes(payload)
        return self._tracer.start_as_current_span(
            f"call {self.agent_card.name} {attributes.get('a2a.method', '')}".rstrip(),
            kind=SpanKind.CLIENT,
            attributes={
                **attributes,
                "a2a.binding": "nats",
                "deskmesh.target": self.agent_card.name,
                "messaging.destination": self._subject,
            },
        )

    def _timeout(self, context: ClientCallContext | None) -> float:
        if context is not None and context.timeout is not None:
            return float(context.timeout)
        return self._timeout_s

    async def _send_request(
        self, payload: dict[str, Any], context: ClientCallContext | None = None
    ) -> dict[str, Any]:
        if self._nc.is_closed:
            raise A2AClientError("NATS connection is closed")
        with self._span(payload) as span:
            try:
                msg = await self._nc.request(
                    self._subject,
                    json.dumps(payload).encode(),
                    timeout=self._timeout(context),
                    headers=self._headers(context),
                )
            except NoRespondersError as e:
                raise A2AClientError(f"no agent is serving {self._subject}") from e
            except NatsTimeoutError as e:
                raise A2AClientTimeoutError(f"request on {self._subject} timed out") from e
            document = _decode(msg.data)
            set_attributes(span, response_attributes(document))
            return self._check_jsonrpc_response(document)

    async def _send_stream_request(
        self, rpc_request_payload: dict[str, Any], context: ClientCallContext | None = None
    ) -> AsyncGenerator[StreamResponse]:
        if self._nc.is_closed:
            raise A2AClientError("NATS connection is closed")
        frames: asyncio.Queue[Msg] = asyncio.Queue()

        async def on_frame(msg: Msg) -> None:
            await frames.put(msg)
            if msg.reply:
                await self._nc.publish(msg.reply, b"")

        inbox = self._nc.new_inbox()
        subscription = await self._nc.subscribe(inbox, cb=on_frame, pending_msgs_limit=-1)
        # The span covers sending the request; the frames arrive as the caller iterates.
        with self._span(rpc_request_payload):
            headers = self._headers(context)
        try:
            await self._nc.publish(
                self._subject,
                json.dumps(rpc_request_payload).encode(),
                reply=inbox,
                headers=headers,
            )
            expected_seq = 1
            while True:
                try:
                    msg = await asyncio.wait_for(frames.get(), self._timeout(context))
                except TimeoutError as e:
                    raise A2AClientTimeoutError(f"stream on {self._subject} timed out") from e
                headers = msg.headers or {}
                if headers.get("Status") == _NO_RESPONDERS_STATUS:
                    raise A2AClientError(f"no agent is serving {self._subject}")
                if STREAM_END_HEADER in headers:
                    return
                if STREAM_KEEPALIVE_HEADER in headers:
                    continue
                seq = headers.get(STREAM_SEQ_HEADER)
                if seq is not None and int(seq) != expected_seq:
                    raise A2AClientError(
                        f"stream on {self._subject} lost frames: got {seq}, expected {expected_seq}"
                    )
                expected_seq += 1
                response = self._check_jsonrpc_response(_decode(msg.data))
                yield parse_lenient(response["result"], StreamResponse())
        finally:
            with contextlib.suppress(Exception):
                await subscription.unsubscribe()


def _decode(data: bytes) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as e:
        raise A2AClientError(f"invalid JSON-RPC response over NATS: {e}") from e


def create_client_factory(
    nc: NATS | None,
    *,
    httpx_client: httpx.AsyncClient,
    streaming: bool = True,
    timeout_s: float = 60.0,
    tracer: Tracer | None = None,
) -> ClientFactory:
    """A ClientFactory that prefers the NATS interface of a card and falls back to HTTP.

    Without a NATS connection (``nc=None``, the situation of a third-party agent) only the
    HTTP bindings are offered, and cards are served through their JSON-RPC interface.
    """
    bindings = ["JSONRPC", "HTTP+JSON"]
    if nc is not None:
        bindings.insert(0, NATS_BINDING_URI)
    factory = ClientFactory(
        ClientConfig(
            streaming=streaming,
            httpx_client=httpx_client,
            supported_protocol_bindings=bindings,
            use_client_preference=True,
        )
    )
    if nc is not None:

        def produce(card: AgentCard, url: str, _config: ClientConfig) -> NatsTransport:
            return NatsTransport(nc, card, url, timeout_s=timeout_s, tracer=tracer)

        factory.register(NATS_BINDING_URI, produce)
    return factory
