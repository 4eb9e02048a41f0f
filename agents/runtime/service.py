"""AgentService: one agent instance — HTTP bindings, the NATS binding, its card in the directory.

Start-up order: bind the HTTP socket (so the card can name the real port), connect to NATS, open
the stores, build the card and the request handler, serve NATS, serve HTTP, publish the card.
Shutdown runs in reverse: withdraw the card, stop taking NATS requests and let in-flight ones
finish (grace period), stop HTTP, close the handler, the stores and the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import socket
from collections.abc import Generator
from typing import Any, Protocol

import httpx
import nats
import uvicorn
from a2a.types import AgentCard
from nats.aio.client import Client as NATS
from nats.js.kv import KeyValue
from starlette.applications import Starlette

from agents.runtime import sdk_queues
from agents.runtime.a2a_compat import compat_dispatcher
from agents.runtime.app import build_app
from agents.runtime.health import Readiness
from agents.runtime.http_server import uvicorn_config
from agents.runtime.log_setup import setup_logging
from agents.runtime.metrics import AgentMetrics
from agents.runtime.process_exit import exit_without_teardown
from agents.runtime.push import open_push_notifications
from agents.runtime.resources import AgentResources
from agents.runtime.settings import AgentSettings
from agents.runtime.shutdown import AbandonedStep, BoundedExitStack
from agents.runtime.spec import AgentSpec
from agents.runtime.task_access import MeshRequestHandler, task_owner
from agents.runtime.task_stores import open_task_store
from agents.runtime.tracing import AgentTracing, ObservedExecutor, inject_into_http_request
from protocol.binding import inbox_prefix, interface_url, queue_group, rpc_subject
from protocol.cards import build_card
from protocol.client import create_client_factory
from protocol.discovery import CardHeartbeat, Directory, open_bucket
from protocol.server import NatsA2AServer
from store import Store

logger = logging.getLogger(__name__)


class _EmbeddedUvicorn(uvicorn.Server):
    """uvicorn without its own signal handling: the AgentService owns shutdown."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def bind_socket(host: str, port: int) -> socket.socket:
    # proto must say TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only when
    # it does, and without it every HTTP response waits out the peer's delayed ACK (~40 ms).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


class ConnectionListener(Protocol):
    """Told when the NATS connection is lost and when it is back (the Directory is one)."""

    def connection_lost(self) -> None: ...

    def connection_restored(self) -> None: ...


async def connect_nats(
    settings: AgentSettings,
    agent: str,
    metrics: AgentMetrics | None = None,
    listeners: list[ConnectionListener] | None = None,
) -> NATS:
    """``listeners`` may grow after the call: each event tells the ones present then."""
    told = listeners if listeners is not None else []

    async def reconnected() -> None:
        if metrics is not None:
            metrics.nats_reconnects.labels(metrics.agent).inc()
        logger.warning("reconnected to NATS")
        for listener in told:
            listener.connection_restored()

    async def disconnected() -> None:
        if metrics is not None:
            metrics.nats_disconnects.labels(metrics.agent).inc()
        logger.warning("lost the NATS connection")
        for listener in told:
            listener.connection_lost()

    callbacks: dict[str, Any] = {"reconnected_cb": reconnected, "disconnected_cb": disconnected}
    return await nats.connect(
        servers=settings.nats_url.split(","),
        name=f"deskmesh-{agent}-{settings.instance_id}",
        inbox_prefix=inbox_prefix(agent),
        user=settings.nats_user,
        password=settings.nats_password,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=5,
        **callbacks,
    )


