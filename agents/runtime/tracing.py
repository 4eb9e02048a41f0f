"""Tracing of one agent process: its tracer, its exporter, and the spans the runtime adds.

Each AgentService owns a private ``TracerProvider`` (not the global one, so several in-process
agents keep their own service names and the a2a-sdk's fine-grained internal spans stay no-ops).
Export: OTLP over HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``…_TRACES_ENDPOINT``) is set,
otherwise JSON lines in ``<var_dir>/traces/<agent>.jsonl`` that ``deskmesh trace`` reads.

Spans of a ticket: the HTTP or NATS SERVER span of each request (``traceparent`` continues the
caller's trace), an INTERNAL ``task`` span around the executor with the ticket, task and context
ids, and a CLIENT span for each delegation.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.types import Task, TaskState, TaskStatusUpdateEvent
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import SpanKind, Tracer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agents.runtime.log_setup import log_ids
from agents.runtime.metrics import AgentMetrics
from protocol.parts import find_skill_call, read_ticket
from protocol.telemetry import extract_trace_context, inject_trace_headers

logger = logging.getLogger(__name__)

TRACES_DIR = "traces"


class JsonLinesSpanExporter(SpanExporter):
    """Appends one JSON object per finished span to a file (replicas may share the file)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = "".join(json.dumps(span_record(s), ensure_ascii=False) + "\n" for s in spans)
        with self._lock, self._path.open("a", encoding="utf-8") as f:
            f.write(lines)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        """Nothing is held open between exports."""


def span_record(span: ReadableSpan) -> dict[str, Any]:
    context = span.get_span_context()
    parent = span.parent
    return {
        "trace_id": format(context.trace_id, "032x"),
        "span_id": format(context.span_id, "016x"),
        "parent_id": format(parent.span_id, "016x") if parent is not None else None,
        "name": span.name,
        "kind": span.kind.name.lower(),
        "service": span.resource.attributes.get("service.name"),
        "instance": span.resource.attributes.get("service.instance.id"),
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "status": span.status.status_code.name.lower(),
        "attributes": dict(span.attributes or {}),
    }


class AgentTracing:
    """The tracer of one agent instance; ``shutdown()`` flushes what is left."""

    def __init__(
        self,
        agent: str,
        instance: str,
        version: str,
        var_dir: Path,
        mode: str = "auto",
        *,
        otlp_configured: bool = False,
    ) -> None:
        """``otlp_configured``: an OTLP endpoint is set (``AgentSettings.otlp_endpoint``)."""
        resource = Resource.create(
            {
                "service.name": agent,
                "service.namespace": "deskmesh",
                "service.instance.id": instance,
                "service.version": version,
            }
        )
        self.provider = TracerProvider(resource=resource)
        self.file: Path | None = None
        if mode == "otlp" or (mode == "auto" and otlp_configured):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            self.provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        elif mode in ("auto", "file"):
            self.file = var_dir / TRACES_DIR / f"{agent}.jsonl"
            # Batched: a file write per span on the event loop would cost every hop milliseconds.
            exporter = JsonLinesSpanExporter(self.file)
            self.provider.add_span_processor(
                BatchSpanProcessor(exporter, schedule_delay_millis=500)
            )
        self.tracer: Tracer = self.provider.get_tracer("deskmesh", version)

    async def shutdown(self) -> None:
        self.provider.shutdown()


async def inject_into_http_request(request: httpx.Request) -> None:
    """httpx request hook: outgoing HTTP calls carry the current trace context."""
    headers: dict[str, str] = {}
    inject_trace_headers(headers)
    request.headers.update(headers)


class HttpServerSpans:
    """ASGI middleware: a SERVER span per A2A HTTP request, continuing the caller's trace."""

    def __init__(self, app: ASGIApp, *, tracer: Tracer) -> None:
        self._app = app
        self._tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/a2a/"):
            await self._app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope.get("method", "")
        with self._tracer.start_as_current_span(
            f"{method} {path}",
            context=extract_trace_context(headers),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": path},
        ) as span:

            async def traced_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                await send(message)

            await self._app(scope, receive, traced_send)


_STATE_NAMES = {
    value: name.removeprefix("TASK_STATE_").lower().replace("_", "-")
    for name, value in TaskState.items()
}


class _StateWatch:
    """An EventQueue stand-in that remembers the last task state the executor announced."""

    def __init__(self, queue: EventQueue) -> None:
        self._queue = queue
        self.state = "unknown"

    async def enqueue_event(self, event: Any) -> None:
        if isinstance(event, TaskStatusUpdateEvent):
            self.state = _STATE_NAMES.get(event.status.state, "unknown")
        elif isinstance(event, Task):
            self.state = _STATE_NAMES.get(event.status.state, "unknown")
        await self._queue.enqueue_event(event)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._queue, name)


class ObservedExecutor(AgentExecutor):
    """Wraps an agent's executor: a ``task`` span, log ids, task metrics."""

    def __init__(
        self,
        inner: AgentExecutor,
        *,
        agent: str,
        tracer: Tracer,
        metrics: AgentMetrics,
        default_skill: str,
    ) -> None:
        self._inner = inner
        self._agent = agent
        self._tracer = tracer
        self._metrics = metrics
        self._default_skill = default_skill

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        task_id = task.id if task is not None else context.task_id
        context_id = task.context_id if task is not None else context.context_id
        message = context.message
        try:
            call = find_skill_call(message) if message is not None else None
        except ValueError:
            call = None  # malformed: the executor refuses it with the reason
        ticket = read_ticket(message) if message is not None else None
        skill = call.skill if call is not None else self._default_skill
        ticket_id = ticket.ticket_id if ticket is not None else task_id
        attributes = {
            "a2a.task_id": task_id or "",
            "a2a.context_id": context_id or "",
            "deskmesh.ticket_id": ticket_id or "",
            "deskmesh.agent": self._agent,
            "deskmesh.skill": skill,
        }
        if ticket is not None:
            attributes["deskmesh.step"] = ticket.step
        watch = _StateWatch(event_queue)
        gauge = self._metrics.in_flight.labels(self._agent)
        gauge.inc()
        started = time.perf_counter()
        try:
            with (
                log_ids(ticket_id=ticket_id, task_id=task_id, context_id=context_id),
                self._tracer.start_as_current_span(
                    f"task {self._agent}.{skill}", attributes=attributes
                ) as span,
            ):
                try:
                    await self._inner.execute(context, watch)  # type: ignore[arg-type]
                finally:
                    span.set_attribute("a2a.state", watch.state)
        finally:
            gauge.dec()
            seconds = time.perf_counter() - started
            self._metrics.task_finished(skill, watch.state, seconds)
            with log_ids(ticket_id=ticket_id, task_id=task_id, context_id=context_id):
                logger.info(
                    "task %s.%s %s in %.1f ms", self._agent, skill, watch.state, seconds * 1000
                )

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        await self._inner.cancel(context, event_queue)
