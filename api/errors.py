"""Every failure becomes `{"error": {"code", "message"}}` with a 4xx status, here in one place.

Domain refusals are 409 (422 when the input itself is malformed), unknown aggregates 404,
a failed `If-Match` 412, a lost optimistic-concurrency race 409 with `Retry-After` (after
the command sender's own retries). A store that did not answer (a dropped connection, a
locked SQLite file) is 503 `store_unavailable` with `Retry-After`: the same request sent
again succeeds once it is back. Only a bug is a 500.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas.common import ErrorBody
from api.unavailable import WRAPPERS, store_unavailable
from commands.handling import VersionMismatch
from domain.shared.base import ConcurrencyConflict, DomainError, InvalidInput, NotFound
from queries.errors import InvalidQuery

log = logging.getLogger("shop.api")

RETRY_AFTER_S = "1"


class ApiError(Exception):
    """An HTTP-level refusal raised by the API itself (auth, idempotency, consistency)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.extra = extra


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update({key: value for key, value in extra.items() if value is not None})
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def status_of(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, InvalidInput):
        return 422
    if isinstance(error, VersionMismatch):
        return 412
    return 409


async def _api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.code, error.message, error.headers, **error.extra)


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    return error_response(status_of(error), error.code, error.message)


async def _conflict(request: Request, error: Exception) -> JSONResponse:
    message = "another write to this stream won the race; retry the request"
    return error_response(409, ConcurrencyConflict.code, message, {"Retry-After": RETRY_AFTER_S})


async def _invalid_query(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InvalidQuery)
    return error_response(422, InvalidQuery.code, error.message)


async def _validation(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [_problem(item) for item in error.errors()]
    if any(item["type"] == "json_invalid" for item in problems):
        return error_response(400, "malformed_json", "the request body is not valid JSON")
    headers = [item for item in problems if item["loc"][:1] == ["header"]]
    if headers:  # a missing or malformed header (Idempotency-Key) is a 400, not a 422
        name = str(headers[0]["loc"][-1])
        return error_response(400, "invalid_header", f"header {name}: {headers[0]['msg']}")
    first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(part) for part in first["loc"])
    return error_response(422, "invalid_request", f"{where}: {first['msg']}", details=problems)


def _problem(item: Any) -> dict[str, Any]:
    # Drop `input`/`ctx`: they may echo huge or unserialisable values back.
    return {
        "loc": list(item.get("loc", ())),
        "msg": str(item.get("msg", "")),
        "type": str(item.get("type", "")),
    }


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


async def _http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = _HTTP_CODES.get(error.status_code, f"http_{error.status_code}")
    headers = dict(error.headers) if error.headers else None
    allowed = _allowed(request) if error.status_code == 405 else []
    if allowed:  # else (a route the docs leave out) Starlette's own Allow stands
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
    return error_response(error.status_code, code, str(error.detail), headers)


VERBS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def _allowed(request: Request) -> list[str]:
    """Every method the API documents at this path: Starlette names only the first route
    that matched the path, and two routes (`GET` and `POST /webhooks`) may share one."""
    path = request.url.path
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        if re.fullmatch(re.sub(r"\{[^/}]+\}", "[^/]+", template), path):
            methods |= {method.upper() for method in operations if method.upper() in VERBS}
    return sorted(methods)


async def _store(request: Request, error: Exception) -> JSONResponse:
    """503 for a connection-level failure; any other error of these classes is a bug."""
    if not store_unavailable(error):
        return await _unexpected(request, error)
    # One line, no traceback: a dropped connection is an outage to see, not a bug to read.
    log.warning("store unavailable on %s %s: %s", request.method, request.url.path, error)
    message = "a data store did not answer; retry the request"
    return error_response(503, "store_unavailable", message, {"Retry-After": RETRY_AFTER_S})


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "unexpected server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(ConcurrencyConflict, _conflict)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(InvalidQuery, _invalid_query)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    for kind in WRAPPERS:
        app.add_exception_handler(kind, _store)
    app.add_exception_handler(Exception, _unexpected)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting these error statuses with `ErrorBody`."""
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in statuses}


_DESCRIPTIONS = {
    400: "Malformed JSON or a missing required header.",
    401: "No bearer token, or an invalid or expired one.",
    403: "The caller's role may not do this.",
    404: "No such resource (or not the caller's).",
    409: "Refused by a business rule, an `Idempotency-Key` reused with another body "
    "(`idempotency_key_reused`), or a concurrent write (retry).",
    412: "`If-Match` names another version than the stream's (`version_mismatch`).",
    413: "Request body too large.",
    422: "The request failed validation.",
    429: "Too many requests from this caller (`rate_limited`); see `Retry-After`.",
    503: "A data store did not answer (`store_unavailable`), or the read model did not "
    "reach `min_position` in time (`projection_behind`); see `Retry-After`.",
}
