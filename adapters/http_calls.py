"""One HTTP call to a provider (payments, the carrier), with its failures made transient.

Timeouts, connection errors and 5xx answers leave the outcome unknown, and so does any
other refusal but 404 (which answers a lookup: "never heard of it"): each is raised as the
port's own transient error, and the caller retries with the same idempotency key.
"""

from __future__ import annotations

from typing import Any

import httpx


def send(
    client: httpx.Client,
    transient: type[Exception],
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    try:
        response = client.request(method, path, json=body, headers=headers)
    except httpx.HTTPError as failure:  # timeouts and connection errors
        raise transient(f"{method} {path}: {failure!r}") from None
    if response.status_code >= 500:
        raise transient(f"{method} {path}: HTTP {response.status_code}")
    if response.status_code >= 400 and response.status_code != 404:
        raise transient(f"{method} {path}: refused, HTTP {response.status_code}")
    return response
