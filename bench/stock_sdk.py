"""(d) of the hop benchmark: the plain a2a-sdk JSON-RPC/HTTP server a user gets without deskmesh.

The SDK's ``DefaultRequestHandler`` with ``InMemoryTaskStore``, its JSON-RPC and card routes in a
Starlette app, served by uvicorn on 127.0.0.1, in a process of its own with the SDK's defaults
(its OpenTelemetry instrumentation on): no deskmesh middleware, tracing or task durability.

    python -m bench.stock_sdk     # prints the server's base URL, serves until stdin closes
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def stock_sdk_process() -> Iterator[str]:
    """Run the stock server as a child process; yields its base URL."""
    env = {**os.environ, "OTEL_INSTRUMENTATION_A2A_SDK_ENABLED": "true"}
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.stock_sdk"],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"stock SDK server did not start (exit {child.poll()})")
        yield url
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(30)


async def serve() -> None:
    import uvicorn
    from a2a.server.request_handlers import DefaultRequestHandler
    from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes
    from a2a.server.tasks import InMemoryTaskStore
    from starlette.applications import Starlette

    from agents.runtime.service import bind_socket
    from bench.hop import ECHO_CARD, EchoExecutor
    from protocol.cards import JSONRPC_PATH, build_card

    # deskmesh's listening socket (TCP_NODELAY on accepted connections), so neither server
    # waits out a delayed ACK
    sock = bind_socket("127.0.0.1", 0)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    card = build_card(ECHO_CARD, http_base_url=base, nats_interface_url=None)
    del card.supported_interfaces[1:]  # JSON-RPC only, as this app serves
    handler = DefaultRequestHandler(
        agent_executor=EchoExecutor(), task_store=InMemoryTaskStore(), agent_card=card
    )
    app = Starlette(
        routes=[*create_agent_card_routes(card), *create_jsonrpc_routes(handler, JSONRPC_PATH)]
    )
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    print(base, flush=True)
    await asyncio.to_thread(sys.stdin.read)  # until the parent closes our stdin
    server.should_exit = True
    await task


if __name__ == "__main__":
    asyncio.run(serve())
