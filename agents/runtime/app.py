"""build_app: the agent's Starlette application, assembled from route factories."""

from __future__ import annotations

from a2a.server.request_handlers import RequestHandler
from a2a.server.routes import create_rest_routes
from a2a.types import AgentCard
from opentelemetry.trace import Tracer
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from agents.runtime.a2a_compat import jsonrpc_routes
from agents.runtime.auth import EdgeAuth, parse_keys
from agents.runtime.card_route import versioned_card_routes
from agents.runtime.health import Readiness, health_routes
from agents.runtime.limits import BodySizeLimit
from agents.runtime.media_types import JsonRpcContentType, RestMediaType
from agents.runtime.metrics import AgentMetrics, RequestTimer
from agents.runtime.tracing import HttpServerSpans
from protocol.cards import JSONRPC_PATH, REST_PATH, public_card


def build_app(
    *,
    agent: str,
    card: AgentCard,
    handler: RequestHandler,
    readiness: Readiness,
    max_payload_bytes: int,
    extra_routes: list[BaseRoute],
    metrics: AgentMetrics | None = None,
    tracer: Tracer | None = None,
    edge_auth: tuple[str, str] = ("off", ""),
    body_timeout_s: float | None = None,
) -> Starlette:
    public: list[BaseRoute] = [
        *versioned_card_routes(public_card(card), cache_control="public, max-age=60"),
        *health_routes(readiness, agent),
        *extra_routes,
    ]
    routes: list[BaseRoute] = [
        *public,
        # A2A 1.0 and 0.3 side by side on the same URLs (the card lists both versions)
        *jsonrpc_routes(handler, JSONRPC_PATH),
        *create_rest_routes(handler, path_prefix=REST_PATH, enable_v0_3_compat=True),
    ]
    middleware = [
        Middleware(BodySizeLimit, max_bytes=max_payload_bytes, read_timeout_s=body_timeout_s)
    ]
    # observability: /metrics, request latency, HTTP SERVER spans
    if metrics is not None:
        public.append(metrics.route())
        routes.append(public[-1])
        middleware.insert(0, Middleware(RequestTimer, metrics=metrics))
    if tracer is not None:
        middleware.insert(0, Middleware(HttpServerSpans, tracer=tracer))
    mode, keys = edge_auth
    if mode != "off":  # guardrails: API key / bearer on all but the public routes (auth.py)
        public_paths = [path for route in public if (path := getattr(route, "path", None))]
        middleware.append(
            Middleware(EdgeAuth, mode=mode, keys=parse_keys(keys), public=public_paths)
        )
    # media types of the bindings (A2A 1.0 §9.1, §11.1): JSON-RPC takes JSON; REST answers in
    # the JSON type the client speaks (media_types.py)
    middleware.append(Middleware(JsonRpcContentType, path=JSONRPC_PATH))
    middleware.append(Middleware(RestMediaType, path_part=REST_PATH))
    return Starlette(routes=routes, middleware=middleware)
