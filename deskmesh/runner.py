"""Mesh: the local mesh of ``deskmesh up`` — NATS plus one OS process per agent.

Every agent runs as ``python -m agents.<name>`` with its settings in ``DESKMESH_*`` variables,
exactly as it would run alone. Children (agents and the embedded nats-server) are started with a
parent-death signal in their own process group (deskmesh/child_process.py), so even a killed
runner leaves nothing behind; a normal stop sends SIGTERM to the agents, waits for their graceful
shutdown, kills what is left, then stops NATS. One runner owns a state folder at a time
(deskmesh/mesh_lock.py): a second one fails before touching the first one's files.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

from deskmesh.broker import ensure_credentials, load_policy, render_authorization
from deskmesh.child_process import child_options
from deskmesh.embedded_nats import EmbeddedNats, free_port
from deskmesh.mesh_lock import MESH_FILE, MeshAlreadyRunning, MeshLock, read_mesh_file
from protocol.binding import DEFAULT_SUBJECT_PREFIX, rpc_subject
from protocol.capabilities import CapabilityKeys, ensure_keys
from protocol.discovery import DEFAULT_BUCKET
from store import Store, generate_demo

AGENTS = ("triage", "billing", "orders", "escalation")
__all__ = ["AGENTS", "MESH_FILE", "Mesh", "MeshAlreadyRunning", "read_mesh_file", "seed_if_needed"]


@dataclass(slots=True)
class AgentProcess:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Mesh:
    """The whole local mesh; a context manager. ``start()`` returns once every card is live."""

    def __init__(
        self,
        var_dir: Path,
        *,
        nats_url: str | None = None,
        database_url: str | None = None,
        agents: tuple[str, ...] = AGENTS,
        reseed: bool = False,
        extra_env: dict[str, str] | None = None,
        subject_prefix: str = DEFAULT_SUBJECT_PREFIX,
        nats_port: int | None = None,
    ) -> None:
        self.var_dir = var_dir.resolve()
        self._nats_url = nats_url
        self._database_url = database_url
        self.agents = agents
        self._reseed = reseed
        self._extra_env = dict(extra_env or {})
        self.subject_prefix = subject_prefix
        self.embedded_nats: EmbeddedNats | None = None
        self.processes: dict[str, AgentProcess] = {}
        self._nats_port = nats_port
        # guardrails: capability keys and (embedded NATS) per-agent broker users, under var/
        self.capability_keys: CapabilityKeys | None = None
        self.nats_passwords: dict[str, str] = {}
        self._lock = MeshLock(self.var_dir)

    @property
    def nats_url(self) -> str:
        if self._nats_url is not None:
            return self._nats_url
        assert self.embedded_nats is not None
        return self.embedded_nats.url

    @property
    def triage_url(self) -> str:
        return self.processes["triage"].url

    def store_url(self) -> str:
        return self._database_url or f"sqlite+aiosqlite:///{self.var_dir / 'store.db'}"

    def __enter__(self) -> Mesh:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def claim(self) -> None:
        """Own var_dir, or raise MeshAlreadyRunning having changed nothing. start() claims too."""
        self._lock.acquire()

    def start(self, timeout_s: float = 90.0) -> None:
        self.claim()
        try:
            self.capability_keys = ensure_keys(self.var_dir / "keys")
            if self._nats_url is None:
                self.embedded_nats = self._embedded_nats()
                self.embedded_nats.start()
            asyncio.run(seed_if_needed(self.store_url(), force=self._reseed))
            for name in self.agents:
                self.start_agent(name)
            self.wait_until_live(timeout_s)
            self._write_mesh_file()
        except BaseException:
            self.stop()
            raise

    def _embedded_nats(self) -> EmbeddedNats:
        """NATS with one user per agent, each allowed only its subjects (nats_policy.toml)."""
        folder = self.var_dir / "nats"
        cards_bucket = self._extra_env.get("DESKMESH_CARDS_BUCKET", DEFAULT_BUCKET)
        permissions = load_policy(prefix=self.subject_prefix, bucket=cards_bucket)
        self.nats_passwords = ensure_credentials(folder, tuple(permissions))
        authorization = render_authorization(permissions, self.nats_passwords)
        return EmbeddedNats(folder, port=self._nats_port, authorization=authorization)

    def agent_env(self, name: str, port: int) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DESKMESH_NATS_URL": self.nats_url,
                "DESKMESH_PORT": str(port),
                "DESKMESH_VAR_DIR": str(self.var_dir),
                "DESKMESH_DATABASE_URL": self.store_url(),
                "DESKMESH_SUBJECT_PREFIX": self.subject_prefix,
                "PYTHONUNBUFFERED": "1",
            }
        )
        if name in self.nats_passwords:
            env["DESKMESH_NATS_USER"] = name
            env["DESKMESH_NATS_PASSWORD"] = self.nats_passwords[name]
        keys = self.capability_keys
        if keys is not None:
            env["DESKMESH_CAPABILITY_PUBLIC_KEY"] = keys.public_hex
            if name == "triage":  # only triage mints
                env["DESKMESH_CAPABILITY_PRIVATE_KEY"] = keys.private_hex or ""
        env.update(self._extra_env)
        return env

    def start_agent(self, name: str, port: int | None = None) -> AgentProcess:
        """Start (or restart) one agent process; returns without waiting for readiness."""
        port = port or free_port()
        log_dir = self.var_dir / "logs"
        log_dir.mkdir(exist_ok=True)
        log_path = log_dir / f"{name}.log"
        log: IO[bytes] = open(log_path, "ab")  # noqa: SIM115 - handed to the child
        process = subprocess.Popen(
            [sys.executable, "-m", f"agents.{name}"],
            env=self.agent_env(name, port),
            stdout=log,
            stderr=subprocess.STDOUT,
            # SIGKILL: a runner that died took NATS with it, and an agent's graceful shutdown
            # would wait out NATS time-outs for no one (a normal stop still sends SIGTERM)
            **child_options(signal.SIGKILL),  # type: ignore[arg-type]
        )
        log.close()
        agent = AgentProcess(name, port, process, log_path)
        self.processes[name] = agent
        return agent

    def wait_until_live(self, timeout_s: float) -> None:
        """Until every agent answers /readyz and triage's directory lists every agent."""
        deadline = time.monotonic() + timeout_s
        with httpx.Client(timeout=2.0) as http:
            for agent in self.processes.values():
                _poll(lambda a=agent: _ready(http, a), deadline, f"{agent.name} to be ready")
            if "triage" in self.processes:
                wanted = set(self.processes)
                _poll(
                    lambda: wanted <= set(self.live_agents(http)),
                    deadline,
                    "every card in the directory",
                )

    def live_agents(self, http: httpx.Client) -> dict[str, dict[str, Any]]:
        response = http.get(f"{self.triage_url}/directory")
        response.raise_for_status()
        return {entry["agent"]: entry for entry in response.json()["agents"]}

    def stop_agent(self, name: str, *, kill: bool = False, timeout_s: float = 20.0) -> int:
        agent = self.processes[name]
        if agent.process.poll() is None:
            agent.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                agent.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                agent.process.kill()
                agent.process.wait()
        return int(agent.process.returncode)

    def stop(self) -> None:
        for agent in self.processes.values():
            if agent.process.poll() is None:
                agent.process.send_signal(signal.SIGTERM)
        for name in list(self.processes):
            self.stop_agent(name)
        if self.embedded_nats is not None:
            self.embedded_nats.stop()
        if self._lock.held:  # only the runner that owns the folder removes its mesh file
            (self.var_dir / MESH_FILE).unlink(missing_ok=True)
            self._lock.release()

    def _write_mesh_file(self) -> None:
        data = {
            "nats_url": self.nats_url,
            "nats_pid": self.embedded_nats.pid if self.embedded_nats else None,
            "triage_url": self.triage_url if "triage" in self.processes else None,
            "agents": {
                name: {
                    "url": a.url,
                    "pid": a.process.pid,
                    "subject": rpc_subject(name, self.subject_prefix),
                }
                for name, a in self.processes.items()
            },
        }
        (self.var_dir / MESH_FILE).write_text(json.dumps(data, indent=2))


def _ready(http: httpx.Client, agent: AgentProcess) -> bool:
    if agent.process.poll() is not None:
        raise RuntimeError(
            f"{agent.name} exited with {agent.process.returncode}; see {agent.log_path}"
        )
    try:
        return http.get(f"{agent.url}/readyz").status_code == 200
    except httpx.TransportError:
        return False


def _poll(check: Any, deadline: float, what: str) -> None:
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.1)


async def seed_if_needed(url: str, *, force: bool) -> bool:
    """Load the demo data set unless the store already has data. True when it seeded."""
    async with Store(url) as store:
        if not force and await store.list_products():
            return False
        await store.reset(generate_demo())
        return True
