"""AgentSettings: one agent process's configuration, read from ``DESKMESH_*`` variables.

Settings are read from the environment at the edge only (``agents/*/__main__.py``, the
``deskmesh`` CLI and runner, tests) and passed down; library code never instantiates them from
the environment. Where a library needs settings it was not given, it takes ``Cls.defaults()``,
the built-in defaults, which reads nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Literal, Self

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from protocol.binding import DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_SUBJECT_PREFIX
from protocol.capabilities import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, CapabilityKeys
from protocol.discovery import DEFAULT_BUCKET, DEFAULT_TTL_S
from protocol.jetstream_kv import MAX_REPLICAS


class EdgeSettings(BaseSettings):
    """Settings an entry point reads from the environment (``Cls()``) and passes down."""

    @classmethod
    def defaults(cls) -> Self:
        """The built-in defaults, without reading the environment (for library defaults)."""
        return cls.model_construct()


class AgentSettings(EdgeSettings):
    """Settings of one agent process. Built once at the edge and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="DESKMESH_", env_file=None, extra="ignore", populate_by_name=True
    )

    nats_url: str = "nats://127.0.0.1:4222"
    sdk_asyncio_queues: bool = False
    """Opt-in (``DESKMESH_SDK_ASYNCIO_QUEUES=1``): before Python 3.13, give the SDK asyncio
    queues instead of culsans ones (agents/runtime/sdk_queues.py; about a tenth less CPU per
    ticket, docs/performance.md). Off by default: a fault test hung once in four CI runs after
    it came in, and the cause is not yet known."""
    """NATS server(s) of the mesh; comma-separated for a cluster."""
    nats_user: str | None = None
    nats_password: str | None = None

    database_url: str | None = None
    """Retail store; default: SQLite file ``<var_dir>/store.db``."""
    task_database_url: str | None = None
    """SQL task store; default: SQLite file ``<var_dir>/tasks-<agent>.db``."""
    task_store: Literal["auto", "jetstream", "sql"] = "auto"
    """auto: JetStream when NATS has it and no task database URL is set, else the SQL store."""
    task_retention_s: float = 7 * 24 * 3600.0
    """How long a finished task stays in the task store (JetStream: per-message TTL; SQL: purge)."""
    task_purge_interval_s: float = 3600.0
    """How often an agent on the SQL task store deletes its finished tasks past retention."""
    task_store_retry_s: float = 20.0
    """How long one JetStream task read or write is retried through a NATS outage, then fails
    (within a specialist caller's step timeout, DESKMESH_STEP_TIMEOUT_S, 30 s)."""
    jetstream_replicas: int = Field(default=1, ge=1, le=MAX_REPLICAS)
    """Replicas of every JetStream bucket the agent creates (cards, capability ledger, task
    bucket and its event stream): 3 on a 3-node cluster, so one server can be down; at most the
    number of JetStream servers (1 on a single server)."""

    host: str = "127.0.0.1"
    port: int = 0
    """HTTP port; 0 picks a free one."""
    public_url: str | None = None
    """Base URL written into the card; default ``http://<host>:<port>``."""

    var_dir: Path = Path("var")
    instance_id: str = Field(default_factory=lambda: uuid.uuid4().hex[:8])

    subject_prefix: str = DEFAULT_SUBJECT_PREFIX
    cards_bucket: str = DEFAULT_BUCKET
    card_ttl_s: float = DEFAULT_TTL_S
    heartbeat_interval_s: float | None = None
    """Default: a quarter of ``card_ttl_s``."""

    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES
    # --- HTTP listener limits (issue 14, agents/runtime/http_server.py) ---
    http_header_timeout_s: float = 10.0
    """A request head (line and headers) must arrive within this time, or the socket closes."""
    http_body_timeout_s: float = 30.0
    """A request body must arrive within this time of its head, or the answer is 408."""
    http_keep_alive_s: float = 5.0
    """Idle keep-alive connections close after this time."""
    http_max_connections: int = 1000
    """A request that arrives while this many connections (its own counted) or requests are
    open is answered 503 and its connection closed."""
    http_max_head_bytes: int = 16 * 1024
    """Largest request head (request line and headers); a longer one is answered 431."""
    # --- end HTTP listener limits ---
    delegation_timeout_s: float = 30.0
    stream_keepalive_s: float = 5.0
    """A quiet NATS stream sends a keepalive this often, to notice callers that left."""
    shutdown_grace_s: float = 10.0
    log_level: str = "INFO"
    # --- observability (deploy issue) ---
    log_format: Literal["json", "text"] = "json"
    """Log lines: one JSON object per line, or plain text for a terminal."""
    log_sensitive: bool = False
    """Keep payment details (card numbers, last four, CVV) in logs; off by default."""
    traces: Literal["auto", "otlp", "file", "off"] = "auto"
    """auto: OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, else <var_dir>/traces/<agent>.jsonl."""
    otlp_endpoint: str | None = Field(
        default=None, validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT")
    )
    otlp_traces_endpoint: str | None = Field(
        default=None, validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )
    """The OpenTelemetry exporter's endpoint variables (the exporter reads them itself)."""
    # --- end observability ---
    # --- guardrails: capabilities and HTTP edge auth (docs/guardrails.md) ---
    capabilities: Literal["enforce", "off"] = "enforce"
    """enforce: a specialist's writes need a valid ticket capability; off: no check (tests only)."""
    capability_public_key: str | None = None
    """Hex Ed25519 root public key that verifies capabilities (every agent)."""
    capability_private_key: SecretStr | None = None
    """Hex Ed25519 root private key that mints capabilities (triage only)."""
    capability_key_dir: Path | None = None
    """Folder with capability-root.key / capability-root.pub (``deskmesh up`` writes var/keys)."""
    capability_ttl_s: float = 300.0
    capability_ledger_bucket: str = "deskmesh_capability_ledger"
    """JetStream KV bucket of the capability replay ledger, shared by every replica."""
    edge_auth: Literal["off", "api_key", "bearer"] = "off"
    """Auth on the A2A HTTP endpoints; cards, /directory, /healthz, /readyz stay public."""
    edge_api_keys: SecretStr | None = None
    """Comma-separated accepted keys (an API key header, or bearer tokens)."""
    # --- end guardrails ---
    # --- push notifications (A2A 1.0 §3.5, docs/a2a-edge.md) ---
    push_allowed_hosts: str = ""
    """Comma-separated hosts a push webhook may name (``hooks.example.com``, ``*.example.com``,
    ``127.0.0.1``); empty: any host whose addresses are all public. Loopback and private
    addresses are reachable only when listed here."""
    push_timeout_s: float = 5.0
    """One webhook delivery's HTTP timeout."""
    # --- end push notifications ---

    @property
    def otlp_configured(self) -> bool:
        """An OTLP endpoint is set (compose passes an empty one when there is none)."""
        return bool(self.otlp_endpoint or self.otlp_traces_endpoint)

    def store_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.var_dir / 'store.db'}"

    def tasks_url(self, agent: str) -> str:
        return self.task_database_url or f"sqlite+aiosqlite:///{self.var_dir / f'tasks-{agent}.db'}"

    def capability_keys(self) -> CapabilityKeys | None:
        """The configured capability keys: explicit values first, then the key folder."""
        private = (
            self.capability_private_key.get_secret_value() if self.capability_private_key else None
        )
        keys = CapabilityKeys.from_hex(private_hex=private, public_hex=self.capability_public_key)
        if keys is not None or self.capability_key_dir is None:
            return keys
        folder = self.capability_key_dir
        if (folder / PRIVATE_KEY_FILE).exists():
            return CapabilityKeys.from_hex(private_hex=(folder / PRIVATE_KEY_FILE).read_text())
        if (folder / PUBLIC_KEY_FILE).exists():
            return CapabilityKeys.from_hex(public_hex=(folder / PUBLIC_KEY_FILE).read_text())
        return None
