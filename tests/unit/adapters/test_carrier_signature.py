"""The carrier webhook signature: what `sign` writes, `verified` accepts, and nothing else."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from adapters.carrier_signature import sign, verified

BODY = b'{"event_id": "e1", "tracking_number": "SIM0123456789AB", "status": "DELIVERED"}'


def test_the_header_is_the_hex_hmac_sha256_of_the_raw_body() -> None:
    expected = hmac.new(b"s3cret", BODY, hashlib.sha256).hexdigest()

    assert sign(BODY, "s3cret") == f"sha256={expected}"


def test_a_signed_body_is_verified() -> None:
    assert verified(BODY, sign(BODY, "s3cret"), "s3cret")


def test_another_secret_is_refused() -> None:
    assert not verified(BODY, sign(BODY, "other"), "s3cret")


def test_a_tampered_body_is_refused() -> None:
    header = sign(BODY, "s3cret")

    assert not verified(BODY.replace(b"DELIVERED", b"LOST"), header, "s3cret")


@pytest.mark.parametrize(
    "header",
    [None, "", "sha256=", "sha1=abc", "abc", "SHA256=" + "0" * 64, "sha256=zz", "sha256=é"],
)
def test_a_missing_or_malformed_header_is_refused(header: str | None) -> None:
    assert not verified(BODY, header, "s3cret")


def test_the_bare_digest_without_its_prefix_is_refused() -> None:
    assert not verified(BODY, sign(BODY, "s3cret").removeprefix("sha256="), "s3cret")
