"""MeshLock: one runner per state folder, and a way to tell a live mesh from a stale one.

``deskmesh up`` holds an exclusive ``flock`` on ``<var>/mesh.lock`` for as long as it runs. The
kernel drops the lock when the runner exits however it exits (SIGKILL included), so:

- a second runner on the same folder fails at once, before it touches anything;
- ``mesh.json`` with no lock held is stale: its mesh is gone, whatever its URLs say.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any

LOCK_FILE = "mesh.lock"
MESH_FILE = "mesh.json"


class MeshAlreadyRunning(RuntimeError):
    """Another runner holds the state folder."""


class MeshLock:
    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.path = var_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the folder, or raise MeshAlreadyRunning naming the running mesh."""
        if self._fd is not None:
            return
        self.var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by children
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise MeshAlreadyRunning(describe_running(self.var_dir)) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the flock

    @property
    def held(self) -> bool:
        return self._fd is not None


def is_running(var_dir: Path) -> bool:
    """True while some runner holds ``var_dir`` (this process included)."""
    path = var_dir / LOCK_FILE
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def runner_pid(var_dir: Path) -> int | None:
    try:
        return int((var_dir / LOCK_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def read_mesh_file(var_dir: Path) -> dict[str, Any] | None:
    path = var_dir / MESH_FILE
    try:
        return dict(json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        message = f"{path} is unreadable ({error}); delete it and start the mesh"
        raise StaleMeshFile(message) from None


class StaleMeshFile(RuntimeError):
    """mesh.json names a mesh that is not running (or cannot be read)."""


def live_mesh_file(var_dir: Path) -> dict[str, Any] | None:
    """mesh.json of the running mesh; None when there is none; StaleMeshFile when left over."""
    data = read_mesh_file(var_dir)
    if data is None or is_running(var_dir):
        return data
    pid = runner_pid(var_dir)
    raise StaleMeshFile(
        f"{var_dir / MESH_FILE} is left from a mesh that is no longer running"
        + (f" (runner pid {pid})" if pid else "")
        + "; start one with `make run`, or pass --url"
    )


def describe_running(var_dir: Path) -> str:
    data = read_mesh_file_quietly(var_dir)
    where = f", triage {data['triage_url']}" if data and data.get("triage_url") else ", starting"
    return (
        f"a mesh is already running from {var_dir} (runner pid {runner_pid(var_dir)}{where});"
        " stop it (Ctrl-C in its terminal) or give this one another folder with --var"
    )


def read_mesh_file_quietly(var_dir: Path) -> dict[str, Any] | None:
    try:
        return read_mesh_file(var_dir)
    except StaleMeshFile:
        return None
