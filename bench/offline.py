"""Rebuild and search speed, measured in-process on generated history.

History is written through the real aggregates, many of them per transaction, so the
log holds exactly what the service would have written (several times faster to produce).
`python -m bench.offline --events 200000 [--event-store postgres] [--read-db postgres]
[--redis URL]` measures the rebuilds alone; `--redis` wants a database of its own.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from app.bootstrap import Container, bootstrap
from bench.measure import summary
from bench.pg import analyze, fresh_schema, search_path_url
from config.settings import Settings
from domain.inventory import InventoryItem
from domain.order import Order, PricedLine
from domain.payment import Payment
from domain.product import Product
from projections.rebuild import rebuild_view

CHUNK = 400  # aggregates per save: one transaction on SQLite and PostgreSQL
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "su",
    "te",
    "vo",
    "bi",
    "da",
    "fe",
    "gu",
    "ho",
    "ji",
    "pa",
]
# A few thousand words, so a query word matches a few hundred products, as in a real shop.
WORDS = sorted({a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:12]})
CATEGORIES = [f"category-{i}" for i in range(20)]
BRANDS = [f"brand-{i}" for i in range(60)]


def _products(count: int, rng: random.Random) -> list[Product]:
    return [
        Product.register(
            f"P{i:06d}",
            " ".join(rng.sample(WORDS, 3)).title(),
            " ".join(rng.choices(WORDS, k=12)),
            rng.choice(CATEGORIES),
            rng.choice(BRANDS),
            rng.randint(500, 90000),
            "EUR",
            {},
        )
        for i in range(count)
    ]


def _save_in_chunks(container: Container, aggregates: list[Any]) -> None:
    for start in range(0, len(aggregates), CHUNK):
        container.store.save(*aggregates[start : start + CHUNK])


def _orders(
    container: Container, products: list[Product], target_events: int, rng: random.Random
) -> None:
    items = {p.sku: InventoryItem.start_tracking(p.sku) for p in products}
    for item in items.values():
        item.receive(1_000_000)
    _save_in_chunks(container, list(items.values()))
    while container.store.head() < target_events:
        batch: list[Any] = []
        touched: dict[str, InventoryItem] = {}
        for _ in range(CHUNK // 3):
            product, order_id = rng.choice(products), str(uuid.uuid4())
            line = PricedLine(product.sku, product.name, 1, product.price, "EUR")
            order = Order.place(
                order_id, f"c{rng.randrange(5000)}", [line], 0, None, "tok_ok", None
            )
            payment = Payment.request(order_id, order.total, "EUR", "tok_ok")
            payment.capture(f"gw-{order_id}")
            order.confirm()
            item = touched.setdefault(product.sku, items[product.sku])
            item.reserve(order_id, 1)
            item.commit(order_id)
            batch += [order, payment]
        container.store.save(*batch, *touched.values())


def _container(data_dir: Path, env: dict[str, str]) -> Container:
    keys = {
        "SHOP_EVENT_STORE": "event_store",
        "SHOP_POSTGRES_DSN": "postgres_dsn",
        "SHOP_POSTGRES_SCHEMA": "postgres_schema",
        "SHOP_READ_DB_URL": "read_db_url",
        "SHOP_REDIS_URL": "redis_url",
    }
    chosen: dict[str, Any] = {keys[k]: v for k, v in env.items() if k in keys}
    return bootstrap(Settings(data_dir=data_dir, **chosen))


def rebuild_speed(target_events: int, env: dict[str, str]) -> dict[str, dict[str, float]]:
    """Events/s of a blue/green rebuild of each projection over `target_events` of history.

    `SHOP_READ_DB_URL=postgres` puts the SQL views in a fresh schema of the PostgreSQL
    server (`SHOP_POSTGRES_DSN`); by default they are SQLite files, as in `shop serve`.
    """
    rng = random.Random(11)
    dsn = env.get("SHOP_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
    with tempfile.TemporaryDirectory() as folder, ExitStack() as schemas:
        if env.get("SHOP_EVENT_STORE") == "postgres":
            events = schemas.enter_context(fresh_schema(dsn))
            env = env | {"SHOP_POSTGRES_DSN": dsn, "SHOP_POSTGRES_SCHEMA": events}
        if env.get("SHOP_READ_DB_URL") == "postgres":
            views = schemas.enter_context(fresh_schema(dsn))
            env = env | {"SHOP_READ_DB_URL": search_path_url(dsn, views)}
        return _rebuild_all(Path(folder), env, target_events, rng)


def _rebuild_all(folder: Path, env: dict[str, str], target_events: int, rng: random.Random) -> dict:
    container = _container(folder, env)
    products = _products(500, rng)
    _save_in_chunks(container, products)
    _orders(container, products, target_events, rng)
    if env.get("SHOP_EVENT_STORE") == "postgres":  # as autovacuum would, soon after
        analyze(env["SHOP_POSTGRES_DSN"], env["SHOP_POSTGRES_SCHEMA"])
    figures = {}
    for name in container.read_models.views:
        view = container.read_models.view(name)
        report = rebuild_view(container.log, view, grace_s=0)
        figures[name] = {
            "events": report.events,
            "seconds": report.seconds,
            "events_per_s": report.rate,
        }
        getattr(view, "drop_everything", lambda: None)()  # a Redis view's keys
    container.close()
    return figures


def search_speed(product_count: int, queries: int = 500) -> dict[str, float]:
    """Latency of catalog searches (text, filters, facets, sorts) over `product_count` products."""
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as folder:
        container = bootstrap(Settings(data_dir=Path(folder), event_store="sqlite"))
        _save_in_chunks(container, _products(product_count, rng))
        container.read_models.catch_up("catalog_search")
        search = container.queries.catalog.search
        latencies = []
        for i in range(queries):
            started = time.perf_counter()
            search(
                q=rng.choice([*WORDS[:50], ""]),
                category=rng.choice([None, CATEGORIES[0]]),
                brand=rng.choice([None, BRANDS[0]]),
                max_price=rng.choice([None, 40000]),
                sort=["relevance", "price_asc", "price_desc", "newest"][i % 4],
                size=20,
            )
            latencies.append((time.perf_counter() - started) * 1000)
        container.close()
    return {"products": product_count} | summary(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.offline")
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--event-store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--read-db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redis", help="hot lookups in this Redis database (its own)")
    arguments = parser.parse_args()
    env = {"SHOP_EVENT_STORE": arguments.event_store}
    if arguments.read_db == "postgres":
        env["SHOP_READ_DB_URL"] = "postgres"
    if arguments.redis:
        env["SHOP_REDIS_URL"] = arguments.redis
    for name, figures in rebuild_speed(arguments.events, env).items():
        print(f"{name}: {figures['events']:,} events, {figures['events_per_s']:,.0f} events/s")


if __name__ == "__main__":
    main()
