"""The ``deskmesh`` command: run the mesh, talk to it, manage its data."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from deskmesh import __version__


def _var_dir(args: argparse.Namespace) -> Path:
    return Path(args.var or os.environ.get("DESKMESH_VAR_DIR", "var"))


def cmd_up(args: argparse.Namespace) -> int:
    from deskmesh.runner import Mesh, MeshAlreadyRunning
    from deskmesh.table import print_mesh_table

    mesh = Mesh(
        _var_dir(args),
        nats_url=os.environ.get("DESKMESH_NATS_URL") or None,
        database_url=os.environ.get("DESKMESH_DATABASE_URL") or None,
        reseed=args.reseed,
    )
    try:
        mesh.claim()  # before any output: a second `up` on this folder says one line only
        print("starting NATS and the agents …", flush=True)
        mesh.start()  # Ctrl-C here is a KeyboardInterrupt: start() stops what it started
    except MeshAlreadyRunning as error:
        print(f"deskmesh up: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopped during start-up.", file=sys.stderr)
        return 130
    except (OSError, RuntimeError) as error:  # TimeoutError is an OSError
        print(f"deskmesh up: the mesh did not start: {error}", file=sys.stderr)
        return 1
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    try:
        # Blocked, then awaited: a Ctrl-C that comes while the table prints is not lost.
        signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
        print_mesh_table(mesh)
        if os.environ.get("DESKMESH_EDGE_AUTH", "off") == "off":
            print(
                "HTTP edge auth is OFF: every HTTP caller is anonymous. Anonymous callers can read "
                "a task by its id, but ListTasks shows them none. Set DESKMESH_EDGE_AUTH=api_key "
                "and DESKMESH_EDGE_API_KEYS before exposing the mesh (docs/a2a-edge.md).",
                flush=True,
            )
        signal.sigwait(stop_signals)
        print("\nstopping the mesh …", flush=True)
    finally:
        mesh.stop()
    print("stopped; no agent process is left running.")
    from agents.runtime.process_exit import exit_without_teardown

    exit_without_teardown(0)  # `up` runs only as a command: nothing runs after it
    return 0


def cmd_agent(args: argparse.Namespace) -> int:
    import runpy

    # the agent's own entry point: it reads its settings from the environment
    runpy.run_module(f"agents.{args.name}", run_name="__main__")
    return 0


def cmd_agents(args: argparse.Namespace) -> int:
    import httpx

    from deskmesh.table import print_directory

    url = _triage_url(args)
    response = httpx.get(f"{url}/directory", timeout=10)
    response.raise_for_status()
    entries = response.json()["agents"]
    if args.json:
        print(json.dumps(entries, indent=2))
    else:
        print_directory(entries)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    import asyncio

    from agents.runtime.auth import EDGE_AUTH_ENV
    from deskmesh.ask import ask

    return asyncio.run(
        ask(
            _triage_url(args),
            args.text,
            customer=args.customer,
            task_id=args.task,
            as_json=args.json,
            api_key=args.api_key or os.environ.get(EDGE_AUTH_ENV),
        )
    )


def cmd_seed(args: argparse.Namespace) -> int:
    import asyncio

    from deskmesh.data import seed

    counts = asyncio.run(seed(args.source, args.dir, _store_url(args)))
    print(f"seeded {args.source}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import asyncio

    from deskmesh.data import export

    asyncio.run(export(Path(args.dir), _store_url(args)))
    print(f"exported the store to {args.dir}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evaluation.cli import run

    return run(args)


def cmd_trace(args: argparse.Namespace) -> int:
    from deskmesh.trace import trace_report

    lines = trace_report(args.task_id, _var_dir(args))
    if not lines:
        print(f"no spans mention {args.task_id} under {_var_dir(args) / 'traces'}")
        return 1
    print("\n".join(lines))
    return 0


def _store_url(args: argparse.Namespace) -> str:
    return os.environ.get("DESKMESH_DATABASE_URL") or (
        f"sqlite+aiosqlite:///{_var_dir(args) / 'store.db'}"
    )


def _triage_url(args: argparse.Namespace) -> str:
    from deskmesh.mesh_lock import StaleMeshFile, live_mesh_file

    if args.url:
        return str(args.url).rstrip("/")
    if os.environ.get("DESKMESH_TRIAGE_URL"):
        return os.environ["DESKMESH_TRIAGE_URL"].rstrip("/")
    try:
        mesh = live_mesh_file(_var_dir(args))
    except StaleMeshFile as error:
        raise SystemExit(f"deskmesh: {error}") from None
    if mesh and mesh.get("triage_url"):
        return str(mesh["triage_url"])
    raise SystemExit("no running mesh found: start one with `make run`, or pass --url")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deskmesh", description=__doc__)
    parser.add_argument("--version", action="version", version=f"deskmesh {__version__}")
    parser.add_argument("--var", help="state folder (default: ./var or DESKMESH_VAR_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="run the whole mesh locally until Ctrl-C")
    up.add_argument("--reseed", action="store_true", help="reload the demo data first")
    up.set_defaults(func=cmd_up)

    agent = sub.add_parser("agent", help="run one agent in the foreground")
    agent.add_argument("name", choices=("triage", "billing", "orders", "escalation"))
    agent.set_defaults(func=cmd_agent)

    agents = sub.add_parser("agents", help="list the live agents of the mesh")
    agents.add_argument("--url", help="triage base URL (default: the running local mesh)")
    agents.add_argument("--json", action="store_true")
    agents.set_defaults(func=cmd_agents)

    ask = sub.add_parser("ask", help="send a ticket to triage and print the reply")
    ask.add_argument("text")
    ask.add_argument("--customer", help="verified customer (user id)")
    ask.add_argument("--task", help="answer the question of an input-required task")
    ask.add_argument("--json", action="store_true", help="print the final task as JSON")
    ask.add_argument("--url", help="triage base URL (default: the running local mesh)")
    ask.add_argument(
        "--api-key", help="edge auth key (default: $DESKMESH_EDGE_API_KEY) when triage asks for one"
    )
    ask.set_defaults(func=cmd_ask)

    seed = sub.add_parser("seed", help="load data into the store")
    seed.add_argument("source", choices=("demo", "tau-retail"))
    seed.add_argument("dir", nargs="?", help="τ-bench retail folder (for tau-retail)")
    seed.set_defaults(func=cmd_seed)

    export = sub.add_parser("export", help="write the store as τ-bench JSON")
    export.add_argument("dir")
    export.set_defaults(func=cmd_export)

    from evaluation.arguments import add_arguments as add_eval_arguments

    evaluate = sub.add_parser("eval", help="run scenario suites against the mesh and score them")
    add_eval_arguments(evaluate)
    evaluate.set_defaults(func=cmd_eval)

    trace = sub.add_parser("trace", help="show a ticket's delegation tree from the span files")
    trace.add_argument("task_id", help="triage task id (= ticket id) or any delegated task id")
    trace.set_defaults(func=cmd_trace)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except Exception as error:
        from deskmesh.cli_errors import one_line

        message = one_line(error)
        if message is None:
            raise
        print(f"deskmesh {args.command}: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
