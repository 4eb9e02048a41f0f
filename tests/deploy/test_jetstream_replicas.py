"""DESKMESH_JETSTREAM_REPLICAS reaches every JetStream asset the mesh creates.

The whole local mesh runs against a real 3-node NATS cluster (the nats-server binary, three
processes on loopback) with the setting at 3, and a ticket that writes goes through it (the
capability ledger is opened on the first write). Then every stream in the account is listed:
each must have 3 replicas. A new bucket or stream that does not take the setting appears in that
list with 1 and fails the test, whatever its name.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import nats
import pytest
from a2a.types import TaskState
from nats.js.api import KeyValueConfig
from pydantic import ValidationError

from agents.runtime.settings import AgentSettings
from deskmesh.runner import AGENTS, Mesh
from protocol.binding import tasks_bucket
from protocol.discovery import DEFAULT_BUCKET
from protocol.jetstream_kv import JetStreamAssetError, open_kv
from protocol.replay import DEFAULT_LEDGER_BUCKET
from tests.deploy.mesh_client import delegations, send_ticket, triage_client, until_listed
from tests.nats_cluster import LocalCluster

REPLICAS = 3
CUSTOMER = "sara_okafor_1003"
TEXT = (
    "I moved. My new default address is 77 Replica Lane, Apt 3, Seattle, WA 98101, USA. "
    "Please update my account."
)


@pytest.fixture(scope="module")
def cluster_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    cluster = LocalCluster(tmp_path_factory.mktemp("cluster"))
    cluster.start()
    try:
        yield cluster.url
    finally:
        cluster.stop()


async def _streams(url: str) -> dict[str, int]:
    nc = await nats.connect(servers=url.split(","))
    try:
        infos = await nc.jetstream().streams_info()
        return {info.config.name or "": info.config.num_replicas or 1 for info in infos}
    finally:
        await nc.close()


async def _write_one_ticket(triage_url: str) -> None:
    async with httpx.AsyncClient(timeout=60) as http:
        await until_listed(http, triage_url)
        client = await triage_client(http, triage_url)
        task = await send_ticket(client, TEXT, CUSTOMER)
    assert task.status.state == TaskState.TASK_STATE_COMPLETED, delegations(task)
    assert any(d.get("skill") == "modify_user_address" and d.get("ok") for d in delegations(task))


def test_every_jetstream_asset_of_the_mesh_has_the_configured_replicas(
    cluster_url: str, tmp_path: Path
) -> None:
    mesh = Mesh(
        tmp_path / "mesh",
        nats_url=cluster_url,
        reseed=True,
        extra_env={"DESKMESH_JETSTREAM_REPLICAS": str(REPLICAS)},
    )
    with mesh:
        asyncio.run(_write_one_ticket(mesh.triage_url))
        streams = asyncio.run(_streams(cluster_url))
    expected = {f"KV_{DEFAULT_BUCKET}", f"KV_{DEFAULT_LEDGER_BUCKET}"} | {
        f"KV_{tasks_bucket(agent)}" for agent in AGENTS
    }
    assert expected <= set(streams), sorted(streams)  # the run made each asset it needs
    assert {name: n for name, n in streams.items() if n != REPLICAS} == {}


def test_the_setting_is_read_at_the_edge_and_checked() -> None:
    assert AgentSettings.defaults().jetstream_replicas == 1
    assert AgentSettings(jetstream_replicas=3).jetstream_replicas == 3
    for wrong in (0, 6):
        with pytest.raises(ValidationError, match="jetstream_replicas"):
            AgentSettings(jetstream_replicas=wrong)


async def test_more_replicas_than_servers_is_one_clear_error(nats_url: str, run_id: str) -> None:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        bucket = f"replicas_{run_id}"
        with pytest.raises(JetStreamAssetError, match=f"{bucket}.*3 replica"):
            await open_kv(js, KeyValueConfig(bucket=bucket, replicas=3))
        with pytest.raises(ValueError, match="1 to 5"):
            await open_kv(js, KeyValueConfig(bucket=bucket, replicas=0))
        assert f"KV_{bucket}" not in [info.config.name for info in await js.streams_info()]
    finally:
        await nc.close()
