"""Broker permissions on a real nats-server: one user per agent, only the subjects it needs."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import nats
import pytest
from a2a.types import TaskState
from nats.aio.client import Client as NATS

from deskmesh.broker import (
    compose_permissions,
    ensure_credentials,
    load_policy,
    render_authorization,
)
from deskmesh.embedded_nats import EmbeddedNats, free_port
from deskmesh.runner import Mesh
from protocol.binding import inbox_prefix, rpc_subject
from tests.deploy.mesh_client import delegations, send_ticket, triage_client

REPO = Path(__file__).resolve().parents[2]
PREFIX = "gbroker"


@pytest.fixture(scope="module")
def policed_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("policed-nats")
    permissions = load_policy(prefix=PREFIX)
    passwords = ensure_credentials(folder, tuple(permissions))
    server = EmbeddedNats(
        folder, port=free_port(), authorization=render_authorization(permissions, passwords)
    )
    with server:
        yield server.url, passwords


class _Connection:
    """A connection as one agent's user, collecting the server's permission errors."""

    def __init__(self) -> None:
        self.errors: asyncio.Queue[Exception] = asyncio.Queue()
        self.nc: NATS | None = None

    async def error(self, e: Exception) -> None:
        await self.errors.put(e)


@pytest.fixture
async def connect(policed_nats: tuple[str, dict[str, str]]) -> AsyncIterator:
    url, passwords = policed_nats
    opened: list[NATS] = []

    async def as_agent(agent: str) -> _Connection:
        conn = _Connection()
        conn.nc = await nats.connect(
            url,
            user=agent,
            password=passwords[agent],
            inbox_prefix=inbox_prefix(agent),
            error_cb=conn.error,
            allow_reconnect=False,
        )
        opened.append(conn.nc)
        return conn

    yield as_agent
    for nc in opened:
        await nc.close()


async def _serve_echo(nc: NATS, agent: str) -> None:
    async def echo(msg) -> None:  # noqa: ANN001
        await msg.respond(b"ok:" + msg.data)

    await nc.subscribe(rpc_subject(agent, PREFIX), queue=f"{PREFIX}.{agent}", cb=echo)
    await nc.flush()


async def test_billing_cannot_call_orders_but_triage_can_call_every_specialist(connect) -> None:
    specialists = {name: await connect(name) for name in ("orders", "billing", "escalation")}
    for name, conn in specialists.items():
        await _serve_echo(conn.nc, name)
    triage = await connect("triage")
    for name in specialists:
        reply = await triage.nc.request(rpc_subject(name, PREFIX), b"hi", timeout=5)
        assert reply.data == b"ok:hi"
    billing = specialists["billing"]
    await billing.nc.publish(rpc_subject("orders", PREFIX), b"refund me")
    await billing.nc.flush()
    error = await asyncio.wait_for(billing.errors.get(), timeout=5)
    assert "permissions violation" in str(error).lower()
    assert rpc_subject("orders", PREFIX) in str(error)


async def test_an_agent_cannot_read_another_agents_replies(connect) -> None:
    """Replies travel on the caller's own inboxes; only the caller may subscribe to them."""
    orders = await connect("orders")
    await _serve_echo(orders.nc, "orders")
    triage = await connect("triage")
    reply = await triage.nc.request(rpc_subject("orders", PREFIX), b"order details", timeout=5)
    assert reply.data == b"ok:order details"
    billing = await connect("billing")

    async def ignore(msg) -> None:  # noqa: ANN001
        return None

    for snooped in (f"{inbox_prefix('triage')}.>", "_INBOX.>"):
        await billing.nc.subscribe(snooped, cb=ignore)
        await billing.nc.flush()
        error = await asyncio.wait_for(billing.errors.get(), timeout=5)
        assert "permissions violation" in str(error).lower()
        assert snooped.lower() in str(error).lower()


async def test_an_agent_cannot_serve_another_agents_subject(connect) -> None:
    orders = await connect("orders")

    async def ignore(msg) -> None:  # noqa: ANN001
        return None

    await orders.nc.subscribe(rpc_subject("billing", PREFIX), cb=ignore)
    await orders.nc.flush()
    error = await asyncio.wait_for(orders.errors.get(), timeout=5)
    assert "permissions violation" in str(error).lower()
    assert "subscription" in str(error).lower()


async def test_an_agent_cannot_write_another_agents_card(connect) -> None:
    billing = await connect("billing")
    await billing.nc.publish("$KV.deskmesh_cards.triage.fake", b"{}")
    await billing.nc.flush()
    error = await asyncio.wait_for(billing.errors.get(), timeout=5)
    assert "permissions violation" in str(error).lower()


def test_compose_permissions_are_generated_from_the_policy() -> None:
    path = REPO / "compose" / "nats" / "permissions.conf"
    assert path.read_text() == compose_permissions()
    printed = subprocess.run(
        [sys.executable, "-m", "deskmesh.broker", "compose"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert printed.stdout == path.read_text()


def test_credentials_are_generated_once_and_private(tmp_path: Path) -> None:
    first = ensure_credentials(tmp_path, ("triage", "orders"))
    assert ensure_credentials(tmp_path, ("triage", "orders")) == first
    assert len(set(first.values())) == 2
    assert (tmp_path / "users.json").stat().st_mode & 0o077 == 0


async def test_deskmesh_up_mesh_runs_with_per_agent_users(
    tmp_path_factory: pytest.TempPathFactory, run_id: str
) -> None:
    """The whole mesh as OS processes on its own policed NATS: a ticket with a write works."""
    var_dir = tmp_path_factory.mktemp("policed-mesh")
    prefix = f"gm{run_id}"
    mesh = Mesh(var_dir, subject_prefix=prefix, nats_port=free_port(), reseed=True)
    await asyncio.to_thread(mesh.start)
    try:
        assert set(mesh.nats_passwords) == {"triage", "orders", "billing", "escalation"}
        assert (var_dir / "keys" / "capability-root.key").stat().st_mode & 0o077 == 0
        async with httpx.AsyncClient(timeout=60) as http:
            client = await triage_client(http, mesh.triage_url)
            task = await send_ticket(
                client,
                "Please cancel order #W1000004, I ordered it by mistake.",
                "liam_chen_1002",
            )
        assert task.status.state == TaskState.TASK_STATE_COMPLETED
        records = delegations(task)
        cancel = [d for d in records if d["skill"] == "cancel_pending_order"]
        assert cancel and cancel[0]["ok"], records
        # an anonymous connection is not let in at all
        with pytest.raises(Exception):  # noqa: B017 - nats-py raises its own auth error types
            await nats.connect(mesh.nats_url, allow_reconnect=False, max_reconnect_attempts=0)
    finally:
        await asyncio.to_thread(mesh.stop)
