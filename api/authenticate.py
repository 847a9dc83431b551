"""Checks the bearer token of every write before its body is read.

FastAPI reads and parses a request's body before it resolves the route's dependencies, so
an anonymous caller with a malformed body would learn "400 malformed JSON" instead of
"401": the body was judged before the caller. This middleware answers 401 first for every
write (`POST`, `PUT`, `PATCH`, `DELETE`) whose route depends on the caller (a dependency
marked `needs_token`), and leaves the decoded `Principal` in the request state for
`api.deps.get_principal`, so no token is decoded twice. A path or method with no route
goes on to its 404/405; reads carry no body, and their dependency checks the token.
"""

from __future__ import annotations

from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import InvalidToken, Principal, TokenCodec
from api.errors import error_response

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PRINCIPAL_KEY = "principal"


class AuthenticateWrites:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._needs: dict[int, bool] = {}  # id(route) -> whether it depends on the caller

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._guarded(scope):
            await self.app(scope, receive, send)
            return
        codec: TokenCodec = scope["app"].state.token_codec
        try:
            principal = principal_from(codec, _authorization(scope))
        except InvalidToken as error:
            await unauthorized(str(error))(scope, receive, send)
            return
        scope.setdefault("state", {})[PRINCIPAL_KEY] = principal
        await self.app(scope, receive, send)

    def _guarded(self, scope: Scope) -> bool:
        if scope["method"] not in WRITE_METHODS:
            return False
        for route in scope["app"].router.routes:
            if isinstance(route, APIRoute) and route.matches(scope)[0] == Match.FULL:
                if id(route) not in self._needs:
                    self._needs[id(route)] = _needs_token(route.dependant)
                return self._needs[id(route)]
        return False


def _needs_token(dependant: Dependant) -> bool:
    call: Any = dependant.call
    return getattr(call, "needs_token", False) or any(
        _needs_token(sub) for sub in dependant.dependencies
    )


def principal_from(codec: TokenCodec, authorization: str | None) -> Principal:
    """The caller named by an `Authorization: Bearer <token>` header value."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("a bearer token is required")
    try:
        return codec.decode(token.strip())
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
