"""ASGI middleware: a cap on request body size, and a correlation id per request."""

from __future__ import annotations

import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from domain.shared.context import message_context

MAX_BODY_BYTES = 64 * 1024
CORRELATION_HEADER = "x-correlation-id"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class BodySizeLimit:
    """Answers 413 for a body over `max_bytes`, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # FastAPI re-raises HTTPExceptions from body reading; errors.py shapes it.
                raise HTTPException(413, f"request body over {self.max_bytes} bytes")
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request body over {self.max_bytes} bytes"
        await error_response(413, "payload_too_large", message)(scope, receive, send)


class CorrelationId:
    """Events written while handling a request carry its `X-Correlation-ID` (or a fresh one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(CORRELATION_HEADER.encode(), b"").decode("latin-1")
        with message_context(given if _SAFE_ID.match(given) else None) as metadata:
            echoed = metadata["correlation_id"].encode()

            async def send_with_id(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers: list[Any] = list(message.get("headers", []))
                    headers.append((CORRELATION_HEADER.encode(), echoed))
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_with_id)
