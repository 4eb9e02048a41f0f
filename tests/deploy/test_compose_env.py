"""compose/.env holds the compose mesh's capability keys; the compose file holds none."""

from __future__ import annotations

import re
from pathlib import Path

from deskmesh.compose_env import ensure_env_file
from protocol.capabilities import CapabilityKeys
from tests.deploy.compose import COMPOSE_FILE


def test_keys_are_generated_once_and_other_lines_kept(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("POSTGRES_PASSWORD=secret\n")
    assert ensure_env_file(env) == [
        "DESKMESH_CAPABILITY_PUBLIC_KEY",
        "DESKMESH_CAPABILITY_PRIVATE_KEY",
    ]
    first = env.read_text()
    assert ensure_env_file(env) == []
    assert env.read_text() == first
    values = dict(line.split("=", 1) for line in first.splitlines())
    assert values["POSTGRES_PASSWORD"] == "secret"
    keys = CapabilityKeys.from_hex(private_hex=values["DESKMESH_CAPABILITY_PRIVATE_KEY"])
    assert keys is not None and keys.public_hex == values["DESKMESH_CAPABILITY_PUBLIC_KEY"]
    assert env.stat().st_mode & 0o077 == 0


def test_compose_file_commits_no_key_material() -> None:
    assert not re.search(r"[0-9a-f]{64}", COMPOSE_FILE.read_text())
