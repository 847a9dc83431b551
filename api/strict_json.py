"""Refuses JSON bodies that parse differently depending on who reads them.

Python's `json` (what FastAPI parses with) takes a duplicated key as its last value,
`NaN` and `Infinity` as numbers, and fails with a RecursionError on deep nesting. Another
reader of the same bytes (a proxy, an audit log, the client's own library) may take the
first value or refuse, so a body holding any of these is answered 400 before the route
reads it. The body is already capped by `BodySizeLimit`, so buffering it here is cheap.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AmbiguousJson(ValueError):
    """The body is JSON that two parsers could read differently."""


class StrictJson:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive)
        except HTTPException as refused:  # BodySizeLimit's 413 while streaming
            await error_response(refused.status_code, "payload_too_large", str(refused.detail))(
                scope, receive, send
            )
            return
        problem = ambiguity(body)
        if problem is not None:
            await error_response(400, "malformed_json", problem)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def ambiguity(body: bytes) -> str | None:
    """Why `body` is refused, or None when it is plain JSON (or empty: the route decides)."""
    if not body.strip():
        return None
    try:
        json.loads(body, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except AmbiguousJson as error:
        return f"the request body is ambiguous JSON: {error}"
    except RecursionError:
        return "the request body nests too deeply"
    except ValueError:  # malformed JSON or UTF-8: the route answers it in its usual shape
        return None
    return None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        keys = [key for key, _ in pairs]
        twice = next(key for key in keys if keys.count(key) > 1)
        raise AmbiguousJson(f"key {twice!r} appears twice in one object")
    return result


def _no_constant(name: str) -> Any:
    raise AmbiguousJson(f"{name} is not a JSON number")


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as Starlette does

    return replay
