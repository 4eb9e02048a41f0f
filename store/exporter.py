"""Export the store to τ-bench JSON files and import them back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.store import Store

FILES = ("users", "orders", "products")


def read_dir(directory: str | Path) -> dict[str, Any]:
    """Read users.json, orders.json and products.json from ``directory``."""
    directory = Path(directory)
    return {
        name: json.loads((directory / f"{name}.json").read_text(encoding="utf-8")) for name in FILES
    }


def write_dir(data: dict[str, Any], directory: str | Path) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        text = json.dumps(data[name], indent=4, ensure_ascii=False)
        (directory / f"{name}.json").write_text(text + "\n", encoding="utf-8")


async def export_to_dir(store: Store, directory: str | Path) -> None:
    """Write the store's retail data as users.json, orders.json, products.json."""
    write_dir(await store.export(), directory)


async def import_dir(store: Store, directory: str | Path) -> None:
    """Replace the store's retail data with the JSON files in ``directory`` (see Store.reset)."""
    await store.reset(read_dir(directory))
