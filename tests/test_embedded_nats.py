"""The embedded nats-server starts with JetStream on a free port and stops cleanly."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import nats
import pytest

from deskmesh import embedded_nats
from deskmesh.embedded_nats import EmbeddedNats, free_port, port_is_free


async def test_starts_with_jetstream_and_stops(tmp_path: Path) -> None:
    server = EmbeddedNats(tmp_path / "nats", port=free_port())
    with server:
        assert not port_is_free(server.port)
        nc = await nats.connect(server.url)
        try:
            info = await nc.jetstream().account_info()
            assert info.limits is not None
        finally:
            await nc.close()
    assert port_is_free(server.port)
    assert (tmp_path / "nats" / "jetstream").is_dir()


def test_busy_default_port_falls_back_to_a_free_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        busy = blocker.getsockname()[1]
        monkeypatch.setattr(embedded_nats, "DEFAULT_PORT", busy)
        server = EmbeddedNats(tmp_path / "nats")
        assert server.port != busy
        with server:
            assert not port_is_free(server.port)


def test_a_server_that_cannot_start_is_reported(tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        with pytest.raises(RuntimeError, match="exited"):
            EmbeddedNats(tmp_path / "nats", port=blocker.getsockname()[1]).start()


def test_the_server_dies_with_a_sigkilled_owner(tmp_path: Path) -> None:
    owner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from deskmesh.embedded_nats import *\n"
            "s = EmbeddedNats(Path(sys.argv[1]), port=free_port()); s.start()\n"
            "print(s.pid, flush=True); time.sleep(120)",
            str(tmp_path / "nats"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert owner.stdout is not None
    server_pid = int(owner.stdout.readline())
    owner.kill()
    owner.wait(10)
    owner.stdout.close()
    deadline = time.monotonic() + 15
    while _alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(server_pid)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
