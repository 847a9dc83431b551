"""Hot lookups in Redis: the production store for per-key reads on every request."""

from __future__ import annotations

from projections.hot_lookups.view import HotLookups
from projections.redisbase import RedisView


class RedisHotLookups(RedisView, HotLookups):
    """Key `<ns>:hot_lookups:g<N>:<kind>:<id>`: one JSON document per stock sku, product,
    order or coupon; position in the `<ns>:tracking:hot_lookups` hash."""

    def __init__(self, client: object, namespace: str = "rm") -> None:
        RedisView.__init__(self, client, namespace)  # type: ignore[arg-type]
        HotLookups.__init__(self)
