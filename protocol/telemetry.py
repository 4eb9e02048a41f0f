"""Trace context on the bindings: W3C ``traceparent``/``tracestate`` headers and span attributes.

The binding code uses only the OpenTelemetry API. Without a configured tracer every span is a
no-op that still carries the caller's context, so nothing here costs anything when tracing is off.
Attribute names: ``a2a.method``, ``a2a.task_id``, ``a2a.context_id``, ``a2a.state``,
``deskmesh.ticket_id``, ``deskmesh.step``, ``deskmesh.skill``.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from protocol.parts import SKILL_CALL_MEDIA_TYPE, TICKET_METADATA_KEY

TRACE_HEADERS = ("traceparent", "tracestate")
_PROPAGATOR = TraceContextTextMapPropagator()


def default_tracer() -> Tracer:
    """The global tracer (a no-op unless the process configured a global provider)."""
    return trace.get_tracer("deskmesh.protocol")


def inject_trace_headers(headers: MutableMapping[str, str], context: Context | None = None) -> None:
    """Write the current (or given) trace context into ``headers``."""
    _PROPAGATOR.inject(headers, context=context)


def extract_trace_context(headers: Mapping[str, str] | None) -> Context:
    """The trace context a caller sent (header names are case-insensitive)."""
    lowered = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in TRACE_HEADERS}
    return _PROPAGATOR.extract(lowered)


def request_attributes(payload: Any) -> dict[str, str]:
    """Span attributes of a JSON-RPC request document (method, ids, ticket, skill)."""
    if not isinstance(payload, Mapping):
        return {}
    attributes: dict[str, str] = {}
    if isinstance(payload.get("method"), str):
        attributes["a2a.method"] = payload["method"]
    params = payload.get("params")
    if not isinstance(params, Mapping):
        return attributes
    if isinstance(params.get("id"), str):
        attributes["a2a.task_id"] = params["id"]
    message = params.get("message")
    if not isinstance(message, Mapping):
        return attributes
    for key, name in (("taskId", "a2a.task_id"), ("contextId", "a2a.context_id")):
        if isinstance(message.get(key), str) and message[key]:
            attributes[name] = message[key]
    metadata = message.get("metadata")
    ticket = metadata.get(TICKET_METADATA_KEY) if isinstance(metadata, Mapping) else None
    if isinstance(ticket, Mapping):
        if ticket.get("ticket_id"):
            attributes["deskmesh.ticket_id"] = str(ticket["ticket_id"])
        if ticket.get("step"):
            attributes["deskmesh.step"] = str(ticket["step"])
    parts = message.get("parts")
    for part in parts if isinstance(parts, list) else ():
        if isinstance(part, Mapping) and part.get("mediaType") == SKILL_CALL_MEDIA_TYPE:
            data = part.get("data")
            if isinstance(data, Mapping) and isinstance(data.get("skill"), str):
                attributes["deskmesh.skill"] = data["skill"]
    return attributes


def response_attributes(document: Any) -> dict[str, str]:
    """Span attributes of a JSON-RPC response document (the task it names, its state)."""
    if not isinstance(document, Mapping):
        return {}
    if isinstance(document.get("error"), Mapping):
        return {"a2a.error_code": str(document["error"].get("code"))}
    result = document.get("result")
    if not isinstance(result, Mapping):
        return {}
    nested = result.get("task")
    task: Mapping[str, Any] = nested if isinstance(nested, Mapping) else result
    attributes: dict[str, str] = {}
    if isinstance(task.get("id"), str):
        attributes["a2a.task_id"] = task["id"]
    if isinstance(task.get("contextId"), str):
        attributes["a2a.context_id"] = task["contextId"]
    status = task.get("status")
    if isinstance(status, Mapping) and isinstance(status.get("state"), str):
        attributes["a2a.state"] = status["state"].removeprefix("TASK_STATE_").lower()
    return attributes


def set_attributes(span: Span, attributes: Mapping[str, str]) -> None:
    if span.is_recording():
        span.set_attributes(dict(attributes))
