"""The compose file read as data, and its agent services turned into local processes.

``local_agent_env`` is the compose-equivalent of a service: the service's own environment with
``${VAR:-default}`` resolved, and only what names the Docker network rewritten for one machine
(NATS and database URLs, bind host, port, public URL, var dir).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from protocol.capabilities import CapabilityKeys

REPO = Path(__file__).resolve().parents[2]
COMPOSE_DIR = REPO / "compose"
COMPOSE_FILE = COMPOSE_DIR / "docker-compose.yml"
DOCKERFILE = COMPOSE_DIR / "Dockerfile"
AGENTS = ("triage", "orders", "billing", "escalation")

_INTERPOLATION = re.compile(r"\$\{(\w+)(?::(-|\?)([^}]*))?\}")
# The compose file requires the capability key pair from compose/.env; locally one pair per
# test session stands in for it.
_KEYS = CapabilityKeys.generate()
_KEY_ENV = {
    "DESKMESH_CAPABILITY_PUBLIC_KEY": _KEYS.public_hex,
    "DESKMESH_CAPABILITY_PRIVATE_KEY": _KEYS.private_hex or "",
}


def load_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def interpolate(value: str, env: dict[str, str] | None = None) -> str:
    env = dict(os.environ if env is None else env)

    def value_of(m: re.Match[str]) -> str:
        default = m.group(3) if m.group(2) == "-" else ""
        return env.get(m.group(1)) or default or ""

    return _INTERPOLATION.sub(value_of, value)


def agent_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Services that run an agent (their command is ``python -m agents.<name>``)."""
    return {
        name: service
        for name, service in compose["services"].items()
        if list(service.get("command", []))[:2] == ["python", "-m"]
        and str(service["command"][2]).startswith("agents.")
    }


def agent_of(service: dict[str, Any]) -> str:
    return str(service["command"][2]).removeprefix("agents.")


def service_env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): interpolate(str(v), _KEY_ENV) for k, v in env.items()}


def local_agent_env(
    service: dict[str, Any],
    *,
    nats_url: str,
    database_url: str,
    port: int,
    var_dir: Path,
    overrides: dict[str, str] | None = None,
) -> dict[str, str]:
    env = service_env(service)
    rewrites = {
        "DESKMESH_NATS_URL": nats_url,
        "DESKMESH_DATABASE_URL": database_url,
        "DESKMESH_TASK_DATABASE_URL": database_url,
        "DESKMESH_HOST": "127.0.0.1",
        "DESKMESH_PORT": str(port),
        "DESKMESH_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DESKMESH_VAR_DIR": str(var_dir),
    }
    missing = set(rewrites) - set(env)
    assert not missing, f"compose service lacks {sorted(missing)}"
    env.update(rewrites)
    if database_url.startswith("sqlite"):
        # SQLite: one task database per agent (the default), as several processes upgrading
        # read transactions on one file get "database is locked" at once. PostgreSQL shares.
        del env["DESKMESH_TASK_DATABASE_URL"]
        env["DESKMESH_TASK_STORE"] = "sql"  # the compose NATS users may not touch task buckets
    env.update(overrides or {})
    return {**os.environ, **env, "PYTHONUNBUFFERED": "1"}


def local_command(service: dict[str, Any]) -> list[str]:
    command = [str(c) for c in service["command"]]
    assert command[0] == "python"
    return [sys.executable, *command[1:]]


@dataclass(slots=True)
class LocalAgent:
    service: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ready(self, http: httpx.Client) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(
                f"{self.service} exited with {self.process.returncode}: "
                f"{self.log_path.read_text()[-3000:]}"
            )
        try:
            return http.get(f"{self.url}/readyz").status_code == 200
        except httpx.TransportError:
            return False

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        with httpx.Client(timeout=2.0) as http:
            while not self.ready(http):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.service} not ready after {timeout_s}s")
                time.sleep(0.1)

    def terminate(self, timeout_s: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return int(self.process.returncode)


def start_service(
    name: str,
    service: dict[str, Any],
    *,
    nats_url: str,
    database_url: str,
    port: int,
    var_dir: Path,
    log_name: str | None = None,
    overrides: dict[str, str] | None = None,
) -> LocalAgent:
    logs = var_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{log_name or name}.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            local_command(service),
            env=local_agent_env(
                service,
                nats_url=nats_url,
                database_url=database_url,
                port=port,
                var_dir=var_dir,
                overrides=overrides,
            ),
            cwd=var_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return LocalAgent(name, port, process, log_path)