class AgentService:
    """A running agent instance; an async context manager (enter once)."""

    def __init__(self, spec: AgentSpec, settings: AgentSettings) -> None:
        if settings.sdk_asyncio_queues:
            sdk_queues.install()  # opt-in; agents/runtime/sdk_queues.py
        self.spec = spec
        self.settings = settings
        self.readiness = Readiness()
        # a step may take the grace period to finish in-flight work; past that it is stuck
        self._stack = BoundedExitStack(budget_s=settings.shutdown_grace_s + 5.0)
        self._entered = False
        self.card: AgentCard | None = None
        self.base_url = ""
        self.resources: AgentResources | None = None
        self.nats_server: NatsA2AServer | None = None
        self.metrics = AgentMetrics(spec.name)
        self.tracing: AgentTracing | None = None
        self.app: Starlette | None = None

    async def __aenter__(self) -> AgentService:
        if self._entered:
            raise RuntimeError("AgentService can be entered once")
        self._entered = True
        try:
            await self._start()
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.readiness.ready = False
        # Drain: stop taking NATS requests at once (the other replicas of the queue group get
        # them), then unwind, which finishes in-flight work within the grace period.
        if self.nats_server is not None:
            await self._stack.run_bounded("stop_intake", self.nats_server.stop_intake())
        await self._stack.aclose()

    @property
    def abandoned_shutdown_steps(self) -> list[AbandonedStep]:
        """Steps of the last shutdown that outlived their budget (agents/runtime/shutdown.py)."""
        return list(self._stack.abandoned)

    async def _start(self) -> None:
        s, name = self.settings, self.spec.name
        s.var_dir.mkdir(parents=True, exist_ok=True)
        sock = bind_socket(s.host, s.port)
        self._stack.callback(sock.close)
        port = sock.getsockname()[1]
        self.base_url = (s.public_url or f"http://{s.host}:{port}").rstrip("/")
        self.tracing = AgentTracing(
            name,
            s.instance_id,
            self.spec.card.version,
            s.var_dir,
            mode=s.traces,
            otlp_configured=s.otlp_configured,
        )
        self._stack.push_async_callback(self.tracing.shutdown)
        tracer = self.tracing.tracer

        listeners: list[ConnectionListener] = []
        nc = await connect_nats(s, name, self.metrics, listeners)
        self._stack.push_async_callback(_close_nats, nc)
        store = await self._stack.enter_async_context(Store(s.store_url()))
        http = await self._stack.enter_async_context(
            httpx.AsyncClient(
                timeout=s.delegation_timeout_s,
                event_hooks={"request": [inject_into_http_request]},
            )
        )
        kv = await open_bucket(nc, s.cards_bucket, s.card_ttl_s, replicas=s.jetstream_replicas)
        resources = AgentResources(settings=s, nc=nc, store=store, http=http, metrics=self.metrics)
        if self.spec.delegates:
            resources.directory = await self._stack.enter_async_context(
                Directory(kv, ttl_s=s.card_ttl_s)
            )
            listeners.append(resources.directory)
            resources.client_factory = create_client_factory(
                nc,
                httpx_client=http,
                streaming=False,
                timeout_s=s.delegation_timeout_s,
                tracer=tracer,
            )
        self.resources = resources

        subject = rpc_subject(name, s.subject_prefix)
        self.card = build_card(
            self.spec.card,
            http_base_url=self.base_url,
            nats_interface_url=interface_url(s.nats_url, subject),
            edge_auth=s.edge_auth,
        )
        handler = await self._create_handler(resources, kv)
        self.nats_server = NatsA2AServer(
            nc,
            handler,
            subject=subject,
            queue=queue_group(name, s.subject_prefix),
            max_payload_bytes=s.max_payload_bytes,
            grace_s=s.shutdown_grace_s,
            keepalive_s=s.stream_keepalive_s,
            frame_ack_timeout_s=min(10.0, s.stream_keepalive_s * 2),
            tracer=tracer,
            observe=functools.partial(self.metrics.request_done, "nats"),
            dispatcher=compat_dispatcher(handler),
        )
        await self._stack.enter_async_context(self.nats_server)
        await self._serve_http(handler, resources, sock)
        await self._stack.enter_async_context(
            CardHeartbeat(
                kv,
                agent=name,
                instance=s.instance_id,
                card=self.card,
                ttl_s=s.card_ttl_s,
                interval_s=s.heartbeat_interval_s,
            )
        )
        self.readiness.ready = True
        if s.edge_auth == "off":
            logger.warning(
                "%s: HTTP edge auth is off: any caller that reaches %s is anonymous; anonymous "
                "callers can read a task by its id but ListTasks shows them none "
                "(set DESKMESH_EDGE_AUTH and DESKMESH_EDGE_API_KEYS for a shared deployment)",
                name,
                self.base_url,
            )
        logger.info("%s ready at %s (NATS subject %s)", name, self.base_url, subject)

    async def _create_handler(
        self, resources: AgentResources, cards: KeyValue
    ) -> MeshRequestHandler:
        tasks = await open_task_store(
            self.settings,
            self.spec.name,
            nc=resources.nc,
            cards=cards,
            stack=self._stack,
            owner_resolver=task_owner,
        )
        push = await open_push_notifications(
            self.settings,
            self.spec.name,
            nc=resources.nc,
            on_jetstream=tasks.on_jetstream,
            stack=self._stack,
            owner_resolver=task_owner,
        )
        assert self.card is not None
        assert self.tracing is not None
        skills = self.spec.card.skills
        executor = ObservedExecutor(
            self.spec.create_executor(resources),
            agent=self.spec.name,
            tracer=self.tracing.tracer,
            metrics=self.metrics,
            default_skill=skills[0].id if len(skills) == 1 else "free_text",
        )
        handler = MeshRequestHandler(
            agent_executor=executor,
            task_store=tasks.store,
            agent_card=self.card,
            interrupted_task_timeout=300.0,
            validate_input_modes=True,  # parts must fit the card's input modes (both bindings)
            event_stream=tasks.events,
            request_context_builder=tasks.context_builder(),
            push_config_store=push.store,
            push_sender=push.sender,
            push_url_validator=push.policy,
        )
        self._stack.push_async_callback(handler.aclose)
        return handler

    async def _serve_http(
        self, handler: MeshRequestHandler, resources: AgentResources, sock: socket.socket
    ) -> None:
        assert self.card is not None
        s = self.settings
        app = build_app(
            agent=self.spec.name,
            card=self.card,
            handler=handler,
            readiness=self.readiness,
            max_payload_bytes=self.settings.max_payload_bytes,
            body_timeout_s=s.http_body_timeout_s,
            extra_routes=self.spec.extra_routes(resources),
            metrics=self.metrics,
            tracer=self.tracing.tracer if self.tracing else None,
            edge_auth=(s.edge_auth, s.edge_api_keys.get_secret_value() if s.edge_api_keys else ""),
        )
        self.app = app
        server = _EmbeddedUvicorn(uvicorn_config(app, s))
        task = asyncio.create_task(server.serve(sockets=[sock]))

        async def stop_http() -> None:
            server.should_exit = True
            await task

        self._stack.push_async_callback(stop_http)
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("HTTP server stopped during start-up")
            await asyncio.sleep(0.01)


async def _close_nats(nc: NATS) -> None:
    if not nc.is_closed:
        with contextlib.suppress(Exception):
            await nc.drain()


async def serve_forever(spec: AgentSpec, settings: AgentSettings) -> None:
    """Run one agent until SIGTERM or SIGINT, then shut down in order."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with AgentService(spec, settings) as service:
        await stop.wait()
        logger.info("%s shutting down", spec.name)
    if service.abandoned_shutdown_steps:
        # asyncio.run would wait for the abandoned steps' tasks on the way out, forever for
        # one that ignores cancellation: everything else is closed, so leave now (code 1)
        exit_without_teardown(1)


def main(spec: AgentSpec, settings: AgentSettings) -> None:
    """Run ``spec`` as this process (``python -m agents.<name>`` builds both at the edge)."""
    setup_logging(
        agent=spec.name,
        instance=settings.instance_id,
        level=settings.log_level,
        fmt=settings.log_format,
        sensitive=settings.log_sensitive,
    )
    asyncio.run(serve_forever(spec, settings))
    exit_without_teardown(0)  # everything is closed by now
