"""Push notifications (A2A 1.0 §3.5, §4.3.3): webhook configs owned by their caller, kept where
every replica of the agent reads them, delivered only to hosts the deployment allows.

- **Ownership**: a config belongs to the principal that created it (``task_owner``, the same as
  tasks, docs/a2a-edge.md); Get/List/Delete see only the caller's configs, and the SDK's handler
  answers TaskNotFoundError first for a task the caller does not own. Delivery fires every
  config of the task, whoever registered it (registration was authorised).
- **Storage**: next to the tasks, so any replica delivers for any task: a JetStream KV bucket
  ``<prefix>_push_<agent>`` (one key per task, compare-and-set writes) when the task store is
  JetStream, else the SDK's SQL store on the task database (table ``push_configs_<agent>``).
- **SSRF**: a webhook URL is checked when the config is created and again before every
  delivery (``PushUrlPolicy``): http(s) only, and either a host on
  ``DESKMESH_PUSH_ALLOWED_HOSTS`` or, with that list empty, a host whose addresses are all
  public (the SDK's check). Loopback and private networks are reachable only when listed.
- **Delivery**: the SDK's sender (a POST of the event as a StreamResponse, the config's
  ``authentication`` as ``Authorization: <scheme> <credentials>``, its ``token`` as
  ``X-A2A-Notification-Token``), with a timeout, no redirects, and the event scrubbed of
  capabilities like every read (task_access.scrub).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import urllib.parse
import warnings
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
from a2a.server.context import ServerCallContext
from a2a.server.models import create_push_notification_config_model
from a2a.server.owner_resolver import OwnerResolver
from a2a.server.tasks import (
    BasePushNotificationSender,
    DatabasePushNotificationConfigStore,
    PushNotificationConfigStore,
)
from a2a.server.tasks.push_notification_config_store import normalize_push_notification_config
from a2a.server.tasks.push_notification_sender import PushNotificationEvent
from a2a.types import Task, TaskPushNotificationConfig, TaskStatusUpdateEvent
from a2a.utils.errors import InvalidParamsError
from a2a.utils.push_url_validator import validate_push_notification_url
from google.protobuf.json_format import MessageToDict, ParseDict
from nats.aio.client import Client as NATS
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import KeyNotFoundError, KeyWrongLastSequenceError
from nats.js.kv import KeyValue

from agents.runtime.settings import AgentSettings
from agents.runtime.task_access import scrub
from protocol.binding import push_bucket
from protocol.capabilities import CAPABILITY_EXTENSION_URI
from protocol.jetstream_kv import open_kv
from store import create_engine

logger = logging.getLogger(__name__)

MAX_CONFIGS_PER_TASK = 10
"""Webhooks one principal may register on one task; more is invalid params."""
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def allowed_hosts(setting: str) -> tuple[str, ...]:
    """``DESKMESH_PUSH_ALLOWED_HOSTS`` as lower-case host patterns."""
    return tuple(h.strip().lower() for h in setting.split(",") if h.strip())


@dataclass(frozen=True, slots=True)
class PushUrlPolicy:
    """Which webhook URLs the agent may POST to (module docstring, SSRF)."""

    allowed: tuple[str, ...] = ()

    def lists(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        for pattern in self.allowed:
            if pattern.startswith("*."):
                if host.endswith(pattern[1:]) and host != pattern[2:]:
                    return True
            elif host == pattern:
                return True
        return False

    async def __call__(self, url: str) -> bool:
        try:
            parsed = urllib.parse.urlsplit(url)
            parsed.port  # noqa: B018 - raises ValueError for a malformed port
        except ValueError:
            return False
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            return False
        if parsed.username or parsed.password:
            return False  # credentials belong in the config's authentication, not the URL
        if self.allowed:
            if not self.lists(parsed.hostname):
                logger.warning("push webhook host %r is not allowed", parsed.hostname)
                return False
            return True
        return await validate_push_notification_url(url)


class JetStreamPushConfigStore(PushNotificationConfigStore):
    """Push configs in a KV bucket: one key per task holding every owner's configs of it."""

    def __init__(self, kv: KeyValue, owner_resolver: OwnerResolver) -> None:
        self._kv = kv
        self.owner_resolver = owner_resolver

    @staticmethod
    def key(task_id: str) -> str:
        if _SAFE_KEY.match(task_id):
            return task_id
        return "h" + hashlib.sha256(task_id.encode()).hexdigest()[:40]

    async def _read(self, task_id: str) -> tuple[list[dict[str, Any]], int | None]:
        try:
            entry = await self._kv.get(self.key(task_id))
        except KeyNotFoundError:  # also a deleted key
            return [], None
        items: list[dict[str, Any]] = json.loads(entry.value) if entry.value else []
        return items, entry.revision

    async def _write(self, task_id: str, items: list[dict[str, Any]], revision: int | None) -> bool:
        """Compare-and-set; False when another replica wrote the key in between."""
        value = json.dumps(items).encode()
        try:
            if revision is None:
                await self._kv.create(self.key(task_id), value)
            else:
                await self._kv.update(self.key(task_id), value, last=revision)
        except KeyWrongLastSequenceError:
            return False
        return True

    @staticmethod
    def _config(item: dict[str, Any]) -> TaskPushNotificationConfig:
        return ParseDict(item["config"], TaskPushNotificationConfig())

    async def set_info(
        self,
        task_id: str,
        notification_config: TaskPushNotificationConfig,
        context: ServerCallContext,
    ) -> TaskPushNotificationConfig:
        owner = self.owner_resolver(context)
        stored = normalize_push_notification_config(task_id, notification_config)
        while True:
            items, revision = await self._read(task_id)
            refuse_past_limit([self._config(i) for i in items if i["owner"] == owner], stored.id)
            kept = [i for i in items if not (i["owner"] == owner and i["id"] == stored.id)]
            kept.append({"owner": owner, "id": stored.id, "config": MessageToDict(stored)})
            if await self._write(task_id, kept, revision):
                return stored

    async def get_info(
        self, task_id: str, context: ServerCallContext
    ) -> list[TaskPushNotificationConfig]:
        owner = self.owner_resolver(context)
        items, _ = await self._read(task_id)
        return [self._config(i) for i in items if i["owner"] == owner]

    async def get_info_for_dispatch(self, task_id: str) -> list[TaskPushNotificationConfig]:
        items, _ = await self._read(task_id)
        return [self._config(i) for i in items]

    async def delete_info(
        self, task_id: str, context: ServerCallContext, config_id: str | None = None
    ) -> None:
        """Deleting a config that is not there changes nothing and is no error (§3.1.10)."""
        owner = self.owner_resolver(context)
        while True:
            items, revision = await self._read(task_id)
            kept = [
                i
                for i in items
                if i["owner"] != owner or (config_id is not None and i["id"] != config_id)
            ]
            if len(kept) == len(items):
                return
            if revision is not None and not kept:
                try:
                    await self._kv.delete(self.key(task_id), last=revision)
                except KeyWrongLastSequenceError:
                    continue
                return
            if await self._write(task_id, kept, revision):
                return


