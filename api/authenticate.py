"""Checks the bearer token of every write before its body is read.

FastAPI reads and parses a request's body before it resolves the route's dependencies, so
an anonymous caller with a malformed body would learn "400 malformed JSON" instead of
"401": the body was judged before the caller. This middleware answers 401 first for every
write (`POST`, `PUT`, `PATCH`, `DELETE`) whose operation requires the bearer token in the
app's OpenAPI document, and leaves the decoded `Principal` in the request state for
`api.deps.get_principal`, so no token is decoded twice. A path or method with no route
goes on to its 404/405; reads carry no body, and their dependency checks the token.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import InvalidToken, Principal
from api.errors import error_response
from api.tokens import BearerTokens

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PRINCIPAL_KEY = "principal"


class AuthenticateWrites:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._guarded_writes: list[tuple[str, re.Pattern[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._guarded(scope):
            await self.app(scope, receive, send)
            return
        tokens: BearerTokens = scope["app"].state.bearer_tokens
        try:
            principal = await principal_from(tokens, _authorization(scope))
        except InvalidToken as error:
            await unauthorized(str(error))(scope, receive, send)
            return
        scope.setdefault("state", {})[PRINCIPAL_KEY] = principal
        await self.app(scope, receive, send)

    def _guarded(self, scope: Scope) -> bool:
        method = scope["method"]
        if method not in WRITE_METHODS:
            return False
        if self._guarded_writes is None:  # the app is complete by its first request
            self._guarded_writes = guarded_writes(scope["app"].openapi())
        path = scope["path"]
        return any(m == method and pattern.fullmatch(path) for m, pattern in self._guarded_writes)


def guarded_writes(openapi: dict[str, Any]) -> list[tuple[str, re.Pattern[str]]]:
    """(method, path pattern) of every write whose operation requires the bearer token,
    read from the app's own OpenAPI document (the routes' public description)."""
    guarded = []
    for template, operations in openapi.get("paths", {}).items():
        pattern = re.compile(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)))
        for method, operation in operations.items():
            if method.upper() in WRITE_METHODS and operation.get("security"):
                guarded.append((method.upper(), pattern))
    return guarded


async def principal_from(tokens: BearerTokens, authorization: str | None) -> Principal:
    """The caller named by an `Authorization: Bearer <token>` header value."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("a bearer token is required")
    try:
        return await tokens.principal(token.strip())
    except InvalidToken as error:
        raise InvalidToken(f"invalid token: {error}") from None


def unauthorized(message: str) -> JSONResponse:
    return error_response(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


def _authorization(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            # Latin-1 reads any byte: a token that is not ASCII then fails to decode.
            return value.decode("latin-1")
    return None
