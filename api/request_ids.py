"""`Idempotency-Key` on the admin writes, turned into the request id a command carries.

The id is a uuid5 over the JSON list `[caller, route, key]`: JSON quotes and separates
each part, so two different triples never encode alike, and a key is scoped to the
caller and the route that first used it (another admin's key, or the same key on another
route, is another request).
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import Depends, Header

NAMESPACE = uuid.UUID("6f1c8a3e-2f4b-5d7e-9a10-3c5b7e9d1f24")

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[!-~]{1,100}$",
        description="Optional client-chosen key (1-100 visible ASCII characters): a retry "
        "with the same key and body answers as the first time and records nothing; the "
        "same key with another body is 409 `idempotency_key_reused`.",
    ),
]


def request_id(caller: str, route: str, key: str | None) -> str | None:
    """The request id for `key` sent by `caller` to `route`; None without a key."""
    if key is None:
        return None
    return str(uuid.uuid5(NAMESPACE, json.dumps([caller, route, key])))


async def accepts_idempotency_key(key: IdempotencyKey = None) -> str | None:
    """Declares and validates the header on writes keyed by their own resource (a sku, a
    code) or idempotent by nature: there the body alone decides what a repeat is."""
    return key


KeyDep = Annotated[str | None, Depends(accepts_idempotency_key)]
