"""Property-based fuzzing of both bindings (issue 14): every request gets an answer within a
bound, NATS and JSON-RPC/HTTP give the same error class for the same bytes, HTTP never answers
5xx (JSON-RPC or REST), and a valid request still succeeds afterwards.

Examples per run: ``DESKMESH_FUZZ_EXAMPLES`` (default 300 in ``make test``; ``make fuzz``, which CI
runs, uses 3000). Each example is sent over NATS, over JSON-RPC/HTTP and over REST.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from nats.aio.client import Client as NATS

from agents.runtime.metrics import A2A_METHODS
from agents.runtime.service import AgentService
from protocol.cards import JSONRPC_PATH, REST_PATH
from tests.helpers import message_params, nats_connection, rpc, skill_message

EXAMPLES = int(os.environ.get("DESKMESH_FUZZ_EXAMPLES", "300"))
ANSWER_WITHIN_S = 10.0
METHODS = (*sorted(A2A_METHODS - {"GET", "POST", "DELETE"}), "message/send")
HEADER_NAMES = ("A2A-Version", "A2A-Extensions", "traceparent", "tracestate", "X-Fuzz")
REST_ROUTES = (
    ("POST", "/message:send"),
    ("POST", "/message:stream"),
    ("GET", "/tasks/{id}"),
    ("POST", "/tasks/{id}:cancel"),
    ("GET", "/tasks"),
    ("POST", "/tasks/{id}/pushNotificationConfigs"),
)
SEEN: Counter[str] = Counter()
INTERNAL: list[bytes] = []

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=16,
)
parts = st.one_of(
    json_values,
    st.lists(
        st.fixed_dictionaries({}, optional={"text": json_values, "data": json_values})
        | st.fixed_dictionaries({"mediaType": st.text(max_size=8), "data": json_values}),
        max_size=3,
    ),
)
messages = st.fixed_dictionaries(
    {
        "messageId": st.text(max_size=8) | st.integers(),
        "role": st.sampled_from(["ROLE_USER", "ROLE_AGENT", "user", 7]),
        "parts": parts,
    },
    optional={"metadata": json_values, "taskId": st.text(max_size=6), "contextId": json_values},
)
params = st.one_of(
    json_values,
    st.fixed_dictionaries({"message": messages}, optional={"configuration": json_values}),
    st.fixed_dictionaries({"id": st.text(max_size=10) | json_values}),
)
text_parts = st.lists(st.fixed_dictionaries({"text": st.text(max_size=40)}), min_size=1, max_size=2)
skill_parts = st.fixed_dictionaries(
    {
        "mediaType": st.just("application/vnd.deskmesh.skill-call+json"),
        "data": st.fixed_dictionaries(
            {"skill": st.sampled_from(["get_order_details", "cancel_pending_order", "x"])},
            optional={"arguments": json_values},
        ),
    }
).map(lambda part: [part])
sends = st.fixed_dictionaries(
    {
        "jsonrpc": st.just("2.0"),
        "id": st.integers(min_value=0, max_value=10**6),
        "method": st.sampled_from(["SendMessage", "SendMessage", "SendStreamingMessage"]),
        "params": st.fixed_dictionaries(
            {
                "message": st.fixed_dictionaries(
                    {
                        "messageId": st.uuids().map(str),
                        "role": st.just("ROLE_USER"),
                        "parts": text_parts | skill_parts,
                    },
                    optional={"metadata": st.dictionaries(st.text(max_size=8), json_values)},
                )
            },
            optional={"configuration": st.fixed_dictionaries({"blocking": st.booleans()})},
        ),
    }
)
documents = st.fixed_dictionaries(
    {
        "jsonrpc": st.sampled_from(["2.0", "2.0", "1.0", 2]),
        "method": st.sampled_from(METHODS) | st.text(max_size=10),
    },
    optional={
        "id": st.none() | st.integers() | st.text(max_size=6) | st.booleans(),
        "params": params,
    },
)


def _nested(depth: int, kind: str) -> bytes:
    if kind == "list":
        return b"[" * depth + b"]" * depth
    inner = b'{"a":' * depth + b"1" + b"}" * depth
    return b'{"jsonrpc":"2.0","id":1,"method":"GetTask","params":' + inner + b"}"


bodies = st.one_of(
    sends.map(lambda d: json.dumps(d).encode()),
    documents.map(lambda d: json.dumps(d).encode()),
    st.tuples(st.integers(min_value=500, max_value=20_000), st.sampled_from(["list", "dict"])).map(
        lambda t: _nested(*t)
    ),
    st.binary(max_size=64),
    st.binary(min_size=1, max_size=16).map(
        lambda b: b'{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"' + b + b'\xff"}}'
    ),
    documents.map(lambda d: json.dumps(d).encode()[:-3]),
)
header_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=16
)
headers = st.fixed_dictionaries(
    {},
    optional={name: header_values for name in HEADER_NAMES[1:]},
) | st.fixed_dictionaries(
    {"A2A-Version": st.sampled_from(["1.0", "1.0", "1.0", "0.3"]) | header_values},
    optional={name: header_values for name in HEADER_NAMES[1:]},
)


def _http_headers(sent: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """What an HTTP client sends for these headers (UTF-8 bytes where Latin-1 cannot say it)."""
    out = [(b"content-type", b"application/json")]
    for name, raw in sent.items():
        value = raw.strip(" \t")  # HTTP: surrounding whitespace is not part of a value
        try:
            out.append((name.encode(), value.encode("latin-1")))
        except UnicodeEncodeError:
            out.append((name.encode(), value.encode("utf-8")))
    return out


def _error_class(document: Any) -> str:
    if not isinstance(document, dict):
        return "not-an-object"
    if "result" in document:
        return "result"
    error = document.get("error")
    return f"error {error.get('code')}" if isinstance(error, dict) else "neither"


def _sse_first(text: str) -> Any:
    for line in text.split("\n"):  # SSE lines end in LF; splitlines() also splits on U+0085
        if line.startswith("data:"):
            return json.loads(line[5:])
    return None


@pytest.fixture(scope="module")
async def wire(orders_agent: AgentService, nats_url: str) -> AsyncIterator[tuple[NATS, Any]]:
    async with nats_connection(nats_url) as nc, httpx.AsyncClient(timeout=ANSWER_WITHIN_S) as http:
        yield nc, http


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
)
@given(
    body=bodies, sent_headers=headers, route=st.sampled_from(REST_ROUTES), task=st.text(max_size=8)
)
async def test_every_request_is_answered_alike_on_both_bindings(
    orders_agent: AgentService,
    wire: tuple[NATS, httpx.AsyncClient],
    body: bytes,
    sent_headers: dict[str, str],
    route: tuple[str, str],
    task: str,
) -> None:
    nc, http = wire
    assert orders_agent.nats_server is not None
    reply = await nc.request(
        orders_agent.nats_server.subject, body, timeout=ANSWER_WITHIN_S, headers=sent_headers
    )
    over_nats = json.loads(reply.data)
    response = await http.post(
        orders_agent.base_url + JSONRPC_PATH, content=body, headers=_http_headers(sent_headers)
    )
    assert response.status_code < 500, response.text
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        over_http = _sse_first(response.text)
    else:
        over_http = response.json()
    assert _error_class(over_nats) == _error_class(over_http), (body[:200], over_nats, over_http)
    SEEN[_error_class(over_nats)] += 1
    if _error_class(over_nats) == "error -32603":
        INTERNAL.append(body[:300])

    method, path = route
    url = orders_agent.base_url + REST_PATH + path.format(id=quote(task, safe=""))
    rest = await http.request(
        method, url, content=body if method == "POST" else None, headers=_http_headers(sent_headers)
    )
    assert rest.status_code < 500, (method, url, body[:200], rest.text)
    SEEN[f"rest {rest.status_code}"] += 1


async def test_a_valid_request_succeeds_after_the_fuzzing(
    orders_agent: AgentService, wire: tuple[NATS, httpx.AsyncClient]
) -> None:
    nc, http = wire
    assert orders_agent.nats_server is not None
    message = skill_message(
        "get_order_details",
        {"order_id": "#W1000001"},
        ticket_id="fuzz",
        step="1",
        customer_id="ava_moreno_1001",
    )
    request = rpc("SendMessage", message_params(message))
    headers = {"A2A-Version": "1.0"}
    reply = await nc.request(
        orders_agent.nats_server.subject, json.dumps(request).encode(), timeout=30, headers=headers
    )
    state = json.loads(reply.data)["result"]["task"]["status"]["state"]
    response = await http.post(orders_agent.base_url + JSONRPC_PATH, json=request, headers=headers)
    assert state == response.json()["result"]["task"]["status"]["state"] == "TASK_STATE_COMPLETED"
    print(f"\nfuzz answers by class: {dict(SEEN)}; -32603 for: {INTERNAL[:5]}")
