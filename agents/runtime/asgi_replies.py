"""A whole HTTP response sent from ASGI middleware that refuses a request before the app runs."""

from __future__ import annotations

from starlette.types import Send


async def send_refusal(
    send: Send, status: int, body: bytes, content_type: bytes, *headers: tuple[bytes, bytes]
) -> None:
    """``status`` with ``body`` (its type and length set) and any extra ``headers``."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
