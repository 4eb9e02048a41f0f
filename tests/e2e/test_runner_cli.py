"""`deskmesh up` as a user meets it: real runner processes, real agents, real nats-server.

A second runner on the same folder, a terminal's Ctrl-C, a SIGKILLed runner, a stale mesh file
and a dead URL, each checked through the command line only.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from deskmesh.embedded_nats import free_port
from deskmesh.runner import Mesh, MeshAlreadyRunning

CLI = [sys.executable, "-m", "deskmesh.cli"]
TICKET = "Where is my order #W1000001?"
CUSTOMER = "ava_moreno_1001"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKMESH_")}
    return {**env, "PYTHONUNBUFFERED": "1"}


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=_env(), capture_output=True, text=True, timeout=timeout
    )


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


def _wait_gone(pids: list[int], timeout_s: float = 30.0) -> list[int]:
    deadline = time.monotonic() + timeout_s
    while (alive := [p for p in pids if _alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def _assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


@dataclass
class RunningUp:
    process: subprocess.Popen[str]
    var_dir: Path

    def mesh_file(self) -> dict[str, object]:
        return dict(json.loads((self.var_dir / "mesh.json").read_text()))

    def pids(self) -> list[int]:
        data = self.mesh_file()
        agents = data["agents"]
        assert isinstance(agents, dict)
        return [int(a["pid"]) for a in agents.values()] + [int(str(data["nats_pid"]))]


@pytest.fixture
def running_up(tmp_path: Path) -> Iterator[RunningUp]:
    """`deskmesh up` in its own session (like a terminal's foreground job), until its table."""
    process = subprocess.Popen(
        [*CLI, "--var", str(tmp_path), "up"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if "Ctrl-C stops the mesh" in line:
            break
    assert process.poll() is None, "".join(seen)
    try:
        yield RunningUp(process, tmp_path)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(60)
        process.stdout.close()


def test_a_second_up_is_refused_in_one_line_then_ctrl_c_stops_the_first(
    running_up: RunningUp,
) -> None:
    """One mesh start for both (a start costs ~20 s of the suite's two cores)."""
    before = (running_up.var_dir / "mesh.json").read_bytes()
    second = _run("--var", str(running_up.var_dir), "up", timeout=60)
    _assert_one_line_error(second, "already running", str(running_up.process.pid))
    assert second.returncode == 1
    assert second.stdout == ""
    assert (running_up.var_dir / "mesh.json").read_bytes() == before
    pids = running_up.pids()
    assert all(_alive(pid) for pid in pids)
    # the first still serves, found through its mesh file as a user would: no --url
    ask = _run("--var", str(running_up.var_dir), "ask", TICKET, "--customer", CUSTOMER)
    assert ask.returncode == 0, ask.stdout + ask.stderr
    assert "[completed] Order #W1000001" in ask.stdout and "is pending" in ask.stdout

    os.killpg(running_up.process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    assert running_up.process.wait(60) == 0
    assert _wait_gone(pids, 5) == []
    assert not (running_up.var_dir / "mesh.json").exists()
    # the runner, not the terminal's signal, stopped NATS: after the agents, gracefully
    for log in (running_up.var_dir / "logs").glob("*.log"):
        assert "shutting down" in log.read_text()
    nats_log = (running_up.var_dir / "nats" / "nats.log").read_text()
    assert 'Trapped "terminated" signal' in nats_log
    assert 'Trapped "interrupt" signal' not in nats_log


def test_a_sigkilled_runner_takes_nats_and_agents_with_it(running_up: RunningUp) -> None:
    pids = running_up.pids()
    running_up.process.kill()
    running_up.process.wait(10)
    assert _wait_gone(pids, 30) == []
    # its mesh file is left behind: the CLI calls it stale in one line instead of connecting
    stale = _run("--var", str(running_up.var_dir), "agents", timeout=60)
    _assert_one_line_error(stale, "no longer running", "mesh.json")
    # and the folder is free again for a new runner
    mesh = Mesh(running_up.var_dir, agents=())
    mesh.claim()
    mesh.stop()


def test_a_dead_url_is_one_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    for command in (["ask", "hello", "--url", url], ["agents", "--url", url]):
        result = _run("--var", str(tmp_path), *command, timeout=60)
        _assert_one_line_error(result, url, "is the mesh running?")
        assert result.returncode == 2


def test_an_unreadable_mesh_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "mesh.json").write_text("{not json")
    result = _run("--var", str(tmp_path), "agents", timeout=60)
    _assert_one_line_error(result, "unreadable", "mesh.json")


def test_one_runner_per_folder_in_process(tmp_path: Path) -> None:
    first, second = Mesh(tmp_path, agents=()), Mesh(tmp_path, agents=())
    first.claim()
    (tmp_path / "mesh.json").write_text('{"triage_url": "http://127.0.0.1:1"}')
    try:
        with pytest.raises(MeshAlreadyRunning, match="already running"):
            second.start()
        second.stop()  # a runner that never owned the folder leaves its files alone
        assert (tmp_path / "mesh.json").exists()
    finally:
        first.stop()
    assert not (tmp_path / "mesh.json").exists()
