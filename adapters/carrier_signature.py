"""The carrier webhook's signature: `sha256=<hex HMAC-SHA256 of the raw body>`.

The simulated carrier signs with `sign`; the API's webhook route checks with `verified`.
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    """The `X-Carrier-Signature` header value for these exact body bytes."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"{PREFIX}{digest}"


def verified(body: bytes, header: str | None, secret: str) -> bool:
    """Whether the header signs this body with this secret (False if missing or malformed)."""
    if not header or not header.startswith(PREFIX):
        return False
    # Compared as bytes in constant time: a header with non-ASCII text is simply wrong.
    return hmac.compare_digest(header.encode(), sign(body, secret).encode())
