"""Opening the mesh's JetStream key-value buckets: the one place they are created.

Every bucket the mesh makes (the cards directory, the capability replay ledger, each agent's
task bucket and the event stream under it) is opened here, with the number of replicas the
deployment asked for (``DESKMESH_JETSTREAM_REPLICAS``, agents/runtime/settings.py). On a
cluster, a bucket with fewer replicas than servers stops answering while a server that holds
it is down ("no response from stream"), so one setting covers them all.

A bucket that exists is used as it is; when its replica count differs from the setting, that
is logged (scaling a stream is an operator's decision: ``nats stream edit KV_<bucket>
--replicas N``).
"""

from __future__ import annotations

import logging

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig
from nats.js.errors import APIError, BucketNotFoundError
from nats.js.kv import KeyValue

from protocol.errors import DeskmeshError

logger = logging.getLogger(__name__)

MAX_REPLICAS = 5
"""JetStream's own limit on a stream's replicas."""


class JetStreamAssetError(DeskmeshError):
    """A bucket the mesh needs could not be created as configured."""


def check_replicas(replicas: int) -> int:
    if not 1 <= replicas <= MAX_REPLICAS:
        raise ValueError(f"JetStream replicas must be 1 to {MAX_REPLICAS}, not {replicas}")
    return replicas


async def open_kv(js: JetStreamContext, config: KeyValueConfig) -> KeyValue:
    """The bucket ``config.bucket``, created with ``config`` (its replicas too) when missing."""
    check_replicas(config.replicas)
    try:
        kv = await js.key_value(config.bucket)
    except BucketNotFoundError:
        try:
            return await js.create_key_value(config)
        except APIError as e:
            raise JetStreamAssetError(
                f"cannot create JetStream bucket {config.bucket!r} with {config.replicas} "
                f"replica(s): {e.description or e} (DESKMESH_JETSTREAM_REPLICAS may not exceed "
                "the number of JetStream servers)"
            ) from e
    status = await kv.status()
    existing = status.stream_info.config.num_replicas or 1
    if existing != config.replicas:
        logger.warning(
            "JetStream bucket %s has %d replica(s), DESKMESH_JETSTREAM_REPLICAS is %d: "
            "using it as it is (nats stream edit KV_%s --replicas %d)",
            config.bucket,
            existing,
            config.replicas,
            config.bucket,
            config.replicas,
        )
    return kv
