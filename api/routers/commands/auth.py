"""Logins: `POST /auth/token` (email and password) and `POST /auth/refresh`.

Both answer an access token (HS256 with our secret, `role` customer, valid
SHOP_ACCESS_TOKEN_TTL_S) and a refresh token that works once. Every refused login gets the
same 401 body; after SHOP_LOGIN_MAX_FAILURES failures for one email within 15 minutes the
next attempts get 429 with `Retry-After`. No bearer token: they are how one is obtained.
The password checks run on the thread pool (argon2 is costly by design).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from api.auth import Role, TokenCodec
from api.deps import SettingsDep
from api.errors import ApiError, responses
from api.schemas.auth import LoginBody, RefreshBody, TokenPair
from api.schemas.common import ErrorBody
from commands.sessions import (
    LoginRefused,
    Logins,
    LoginThrottle,
    RefreshFamilies,
    RefreshRefused,
    Session,
    TooManyFailures,
)

REFUSED = "wrong email or password"
router = APIRouter(prefix="/auth", tags=["auth"], responses=responses(400, 413, 422, 503))


def _documented(refused: str) -> dict[int | str, dict[str, Any]]:
    return {401: {"model": ErrorBody, "description": refused}}


async def get_logins(request: Request) -> Logins:
    """Over the database beside the events (where the dead letters are), made once."""
    state = request.app.state
    logins: Logins | None = getattr(state, "logins", None)
    if logins is None:
        settings, engine = state.settings, state.read_models.dead_letters.engine
        throttle = LoginThrottle(engine, settings.login_max_failures, state.clock)
        families = RefreshFamilies(engine, state.clock, settings.refresh_token_ttl_s)
        logins = Logins(state.store, state.passwords, throttle, families)
        if settings.create_tables:  # `shop migrate` does it otherwise
            logins.create_tables()
        state.logins = logins
    return logins


async def get_codec(request: Request) -> TokenCodec:
    return request.app.state.token_codec


LoginsDep = Annotated[Logins, Depends(get_logins)]
CodecDep = Annotated[TokenCodec, Depends(get_codec)]


@router.post(
    "/token",
    responses=_documented("Wrong email or password (`invalid_credentials`).") | responses(429),
    summary="Log in: an access token and a refresh token for an email and password",
)
async def log_in(
    body: LoginBody, logins: LoginsDep, codec: CodecDep, settings: SettingsDep
) -> TokenPair:
    try:
        session = await run_in_threadpool(logins.login, body.email, body.password)
    except LoginRefused:
        raise ApiError(401, "invalid_credentials", REFUSED) from None
    except TooManyFailures as refused:
        retry = {"Retry-After": str(refused.retry_after_s)}
        raise ApiError(429, "too_many_failed_logins", str(refused), retry) from None
    return _pair(session, codec, settings.access_token_ttl_s)


@router.post(
    "/refresh",
    responses=_documented("Unknown, expired, revoked or reused (`invalid_refresh_token`)."),
    summary="A new pair for a refresh token, which then stops working",
)
async def refresh(
    body: RefreshBody, logins: LoginsDep, codec: CodecDep, settings: SettingsDep
) -> TokenPair:
    try:
        session = await run_in_threadpool(logins.refresh, body.refresh_token)
    except RefreshRefused as refused:
        raise ApiError(401, "invalid_refresh_token", str(refused)) from None
    return _pair(session, codec, settings.access_token_ttl_s)


def _pair(session: Session, codec: TokenCodec, ttl_s: int) -> TokenPair:
    access = codec.mint(Role.CUSTOMER, session.customer_id, ttl_s)
    return TokenPair(access_token=access, expires_in=ttl_s, refresh_token=session.refresh_token)
