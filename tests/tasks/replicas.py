"""Two (or more) processes of the replica test agent on one NATS server, and clients for them."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
from a2a.client import A2ACardResolver, Client
from a2a.types import Message, Part, Role, StreamResponse, Task, TaskState
from nats.aio.client import Client as NATS

from deskmesh.embedded_nats import free_port
from protocol.client import create_client_factory
from tests.deploy.compose import REPO, LocalAgent


def start_replica(
    instance: str, *, nats_url: str, prefix: str, var_dir: Path, card_ttl_s: float
) -> LocalAgent:
    """One replica process with its own var dir: replicas share nothing but NATS."""
    own = var_dir / instance
    own.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "DESKMESH_NATS_URL": nats_url,
        "DESKMESH_SUBJECT_PREFIX": prefix,
        "DESKMESH_CARDS_BUCKET": f"cards_{prefix}",
        "DESKMESH_INSTANCE_ID": instance,
        "DESKMESH_VAR_DIR": str(own),
        "DESKMESH_PORT": str(port),
        "DESKMESH_CARD_TTL_S": str(card_ttl_s),
        "DESKMESH_CAPABILITIES": "off",
        "DESKMESH_LOG_FORMAT": "text",
        "DESKMESH_TASK_STORE": "jetstream",
        "PYTHONPATH": str(REPO),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DESKMESH_TASK_DATABASE_URL", None)
    log_path = own / "agent.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.tasks.replica_agent"],
            env=env,
            cwd=own,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return LocalAgent(instance, port, process, log_path)


async def client_for(http: httpx.AsyncClient, replica: LocalAgent, nc: NATS | None) -> Client:
    """A streaming client of the replica's card: over NATS with ``nc``, else its own HTTP URL."""
    card = await A2ACardResolver(http, replica.url).get_agent_card()
    return create_client_factory(nc, httpx_client=http, streaming=True).create(card)


def user_text(text: str, task: Task | None = None) -> Message:
    message = Message(role=Role.ROLE_USER, message_id=str(uuid.uuid4()), parts=[Part(text=text)])
    if task is not None:
        message.task_id, message.context_id = task.id, task.context_id
    return message


def state_of(response: StreamResponse) -> TaskState:
    which = response.WhichOneof("payload")
    if which == "task":
        return response.task.status.state
    if which == "status_update":
        return response.status_update.status.state
    return TaskState.TASK_STATE_UNSPECIFIED


def artifact_text(task: Task) -> list[str]:
    return [part.text for artifact in task.artifacts for part in artifact.parts]


def unique_subject(prefix: str) -> str:
    return f"{prefix}.gate.{uuid.uuid4().hex[:8]}"
