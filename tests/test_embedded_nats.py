"""The embedded nats-server starts with JetStream on a free port and stops cleanly."""

from __future__ import annotations

import socket
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
