"""Sealing personal fields: AES-256-GCM under the customer's data key.

A sealed field is stored as `{"sealed": "<base64 nonce + ciphertext>", "by": "<customer>"}`.
The customer and the field's name are the authenticated data, so a sealed value copied
into another customer's event, or into another field, fails to open instead of reading as
someone else's data. A value whose key was erased opens as None.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from eventstore.keys import DataKeys

NONCE_BYTES = 12


class Sealer:
    def __init__(self, keys: DataKeys) -> None:
        self.keys = keys

    def seal(self, subject: str, name: str, value: Any) -> dict[str, str] | None:
        """`value` sealed for `subject`, or None: an erased customer's data is not kept."""
        key = self.keys.for_sealing(subject)
        if key is None:
            return None
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(value, separators=(",", ":")).encode()
        sealed = AESGCM(key).encrypt(nonce, plain, _context(subject, name))
        return {"sealed": base64.b64encode(nonce + sealed).decode(), "by": subject}

    def open(self, name: str, envelope: dict[str, str]) -> Any:
        """The value inside `envelope`, or None when its customer's key is gone."""
        subject = envelope["by"]
        key = self.keys.for_opening(subject)
        if key is None:
            return None
        raw = base64.b64decode(envelope["sealed"])
        try:
            plain = AESGCM(key).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], _context(subject, name)
            )
        except InvalidTag:
            raise ValueError(f"sealed field {name!r} does not open with {subject}'s key") from None
        return json.loads(plain)

    def seal_fields(self, state: dict[str, Any], names: Iterable[str], subject: str | None) -> None:
        """Seal each named field of `state` that holds a value, in place."""
        for name in names:
            if state.get(name) is None:
                continue
            if subject is None:
                raise ValueError(f"personal field {name!r} has no data subject to seal it for")
            state[name] = self.seal(subject, name, state[name])

    def open_fields(self, state: dict[str, Any], names: Iterable[str]) -> None:
        """Open each named field of `state` that is sealed, in place (clear ones stay)."""
        for name in names:
            if is_sealed(state.get(name)):
                state[name] = self.open(name, state[name])


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and value.keys() == {"sealed", "by"}


def _context(subject: str, name: str) -> bytes:
    return f"{subject}\x00{name}".encode()
