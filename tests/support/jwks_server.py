"""A stand-in identity provider: a real HTTP server publishing a JWKS, and its signing keys.

It counts the requests it answers (`hits`), can start publishing another key (rotation)
and can be taken down (`down`: every request answers 503).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from tests.support.json_handler import JsonHandler

ISSUER = "https://idp.test/realms/shop"
AUDIENCE = "shop-api"


@dataclass
class SigningKey:
    kid: str
    algorithm: str  # RS256 or ES256
    private: Any

    @classmethod
    def generate(cls, kid: str, algorithm: str) -> SigningKey:
        if algorithm == "RS256":
            return cls(
                kid, algorithm, rsa.generate_private_key(public_exponent=65537, key_size=2048)
            )
        return cls(kid, algorithm, ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict[str, Any]:
        codec = RSAAlgorithm if self.algorithm == "RS256" else ECAlgorithm
        public = json.loads(codec.to_jwk(self.private.public_key()))
        return public | {"kid": self.kid, "use": "sig", "alg": self.algorithm}

    def sign(self, kid: str | None = None, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "idp-user-1", "iat": now, "exp": now + 300}
        body = {name: value for name, value in (body | claims).items() if value is not None}
        headers = {"kid": kid or self.kid}
        return jwt.encode(body, self.private, algorithm=self.algorithm, headers=headers)


@dataclass
class IdentityProvider:
    keys: list[SigningKey] = field(default_factory=list)
    hits: int = 0
    down: bool = False
    url: str = ""

    def publish(self, key: SigningKey) -> SigningKey:
        self.keys.append(key)
        return key

    def document(self) -> dict[str, Any]:
        return {"keys": [key.jwk() for key in self.keys]}


@contextmanager
def identity_provider() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()

    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            provider.hits += 1
            self._answer(*((503, {}) if provider.down else (200, provider.document())))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}/certs"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
