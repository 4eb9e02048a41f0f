"""AgentMetrics: the Prometheus metrics of one agent instance, served at ``/metrics``.

Every AgentService owns its own ``CollectorRegistry`` (several in-process agents in one test must
not share counters). Names follow Prometheus conventions; labels are bounded sets (agent, skill,
outcome, binding, method), never ids.
"""

from __future__ import annotations

import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METRICS_PATH = "/metrics"
A2A_METHODS = frozenset(
    {
        "SendMessage",
        "SendStreamingMessage",
        "GetTask",
        "ListTasks",
        "CancelTask",
        "SubscribeToTask",
        "GetExtendedAgentCard",
        "CreateTaskPushNotificationConfig",
        "GetTaskPushNotificationConfig",
        "ListTaskPushNotificationConfigs",
        "DeleteTaskPushNotificationConfig",
        "GET",
        "POST",
        "DELETE",
    }
)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class AgentMetrics:
    """The Prometheus metrics of one agent process (requests, delegations, guardrail trips)."""

    def __init__(self, agent: str) -> None:
        self.agent = agent
        self.registry = r = CollectorRegistry()
        self.tasks = Counter(
            "deskmesh_tasks",
            "A2A tasks this agent finished, by skill and outcome (final task state). For a "
            "specialist every task is one delegation it received.",
            ["agent", "skill", "outcome"],
            registry=r,
        )
        self.clarifications = Counter(
            "deskmesh_clarifications",
            "Tasks that stopped in input-required (a question to the caller), by skill.",
            ["agent", "skill"],
            registry=r,
        )
        self.in_flight = Gauge(
            "deskmesh_tasks_in_flight", "Tasks being executed right now.", ["agent"], registry=r
        )
        self.request_seconds = Histogram(
            "deskmesh_request_seconds",
            "Time to answer one A2A request, by binding (nats, jsonrpc, rest, other) and method.",
            ["agent", "binding", "method"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.task_seconds = Histogram(
            "deskmesh_task_seconds",
            "Time the executor spent on one task, by skill.",
            ["agent", "skill"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.nats_reconnects = Counter(
            "deskmesh_nats_reconnects", "Reconnections to NATS.", ["agent"], registry=r
        )
        self.nats_disconnects = Counter(
            "deskmesh_nats_disconnects", "Losses of the NATS connection.", ["agent"], registry=r
        )
        self.guardrail_trips = Counter(
            "deskmesh_guardrail_trips",
            "Guardrails that refused or rewrote something, by guardrail.",
            ["agent", "guardrail"],
            registry=r,
        )
        # --- faults (issue 14): every degraded ticket and every delegation retry is counted ---
        self.degraded_tickets = Counter(
            "deskmesh_degraded_tickets",
            "Tickets that met a fault, by reason (DEGRADED_REASONS): a step that could not run, "
            "a missing specialist, a stale directory, a retried delegation, an oversized ticket.",
            ["agent", "reason"],
            registry=r,
        )
        self.delegation_retries = Counter(
            "deskmesh_delegation_retries",
            "Delegations sent again after a transient failure, by target agent.",
            ["agent", "target"],
            registry=r,
        )
        self.in_flight.labels(self.agent).set(0)
        self.nats_reconnects.labels(self.agent)
        self.nats_disconnects.labels(self.agent)

    def task_finished(self, skill: str, outcome: str, seconds: float) -> None:
        self.tasks.labels(self.agent, skill, outcome).inc()
        self.task_seconds.labels(self.agent, skill).observe(seconds)
        if outcome == "input-required":
            self.clarifications.labels(self.agent, skill).inc()

    def request_done(self, binding: str, method: str, seconds: float) -> None:
        label = method if method in A2A_METHODS else "other"
        self.request_seconds.labels(self.agent, binding, label).observe(seconds)

    def guardrail_tripped(self, guardrail: str) -> None:
        self.guardrail_trips.labels(self.agent, guardrail).inc()

    def ticket_degraded(self, reason: str) -> None:
        self.degraded_tickets.labels(self.agent, reason).inc()

    def delegation_retried(self, target: str) -> None:
        self.delegation_retries.labels(self.agent, target).inc()

    def route(self) -> Route:
        async def metrics(_: Request) -> Response:
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

        return Route(METRICS_PATH, metrics)


def http_binding(path: str) -> str:
    if path.startswith("/a2a/jsonrpc"):
        return "jsonrpc"
    if path.startswith("/a2a/rest"):
        return "rest"
    return "other"


class RequestTimer:
    """ASGI middleware: the latency of every A2A HTTP request, by binding and HTTP method."""

    def __init__(self, app: ASGIApp, *, metrics: AgentMetrics) -> None:
        self._app = app
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/a2a/"):
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self._metrics.request_done(
                    http_binding(path), scope.get("method", ""), time.perf_counter() - started
                )

        await self._app(scope, receive, timed_send)
