"""Children that die with their parent: the runner's agents and its nats-server.

Linux's parent-death signal (``prctl(PR_SET_PDEATHSIG)``) is set in the child between fork and
exec, so even a SIGKILLed runner leaves nothing behind. Two details matter:

- libc is loaded here, in the parent, once: calling ``dlopen`` in a child forked from a
  threaded process can deadlock.
- the signal is tied to the *thread* that forked; start children from a thread that lives as
  long as they should (the main thread, or a pool thread that is never retired early).

Children also get their own process group, so a Ctrl-C in the terminal reaches only the runner,
which then stops the agents before NATS instead of everything dying at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1
_LIBC: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None]:
    """A ``preexec_fn`` that makes the child receive ``sig`` when this process dies."""
    parent = os.getpid()

    def arm() -> None:  # runs in the child between fork and exec
        if _LIBC is None:
            return
        _LIBC.prctl(_PR_SET_PDEATHSIG, int(sig))
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return arm


def child_options(death_signal: int = signal.SIGTERM) -> dict[str, object]:
    """``subprocess.Popen`` keyword arguments for a child owned by this process."""
    return {"preexec_fn": die_with_parent(death_signal), "process_group": 0}
