"""A SCRIPTED OpenAI-compatible endpoint for the LLM planner's tests (no model behind it).

POST /v1/chat/completions answers with the next scripted reply: a message content (valid or
not), an HTTP error status, or no answer at all (until the test ends). Strict: a call with no
scripted reply left is recorded as unexpected, and ``verify()`` fails on unexpected calls and
on scripted replies nobody asked for. Token counts in its answers are scripted numbers too.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SCRIPTED_USAGE = {"prompt_tokens": 321, "completion_tokens": 54, "total_tokens": 375}


@dataclass(frozen=True, slots=True)
class Reply:
    content: str | None = None
    status: int = 200
    hang: bool = False


def content(value: Any) -> Reply:
    """A scripted assistant message: a dict is sent as JSON, a str as is (e.g. broken JSON)."""
    return Reply(content=value if isinstance(value, str) else json.dumps(value))


def status(code: int) -> Reply:
    return Reply(status=code)


HANG = Reply(hang=True)


@dataclass
class ScriptedLLM:
    base_url: str = ""
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    unexpected: int = 0
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def expect(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def verify(self) -> None:
        """Fail on unexpected calls and unused replies, then reset for the next test."""
        unexpected, unused = self.unexpected, len(self.replies)
        self.release.set()  # ends scripted hangs; a fresh event for the next test
        self.release = asyncio.Event()
        self.replies.clear()
        self.unexpected = 0
        assert unexpected == 0, f"{unexpected} call(s) to the scripted LLM were not scripted"
        assert unused == 0, f"{unused} scripted LLM repl(ies) were never requested"

    async def _completions(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append(body)
        if not self.replies:
            self.unexpected += 1
            return JSONResponse({"error": {"message": "no scripted reply left"}}, 500)
        reply = self.replies.popleft()
        if reply.hang:
            await self.release.wait()
            return JSONResponse({"error": {"message": "scripted hang released"}}, 500)
        if reply.status != 200:
            return JSONResponse({"error": {"message": "scripted error"}}, reply.status)
        return JSONResponse(
            {
                "id": f"scripted-{len(self.requests)}",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", "scripted"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply.content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": SCRIPTED_USAGE,
            }
        )


@asynccontextmanager
async def scripted_llm() -> AsyncIterator[ScriptedLLM]:
    """Serve a ScriptedLLM on 127.0.0.1 (a free port, listening before this yields)."""
    llm = ScriptedLLM()
    app = Starlette(routes=[Route("/v1/chat/completions", llm._completions, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    llm.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield llm
    finally:
        llm.release.set()
        server.should_exit = True
        await serving
        sock.close()
