"""Containers for the cluster tests: a 3-node NATS cluster (JetStream) and PostgreSQL.

Images: DESKMESH_NATS_IMAGE / DESKMESH_POSTGRES_IMAGE from the environment or compose/.env
(compose/images/ensure-images.sh writes them: the official images where a registry answers,
local ones built from Debian packages otherwise). Run by ``make container-test``, which starts a
Docker engine when none answers; skipped with the reason where no engine answers.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from deskmesh.embedded_nats import free_port

REPO = Path(__file__).resolve().parents[2]
# Ryuk, testcontainers' reaper, is an image from a registry; fixtures stop what they start.
os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")

from testcontainers.core.container import DockerContainer  # noqa: E402
from testcontainers.core.network import Network  # noqa: E402

PG_PASSWORD = "deskmesh-test"
CLUSTER = ("nats-1", "nats-2", "nats-3")


def image(name: str, default: str) -> str:
    if os.environ.get(name):
        return os.environ[name]
    env_file = REPO / "compose" / ".env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            if line.startswith(f"{name}="):
                return line.split("=", 1)[1].strip()
    return default


def engine_answers() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@dataclass
class NatsNode:
    name: str
    container: DockerContainer
    url: str = ""
    """Its client URL on the host, taken once it runs (a stopped container has no port)."""

    def stop(self) -> None:
        self.container.get_wrapped_container().stop(timeout=10)

    def start(self) -> None:
        self.container.get_wrapped_container().start()


@dataclass
class Cluster:
    nodes: list[NatsNode]
    database_url: str
    postgres: DockerContainer

    @property
    def nats_url(self) -> str:
        return ",".join(node.url for node in self.nodes)


def _wait_listening(container: DockerContainer, port: int, timeout_s: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            host_port = int(container.get_exposed_port(port))
            with socket.create_connection(("127.0.0.1", host_port), timeout=1) as sock:
                sock.settimeout(2)
                if port != 4222 or sock.recv(4) == b"INFO":
                    return
        except (OSError, ValueError, ConnectionError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{container.image} not listening on {port}")


def wait_for_postgres(url: str, timeout_s: float = 90) -> None:
    """Until PostgreSQL answers a query (Docker's port proxy accepts connections before)."""
    import asyncpg

    dsn = url.replace("postgresql+asyncpg", "postgresql")

    async def answers() -> bool:
        try:
            connection = await asyncpg.connect(dsn, timeout=3)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
        await connection.close()
        return True

    deadline = time.monotonic() + timeout_s
    while not asyncio.run(answers()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"PostgreSQL did not answer on {url} within {timeout_s}s")
        time.sleep(0.3)


def _nats_node(name: str, network: Network) -> DockerContainer:
    routes = ",".join(f"nats://{peer}:6222" for peer in CLUSTER)
    command = (
        f"-js -sd /data --server_name {name} --cluster_name deskmesh"
        f" --cluster nats://0.0.0.0:6222 --routes {routes} --no_advertise -m 8222"
    )
    return (
        DockerContainer(image("DESKMESH_NATS_IMAGE", "nats:2.11.4-alpine"))
        .with_network(network)
        .with_network_aliases(name)
        .with_exposed_ports(4222)
        .with_command(command)
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if not engine_answers():
        pytest.skip("no Docker engine answers (`make container-test` starts one as root)")
    with Network() as network:
        started: list[DockerContainer] = []
        try:
            nodes = []
            for name in CLUSTER:
                container = _nats_node(name, network).start()
                started.append(container)
                nodes.append(NatsNode(name, container))
            pg_port = free_port()  # fixed, so a stopped and restarted container keeps it
            postgres = (
                DockerContainer(image("DESKMESH_POSTGRES_IMAGE", "postgres:16.4-alpine"))
                .with_envs(
                    POSTGRES_USER="deskmesh", POSTGRES_PASSWORD=PG_PASSWORD, POSTGRES_DB="deskmesh"
                )
                .with_bind_ports(5432, pg_port)
                .with_network(network)  # an engine may have no default bridge
                .start()
            )
            started.append(postgres)
            for node in nodes:
                _wait_listening(node.container, 4222)
                node.url = f"nats://127.0.0.1:{node.container.get_exposed_port(4222)}"
            url = f"postgresql+asyncpg://deskmesh:{PG_PASSWORD}@127.0.0.1:{pg_port}/deskmesh"
            wait_for_postgres(url)
            yield Cluster(nodes, url, postgres)
        finally:
            for container in reversed(started):
                container.stop()
