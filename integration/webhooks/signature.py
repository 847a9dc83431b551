"""The `X-Shop-Signature` header: an HMAC-SHA256 of "<t>.<raw body>" keyed by the webhook's
secret, with `t` the unix second it was signed at.

The timestamp is inside the signed text, so a receiver that rejects old `t` values
(`tolerance_s`) cannot be fooled by a captured request replayed later. The README's
verification snippet is this `verify`, copied.
"""

from __future__ import annotations

import hashlib
import hmac
import time


def sign(secret: str, body: bytes, t: int) -> str:
    """The header value `t=<t>,v1=<hex digest>` for `body` sent at unix second `t`."""
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def verify(
    secret: str, body: bytes, header: str, tolerance_s: int = 300, now: float | None = None
) -> bool:
    """Whether `header` signs `body` with `secret` within `tolerance_s` of `now`."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        t = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance_s:
        return False
    expected = sign(secret, body, t).partition(",v1=")[2]
    return hmac.compare_digest(expected, fields.get("v1", ""))
