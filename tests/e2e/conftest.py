from __future__ import annotations

from collections.abc import Iterator

import pytest

from deskmesh.runner import Mesh

CARD_TTL_S = 3.0


@pytest.fixture(scope="session")
def mesh(nats_url: str, tmp_path_factory: pytest.TempPathFactory, run_id: str) -> Iterator[Mesh]:
    """The four agents as separate OS processes on the session's NATS server."""
    prefix = f"e{run_id}"
    runner = Mesh(
        tmp_path_factory.mktemp("mesh"),
        nats_url=nats_url,
        subject_prefix=prefix,
        extra_env={
            "DESKMESH_CARDS_BUCKET": f"cards_{prefix}",
            "DESKMESH_CARD_TTL_S": str(CARD_TTL_S),
            "DESKMESH_SHUTDOWN_GRACE_S": "3",
        },
    )
    with runner:
        yield runner
