"""An identity provider's signing keys, from its JWKS, cached and refetched with a floor.

PyJWT's `PyJWKClient` fetches and parses the key set; this class keeps the keys by `kid`
and decides when to fetch again: when a token names a `kid` we do not hold (a key the
provider rotated in), and when the set is older than `max_age_s` (a key it withdrew).
Every fetch, successful or not, starts the floor: within `floor_s` of the last attempt
nothing is fetched, so a flood of tokens with made-up `kid`s, or a provider that is
down, costs the provider one request per floor and costs us nothing but a lookup.
(`PyJWKClient`'s own cooldown starts only on a successful fetch: with the provider down
every unknown `kid` would fetch.) On a failed fetch the keys held stay in use.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from jwt import PyJWK, PyJWKClient, PyJWTError

FETCH_TIMEOUT_S = 5.0
MAX_AGE_S = 600.0


class SigningKeyMissing(Exception):
    """No key of the provider has this `kid`, or its keys could not be fetched."""


class JwksKeys:
    def __init__(
        self,
        url: str,
        floor_s: float,
        max_age_s: float = MAX_AGE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # The set cache is ours (below), so the client only fetches and parses.
        self._client = PyJWKClient(url, cache_jwk_set=False, timeout=FETCH_TIMEOUT_S)
        self.url, self.floor_s, self.max_age_s, self._clock = url, floor_s, max_age_s, clock
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self._tried_at: float | None = None  # last attempt, successful or not
        self._failure: str | None = None
        self._lock = threading.Lock()

    def cached(self, kid: str) -> PyJWK | None:
        """The key if it is held and the set is fresh: no fetch is due for it."""
        if self._stale():
            return None
        return self._keys.get(kid)

    def key_for(self, kid: str) -> PyJWK:
        """The key named `kid`, fetching the set first if it is unknown or stale and the
        floor allows; blocks for the fetch (at most FETCH_TIMEOUT_S)."""
        with self._lock:
            if (kid not in self._keys or self._stale()) and self._may_try():
                self._fetch()
            key = self._keys.get(kid)
        if key is None:
            raise SigningKeyMissing(self._why_missing(kid))
        return key

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > self.max_age_s

    def _may_try(self) -> bool:
        return self._tried_at is None or self._clock() - self._tried_at >= self.floor_s

    def _fetch(self) -> None:
        self._tried_at = self._clock()
        try:
            keys = self._client.get_signing_keys(refresh=True)
        except (PyJWTError, ValueError, OSError) as error:  # down, not JSON, no usable key
            self._failure = str(error)
            return
        self._keys = {str(key.key_id): key for key in keys}
        self._fetched_at, self._failure = self._clock(), None

    def _why_missing(self, kid: str) -> str:
        if self._failure is not None:
            return f"the identity provider's keys could not be fetched ({self._failure})"
        return f"no key of the identity provider has kid {kid!r}"
