"""`Annotated` dependency aliases, all taken from `app.state` (set by the app factories).

They are `async def` because none of them blocks: FastAPI runs a plain `def` dependency on
its thread pool, and each such hop cost more than the dependency itself.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import InvalidToken, Principal, TokenCodec
from api.errors import ApiError
from eventstore.bootstrap import Container
from eventstore.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="`shop token --role admin|customer`")


async def get_container(request: Request) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


ContainerDep = Annotated[Container, Depends(get_container)]


async def get_settings(container: ContainerDep) -> Settings:
    return container.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_bus(container: ContainerDep) -> Any:
    return container.bus  # type: ignore[attr-defined]


BusDep = Annotated[Any, Depends(get_bus)]


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("a bearer token is required")
    codec: TokenCodec = request.app.state.token_codec
    try:
        return codec.decode(credentials.credentials)
    except InvalidToken as error:
        raise _unauthorized(f"invalid token: {error}") from None


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def require_admin(principal: PrincipalDep) -> Principal:
    if not principal.is_admin:
        raise ApiError(403, "forbidden", "this endpoint is for admins")
    return principal


AdminDep = Annotated[Principal, Depends(require_admin)]


async def require_customer(principal: PrincipalDep) -> Principal:
    if principal.is_admin:
        raise ApiError(403, "forbidden", "this endpoint is for customers")
    return principal


CustomerDep = Annotated[Principal, Depends(require_customer)]
