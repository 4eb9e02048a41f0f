"""The real compose mesh, where a Docker engine answers (skipped otherwise)."""

from __future__ import annotations

import asyncio
import subprocess
import time

import httpx
import pytest

from tests.deploy.compose import COMPOSE_FILE, REPO

pytestmark = pytest.mark.docker


def _docker_available() -> bool:
    try:
        info = subprocess.run(["docker", "info"], capture_output=True, timeout=20)
        compose = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return info.returncode == 0 and compose.returncode == 0


@pytest.fixture(scope="module")
def compose_mesh() -> str:
    if not _docker_available():
        pytest.skip("no Docker engine (docker info failed)")
    base = ["docker", "compose", "-f", str(COMPOSE_FILE), "-p", "deskmesh-test"]
    subprocess.run(
        [*base, "up", "--build", "--detach", "--wait"], cwd=REPO, check=True, timeout=900
    )
    try:
        yield "http://127.0.0.1:8080"
    finally:
        subprocess.run([*base, "down", "--volumes"], cwd=REPO, check=False, timeout=300)


async def test_ticket_through_the_compose_mesh(compose_mesh: str) -> None:
    from tests.deploy.mesh_client import SPECIALISTS, delegations, send_ticket, triage_client

    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(timeout=60) as http:
        while True:
            listed = {
                e["agent"] for e in (await http.get(f"{compose_mesh}/directory")).json()["agents"]
            }
            if set(SPECIALISTS) <= listed or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        client = await triage_client(http, compose_mesh)
        task = await send_ticket(
            client,
            "Where is my order #W1000001? And which cards do I have on file?",
            "ava_moreno_1001",
        )
    assert {d["agent"] for d in delegations(task)} == {"orders", "billing"}
    assert all(d["ok"] for d in delegations(task))
