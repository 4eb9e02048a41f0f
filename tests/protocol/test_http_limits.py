"""HTTP listener limits and unreadable bodies (issue 14): a slow request head is cut off, a
slow body is 408, an oversize chunked body is refused as one declared too large, and bodies
that are not UTF-8 or nest too deeply are -32700 on JSON-RPC and NATS, 400 on REST."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from agents.orders.agent import SPEC as ORDERS
from agents.runtime.service import AgentService
from protocol.cards import JSONRPC_PATH, REST_PATH
from tests.helpers import agent_settings, nats_connection, running_agent

MAX_BYTES = 8 * 1024
V1 = {"A2A-Version": "1.0", "content-type": "application/json"}


@pytest.fixture(scope="module")
async def limited(
    nats_url: str, tmp_path_factory: pytest.TempPathFactory, run_id: str, demo_store_url: str
) -> AsyncIterator[AgentService]:
    folder: Path = tmp_path_factory.mktemp("limited")
    settings = agent_settings(
        nats_url,
        folder,
        f"l{run_id}",
        demo_store_url,
        max_payload_bytes=MAX_BYTES,
        http_header_timeout_s=0.5,
        http_body_timeout_s=0.5,
    )
    async with running_agent(ORDERS, settings) as service:
        yield service


def _address(service: AgentService) -> tuple[str, int]:
    url = httpx.URL(service.base_url)
    assert url.host and url.port
    return url.host, url.port


async def test_an_incomplete_request_head_is_cut_off(limited: AgentService) -> None:
    reader, writer = await asyncio.open_connection(*_address(limited))
    writer.write(b"POST /a2a/jsonrpc HTTP/1.1\r\nHost: x\r\n")  # the head never ends
    await writer.drain()
    async with asyncio.timeout(10):
        assert await reader.read() == b""  # the server closed the connection
    writer.close()


async def test_a_body_that_stops_arriving_is_408(limited: AgentService) -> None:
    reader, writer = await asyncio.open_connection(*_address(limited))
    writer.write(
        b"POST /a2a/jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\n\r\n{"
    )
    await writer.drain()
    async with asyncio.timeout(10):
        status = await reader.readline()
    assert status.split()[1] == b"408"
    writer.close()


async def _chunks(size: int) -> AsyncIterator[bytes]:
    yield b'{"jsonrpc": "2.0", "id": 1, "method": "GetTask", "params": {"id": "'
    for _ in range(size // 1024):
        yield b"x" * 1024
    yield b'"}}'


async def test_an_oversize_chunked_body_is_refused_like_a_declared_one(
    limited: AgentService,
) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        rpc = await http.post(
            limited.base_url + JSONRPC_PATH, content=_chunks(4 * MAX_BYTES), headers=V1
        )
        rest = await http.post(
            limited.base_url + REST_PATH + "/message:send", content=_chunks(4 * MAX_BYTES)
        )
        small = await http.post(limited.base_url + JSONRPC_PATH, content=_chunks(2048), headers=V1)
    assert rpc.status_code == 200 and rpc.json()["error"]["code"] == -32600
    assert rest.status_code == 413
    assert small.json()["error"]["code"] == -32001  # read in full, then served: no such task


UNREADABLE = {
    "not utf-8": b'{"jsonrpc": "2.0", "id": 1, "method": "GetTask", "params": {"id": "\xff"}}',
    "nested too deeply": b"[" * 3000 + b"]" * 3000,
}


@pytest.mark.parametrize("body", UNREADABLE.values(), ids=UNREADABLE.keys())
async def test_unreadable_bodies_are_parse_errors_on_every_binding(
    limited: AgentService, nats_url: str, body: bytes
) -> None:
    assert limited.nats_server is not None
    async with httpx.AsyncClient(timeout=10) as http, nats_connection(nats_url) as nc:
        rpc = await http.post(limited.base_url + JSONRPC_PATH, content=body, headers=V1)
        rest = await http.post(limited.base_url + REST_PATH + "/message:send", content=body)
        reply = await nc.request(limited.nats_server.subject, body, timeout=10, headers=V1)
    assert rpc.json()["error"]["code"] == json.loads(reply.data)["error"]["code"] == -32700
    assert rest.status_code == 400


async def test_non_latin1_header_values_on_nats_get_an_answer(
    limited: AgentService, nats_url: str
) -> None:
    assert limited.nats_server is not None
    body = json.dumps({"jsonrpc": "2.0", "id": 7, "method": "GetTask", "params": {"id": "x"}})
    headers = {"A2A-Version": "1.0", "A2A-Extensions": "ünïcødé ✓", "traceparent": "☃"}
    async with nats_connection(nats_url) as nc:
        reply = await nc.request(limited.nats_server.subject, body.encode(), 10, headers=headers)
    assert json.loads(reply.data)["error"]["code"] == -32001  # served: no such task


MAX_CONNECTIONS = 3
MAX_HEAD_BYTES = 4096


@pytest.fixture(scope="module")
async def crowded(
    nats_url: str, tmp_path_factory: pytest.TempPathFactory, run_id: str, demo_store_url: str
) -> AsyncIterator[AgentService]:
    """An agent with a small connection limit and head limit; idle connections stay open."""
    folder: Path = tmp_path_factory.mktemp("crowded")
    settings = agent_settings(
        nats_url,
        folder,
        f"c{run_id}",
        demo_store_url,
        http_max_connections=MAX_CONNECTIONS,
        http_max_head_bytes=MAX_HEAD_BYTES,
        http_keep_alive_s=60.0,
    )
    async with running_agent(ORDERS, settings) as service:
        yield service


class Connection:
    """One raw HTTP/1.1 connection: requests written by hand, responses read to their end."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, service: AgentService) -> Connection:
        return cls(*await asyncio.open_connection(*_address(service)))

    async def get(self, path: str = "/healthz", extra_head: bytes = b"") -> tuple[int, bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n".encode() + extra_head + b"\r\n")
        await self.writer.drain()
        async with asyncio.timeout(10):
            status = int((await self.reader.readline()).split()[1])
            length = 0
            while (line := await self.reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            return status, await self.reader.readexactly(length)

    async def closed_by_server(self) -> bool:
        async with asyncio.timeout(10):
            return await self.reader.read() == b""

    def close(self) -> None:
        self.writer.close()


async def test_a_request_beyond_the_connection_limit_is_503_and_later_ones_are_served(
    crowded: AgentService,
) -> None:
    held = [await Connection.open(crowded) for _ in range(MAX_CONNECTIONS - 1)]
    try:
        # uvicorn counts the request's own connection: with N - 1 others open, the Nth is full
        assert [(await c.get())[0] for c in held] == [200] * (MAX_CONNECTIONS - 1)
        extra = await Connection.open(crowded)
        status, body = await extra.get()
        assert (status, body) == (503, b"Service Unavailable")
        assert await extra.closed_by_server()  # its slot is given back
        assert (await held[0].get())[0] == 200  # the held connections are served again
    finally:
        for connection in held:
            connection.close()


async def test_a_request_head_over_the_limit_is_431(crowded: AgentService) -> None:
    too_long = await Connection.open(crowded)  # the whole head in one read
    status, body = await too_long.get(extra_head=b"X-Filler: " + b"a" * MAX_HEAD_BYTES + b"\r\n")
    assert status == 431 and str(MAX_HEAD_BYTES).encode() in body
    assert await too_long.closed_by_server()
    too_long.close()

    trickled = await Connection.open(crowded)  # the same head, still incomplete at the limit
    trickled.writer.write(b"GET /healthz HTTP/1.1\r\nX-Filler: " + b"a" * MAX_HEAD_BYTES)
    await trickled.writer.drain()
    async with asyncio.timeout(10):
        assert (await trickled.reader.readline()).split()[1] == b"431"
        rest = await trickled.reader.read()  # to the end: the server closed the connection
    assert rest.endswith(f"larger than {MAX_HEAD_BYTES} bytes.".encode())
    trickled.close()

    malformed = await Connection.open(crowded)
    assert (await malformed.get(extra_head=b"no colon here\r\n"))[0] == 400
    malformed.close()

    fits = await Connection.open(crowded)
    status, _ = await fits.get(extra_head=b"X-Filler: " + b"a" * (MAX_HEAD_BYTES // 2) + b"\r\n")
    assert status == 200
    fits.close()
