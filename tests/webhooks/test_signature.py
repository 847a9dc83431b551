"""The signature header, checked with the README's recipe."""

from __future__ import annotations

import hashlib
import hmac
import time

from integration.webhooks.signature import sign, verify


def readme_verify(secret: str, body: bytes, header: str, tolerance_s: int = 300) -> bool:
    """The README's copy-paste snippet, verbatim."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    t = int(fields["t"])
    if abs(time.time() - t) > tolerance_s:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def test_a_signed_body_verifies_with_the_documented_recipe():
    body, now = b'{"id":"e-1","type":"order.placed.v1"}', int(time.time())

    header = sign("topsecret", body, now)

    assert header.startswith(f"t={now},v1=")
    assert readme_verify("topsecret", body, header)
    assert verify("topsecret", body, header)


def test_another_body_secret_or_an_old_timestamp_does_not_verify():
    body, now = b'{"id":"e-1"}', int(time.time())
    header = sign("topsecret", body, now)

    assert not verify("topsecret", body + b" ", header)
    assert not verify("other", body, header)
    assert not verify("topsecret", body, sign("topsecret", body, now - 301))
    assert not verify("topsecret", body, "v1=deadbeef")
