"""Names of the A2A-over-NATS binding: its URI, subjects, queue groups and headers.

The full contract is written down in ``docs/nats-binding.md``; this module is its code form.
"""

from __future__ import annotations

from urllib.parse import urlsplit

NATS_BINDING_URI = "urn:deskmesh:a2a-binding:nats:v1"
"""``protocolBinding`` of the NATS interface in an agent card (A2A 1.0 §5.8 custom binding)."""

PROTOCOL_VERSION = "1.0"

DEFAULT_SUBJECT_PREFIX = "a2a"

# Service parameters travel as NATS headers with the same names as their HTTP counterparts.
VERSION_HEADER = "A2A-Version"
EXTENSIONS_HEADER = "A2A-Extensions"
TRACEPARENT_HEADER = "traceparent"
TRACESTATE_HEADER = "tracestate"
AUTHORIZATION_HEADER = "Authorization"

# Streaming framing: every frame carries its sequence number; the last frame is an empty
# body with the end marker. Frames are sent as requests so the caller acknowledges each one:
# an unacknowledged frame (the caller went away) stops the stream on the server.
STREAM_SEQ_HEADER = "Deskmesh-Stream-Seq"
STREAM_END_HEADER = "Deskmesh-Stream-End"
STREAM_KEEPALIVE_HEADER = "Deskmesh-Stream-Keepalive"

DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024
"""Largest JSON-RPC request body accepted on either binding (HTTP and NATS)."""


def rpc_subject(agent: str, prefix: str = DEFAULT_SUBJECT_PREFIX) -> str:
    """Subject on which every replica of ``agent`` takes A2A requests."""
    return f"{prefix}.{agent}.rpc"


def inbox_prefix(agent: str) -> str:
    """The prefix of an agent's reply inboxes (``_INBOX.<agent>.<id>``): broker permissions let
    only that agent subscribe to them, so no other agent can read its replies."""
    return f"_INBOX.{agent}"


def tasks_bucket(agent: str, prefix: str = DEFAULT_SUBJECT_PREFIX) -> str:
    """The JetStream KV bucket of an agent's A2A tasks (agents/runtime/jetstream_tasks.py)."""
    return f"{prefix.replace('.', '_')}_tasks_{agent}"


def push_bucket(agent: str, prefix: str = DEFAULT_SUBJECT_PREFIX) -> str:
    """The JetStream KV bucket of an agent's push notification configs (agents/runtime/push.py)."""
    return f"{prefix.replace('.', '_')}_push_{agent}"


def queue_group(agent: str, prefix: str = DEFAULT_SUBJECT_PREFIX) -> str:
    """Queue group shared by the replicas of ``agent`` so each request reaches one of them."""
    return f"{prefix}.{agent}"


def interface_url(nats_url: str, subject: str) -> str:
    """The ``url`` of a NATS interface: the server's address with the subject as its path.

    Credentials in ``nats_url`` are never copied into a card.
    """
    parts = urlsplit(nats_url.split(",")[0])
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 4222
    return f"nats://{host}:{port}/{subject}"


def subject_from_interface_url(url: str) -> str:
    """The request subject named by a NATS interface ``url``."""
    subject = urlsplit(url).path.lstrip("/")
    if not subject:
        raise ValueError(f"NATS interface url {url!r} names no subject")
    return subject
