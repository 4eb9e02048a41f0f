"""Structured logs: one JSON object per line, with the ticket, task, context and trace ids.

The ids come from context variables that the traced executor binds for the duration of a task
(asyncio copies them into every task it starts), and from the current OpenTelemetry span.
Customer text can carry payment details; every message is redacted of card numbers, last-four
references and CVV codes unless ``DESKMESH_LOG_SENSITIVE=1``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

from opentelemetry import trace

REDACTED = "[redacted]"

_ids: ContextVar[dict[str, str] | None] = ContextVar("deskmesh_log_ids", default=None)

# 13-19 digits, optionally grouped by spaces or dashes (PANs); runs inside longer digit strings
# and ids such as item ids (10 digits) are left alone.
_CARD_NUMBER = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
_LAST_FOUR = re.compile(
    r"\b((?:ending|ends|last\s+(?:four|4)(?:\s+digits)?)(?:\s+(?:in|with|of|is|are))?[\s:#]*)"
    r"\d{4}\b",
    re.IGNORECASE,
)
_CVV = re.compile(
    r"\b((?:cvv2?|cvc2?|csc|security\s+code)(?:\s+(?:is|code))?[\s:#=]*)\d{3,4}\b",
    re.IGNORECASE,
)
_EXPIRY = re.compile(
    r"\b((?:exp(?:iry|iration)?|expires)(?:\s+date)?[\s:]*)\d{1,2}\s*/\s*\d{2,4}\b", re.IGNORECASE
)


def redact(text: str) -> str:
    """``text`` without card numbers, last-four digits, CVV codes and expiry dates."""
    text = _CARD_NUMBER.sub(REDACTED, text)
    text = _LAST_FOUR.sub(lambda m: m.group(1) + REDACTED, text)
    text = _CVV.sub(lambda m: m.group(1) + REDACTED, text)
    return _EXPIRY.sub(lambda m: m.group(1) + REDACTED, text)


@contextlib.contextmanager
def log_ids(**ids: str | None) -> Iterator[None]:
    """Attach ids (ticket_id, task_id, context_id, …) to every record logged inside the block."""
    current = dict(_ids.get() or {})
    current.update({k: v for k, v in ids.items() if v})
    token = _ids.set(current)
    try:
        yield
    finally:
        _ids.reset(token)


class JsonFormatter(logging.Formatter):
    def __init__(self, *, agent: str, instance: str, sensitive: bool = False) -> None:
        super().__init__()
        self._agent = agent
        self._instance = instance
        self._sensitive = sensitive

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "agent": self._agent,
            "instance": self._instance,
            "msg": message,
        }
        entry.update(_ids.get() or {})
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            entry["trace_id"] = format(span_context.trace_id, "032x")
            entry["span_id"] = format(span_context.span_id, "016x")
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if not self._sensitive:
            entry["msg"] = redact(message)
            if "exc" in entry:
                entry["exc"] = redact(str(entry["exc"]))
        return json.dumps(entry, ensure_ascii=False, default=str)


class RedactingTextFormatter(logging.Formatter):
    def __init__(self, *, sensitive: bool = False) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._sensitive = sensitive

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text if self._sensitive else redact(text)


def setup_logging(
    *, agent: str, instance: str, level: str, fmt: str = "json", sensitive: bool = False
) -> None:
    """Configure the root logger of an agent process (stderr, JSON lines by default)."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "text":
        handler.setFormatter(RedactingTextFormatter(sensitive=sensitive))
    else:
        handler.setFormatter(JsonFormatter(agent=agent, instance=instance, sensitive=sensitive))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.captureWarnings(True)
