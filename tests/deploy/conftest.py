"""The compose-equivalent topology: the compose file's agent services as local processes.

NATS runs with the compose mesh's permissions file (per-agent users and subject permissions), so
the agents log in exactly as they do in Docker. The store is a SQLite file in a temporary folder,
or the test PostgreSQL when ``DESKMESH_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from deskmesh.embedded_nats import EmbeddedNats, free_port
from deskmesh.runner import seed_if_needed
from tests.deploy.compose import (
    COMPOSE_DIR,
    LocalAgent,
    agent_services,
    interpolate,
    load_compose,
    start_service,
)


class ComposeNats(EmbeddedNats):
    """nats-server on a free port with the compose mesh's users and permissions."""

    def __init__(self, data_dir: Path, passwords: dict[str, str]) -> None:
        super().__init__(data_dir, port=free_port())
        self._passwords = passwords

    def config_text(self) -> str:
        # nats-server resolves includes relative to the config file: use a verbatim copy
        self.data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(
            COMPOSE_DIR / "nats" / "permissions.conf", self.data_dir / "permissions.conf"
        )
        return super().config_text() + "include ./permissions.conf\n"

    def start(self, timeout_s: float = 15.0) -> None:
        # the passwords reach nats-server as environment variables, as in the compose service
        saved = {k: os.environ.get(k) for k in self._passwords}
        os.environ.update(self._passwords)
        try:
            super().start(timeout_s)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


@dataclass
class Topology:
    nats_url: str
    database_url: str
    var_dir: Path
    services: dict[str, dict[str, Any]]
    agents: dict[str, LocalAgent] = field(default_factory=dict)

    def start(
        self, name: str, *, log_name: str | None = None, overrides: dict[str, str] | None = None
    ) -> LocalAgent:
        return start_service(
            name,
            self.services[name],
            nats_url=self.nats_url,
            database_url=self.database_url,
            port=free_port(),
            var_dir=self.var_dir,
            log_name=log_name,
            overrides=overrides,
        )

    @property
    def triage_url(self) -> str:
        return self.agents["triage"].url


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    return load_compose()


@pytest.fixture(scope="session")
def topology(
    compose: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Topology]:
    nats_env = compose["services"]["nats"]["environment"]
    passwords = {k: interpolate(str(v), {}) for k, v in nats_env.items()}
    var_dir = tmp_path_factory.mktemp("compose-var")
    database_url = os.environ.get("DESKMESH_TEST_POSTGRES_URL") or (
        f"sqlite+aiosqlite:///{var_dir / 'store.db'}"
    )
    asyncio.run(seed_if_needed(database_url, force="sqlite" in database_url))
    # the default profile only: the replica service is started by the tests that need it
    services = {name: s for name, s in agent_services(compose).items() if not s.get("profiles")}
    with ComposeNats(tmp_path_factory.mktemp("compose-nats"), passwords) as nats:
        topo = Topology(nats.url, database_url, var_dir, agent_services(compose))
        try:
            for name in services:
                topo.agents[name] = topo.start(name)
            for agent in topo.agents.values():
                agent.wait_ready(90)
            yield topo
        finally:
            for agent in topo.agents.values():
                agent.terminate()
