"""A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class Progress:
    """A one-line progress display of an evaluation run on stderr."""

    def __init__(self, total: int, *, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.failed = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self._tty = self.stream.isatty()
        self._started = time.monotonic()
        self._last_decile = -1

    def advance(self, *, passed: bool) -> None:
        self.done += 1
        self.failed += 0 if passed else 1
        if not self.enabled:
            return
        decile = 10 * self.done // self.total
        if self._tty:
            self.stream.write("\r" + self.line())
            self.stream.flush()
        elif decile != self._last_decile:
            self._last_decile = decile
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def line(self) -> str:
        filled = WIDTH * self.done // self.total
        elapsed = time.monotonic() - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        return (
            f"[{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total} "
            f"failed {self.failed}  {elapsed:.0f}s elapsed, ~{eta:.0f}s left"
        )

    def close(self) -> None:
        if self.enabled and self._tty:
            self.stream.write("\n")
            self.stream.flush()
