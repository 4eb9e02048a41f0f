"""Store maintenance behind ``deskmesh seed`` and ``deskmesh export``."""

from __future__ import annotations

from pathlib import Path

from store import Store, export_to_dir, generate_demo, load_tau


async def seed(source: str, folder: str | None, url: str) -> dict[str, int]:
    if source == "demo":
        data = generate_demo()
    else:
        if not folder:
            raise SystemExit("deskmesh seed tau-retail needs the τ-bench retail folder (…/v1)")
        data = load_tau(Path(folder))
    async with Store(url) as store:
        await store.reset(data)
    return {name: len(data[name]) for name in ("users", "orders", "products")}


async def export(folder: Path, url: str) -> None:
    async with Store(url) as store:
        await export_to_dir(store, folder)
