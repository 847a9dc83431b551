"""Bodies and answers of the login routes (no bearer token: they hand tokens out)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.common import StrictBody


class LoginBody(StrictBody):
    email: Annotated[str, StringConstraints(min_length=1, max_length=320)] = Field(
        examples=["ada@example.com"]
    )
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class RefreshBody(StrictBody):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The refresh token of the last answer of `/auth/token` or `/auth/refresh`."
    )


class TokenPair(BaseModel):
    access_token: str = Field(description="Bearer token (HS256 JWT) for every other route.")
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds the access token is valid.")
    refresh_token: str = Field(description="Works once, for the next pair (`/auth/refresh`).")
