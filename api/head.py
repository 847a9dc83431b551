"""`HEAD` wherever `GET` answers: the same status and headers, no body (RFC 9110 9.3.2).

FastAPI routes declared with `@get` answer 405 to HEAD, which breaks `curl -I`, uptime
probes and link checkers. This pure ASGI middleware hands the app a GET and drops the
body on the way out; the server still sees a HEAD and sends the GET's Content-Length
with no bytes. A path without GET (POST-only) still answers 405.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):  # the end: an empty last chunk
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, headers_only)