def carries_capability(event: PushNotificationEvent) -> bool:
    """Whether a message of the event holds a capability (task_access.scrub would remove it)."""
    if isinstance(event, Task):
        messages = list(event.history)
        status = event.status
    elif isinstance(event, TaskStatusUpdateEvent):
        messages, status = [], event.status
    else:
        return False
    if status.HasField("message"):
        messages.append(status.message)
    return any(CAPABILITY_EXTENSION_URI in m.metadata for m in messages)


def refuse_past_limit(stored: list[TaskPushNotificationConfig], config_id: str) -> None:
    """Invalid params when a new config would be the caller's one too many on the task."""
    if len(stored) >= MAX_CONFIGS_PER_TASK and all(c.id != config_id for c in stored):
        raise InvalidParamsError(
            message=f"at most {MAX_CONFIGS_PER_TASK} push notification configs per task"
        )


class LimitedDatabasePushConfigStore(DatabasePushNotificationConfigStore):
    """The SDK's SQL store with the per-task limit of the JetStream one."""

    async def set_info(
        self,
        task_id: str,
        notification_config: TaskPushNotificationConfig,
        context: ServerCallContext,
    ) -> TaskPushNotificationConfig:
        stored = normalize_push_notification_config(task_id, notification_config)
        refuse_past_limit(await self.get_info(task_id, context), stored.id)
        return await super().set_info(task_id, notification_config, context)


class ScrubbingPushSender(BasePushNotificationSender):
    """The SDK's sender; an event that holds a capability goes out as a scrubbed copy (the
    stored tasks never hold one, task_access.take_capability: this is the second line)."""

    async def send_notification(self, task_id: str, event: PushNotificationEvent) -> None:
        if carries_capability(event):
            copy = type(event)()
            copy.CopyFrom(event)
            event = scrub(copy)
        await super().send_notification(task_id, event)


@dataclass(frozen=True, slots=True)
class PushNotifications:
    """What the request handler needs for push notifications."""

    store: PushNotificationConfigStore
    sender: BasePushNotificationSender
    policy: PushUrlPolicy


@functools.cache
def _push_model(table_name: str) -> type:
    """The SDK's push config model on a per-agent table, declared once per process (a second
    in-process replica would declare the table again, which SQLAlchemy refuses)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "This declarative base already contains a class")
        return create_push_notification_config_model(table_name)


async def open_push_notifications(
    settings: AgentSettings,
    agent: str,
    *,
    nc: NATS,
    on_jetstream: bool,
    stack: AsyncExitStack,
    owner_resolver: OwnerResolver,
) -> PushNotifications:
    """The push config store beside the task store (JetStream or SQL), and the sender."""
    store: PushNotificationConfigStore
    if on_jetstream:
        kv = await open_kv(
            nc.jetstream(),
            KeyValueConfig(
                bucket=push_bucket(agent, settings.subject_prefix),
                history=1,
                # a config lasts as long as a finished task is kept (DESKMESH_TASK_RETENTION_S)
                ttl=settings.task_retention_s,
                storage=StorageType.FILE,
                replicas=settings.jetstream_replicas,
            ),
        )
        store = JetStreamPushConfigStore(kv, owner_resolver)
    else:
        engine = create_engine(settings.tasks_url(agent))
        stack.push_async_callback(engine.dispose)
        if engine.dialect.name == "sqlite":  # as the task store (task_stores.py)
            engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        sql = LimitedDatabasePushConfigStore(engine, owner_resolver=owner_resolver)
        sql.config_model = _push_model(f"push_configs_{agent}")
        await sql.initialize()
        store = sql
    policy = PushUrlPolicy(allowed_hosts(settings.push_allowed_hosts))
    client = await stack.enter_async_context(
        httpx.AsyncClient(timeout=settings.push_timeout_s, follow_redirects=False)
    )
    sender = ScrubbingPushSender(client, store, push_url_validator=policy)
    return PushNotifications(store, sender, policy)
