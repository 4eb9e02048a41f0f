"""deskmesh store: the retail data and the mesh's audit log and handoffs (SQLAlchemy 2 async)."""

from __future__ import annotations

from store.actions import WriteContext
from store.engine import create_engine
from store.errors import ActionError, NotFound, OwnershipError, StoreError
from store.exporter import export_to_dir, import_dir
from store.migrate import migrate
from store.reference import apply_action, apply_actions, canonical, replay
from store.seeds import generate_demo, load_tau
from store.store import DEFAULT_URL, Store

__all__ = [
    "DEFAULT_URL",
    "ActionError",
    "NotFound",
    "OwnershipError",
    "Store",
    "StoreError",
    "WriteContext",
    "apply_action",
    "apply_actions",
    "canonical",
    "create_engine",
    "export_to_dir",
    "generate_demo",
    "import_dir",
    "load_tau",
    "migrate",
    "replay",
]
