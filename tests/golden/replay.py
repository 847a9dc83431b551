"""Replaying the corpus: insert it verbatim, load every stream, rebuild every view, and
read back what the aggregates and the query objects say about it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from app.bootstrap import Container
from projections.rebuild import rebuild_view
from tests.golden.corpus import Entry, plain, public_state, streams

PAGE = 100


def insert(container: Container, entries: Iterable[Entry]) -> None:
    """The entries into the store's log as they are: no domain event is built or encoded."""
    container.store.recorder.insert_events([entry.stored() for entry in entries])


def aggregate_states(container: Container, entries: list[Entry]) -> dict[str, Any]:
    """Every stream of the corpus loaded through the store: its public state by stream id."""
    return {stream: public_state(container.store.get(stream)) for stream in streams(entries)}


def rebuild_all(container: Container) -> None:
    """Every projection rebuilt from the log, as `shop projections rebuild` does it."""
    for view in container.read_models.views.values():
        rebuild_view(container.log, view, grace_s=0)


def view_states(container: Container, entries: list[Entry]) -> dict[str, Any]:
    """What the query objects answer for each order, customer, product, coupon, return and
    shipment of the corpus, by `kind/key` (timeline positions left out: they are the
    store's own numbering, not part of the stored events)."""
    keys = Keys.of(entries)
    queries = container.queries
    found: dict[str, Any] = {}
    for order in keys.orders:
        found[f"order/{order}"] = queries.orders.summary(order)
        entries_of = queries.orders.timeline(order) or []
        found[f"timeline/{order}"] = [plain(e) | {"position": None} for e in entries_of]
        found[f"order_status/{order}"] = queries.lookups.order_status(order)
    for customer in keys.customers:
        found[f"customer_orders/{customer}"] = every_page(
            partial(customer_orders, queries.orders.customer_orders, customer)
        )
    for sku in keys.skus:
        found[f"product/{sku}"] = queries.lookups.product(sku)
        found[f"stock/{sku}"] = queries.lookups.stock(sku)
    for code in keys.coupons:
        found[f"coupon/{code}"] = queries.lookups.coupon(code)
    for return_id in keys.returns:
        found[f"return/{return_id}"] = queries.fulfilment.return_detail(return_id)
    shipments = every_page(lambda page: queries.fulfilment.shipments(page=page, size=PAGE))
    for shipment in shipments:
        if shipment["shipment_id"] in keys.shipments:
            found[f"shipment/{shipment['shipment_id']}"] = shipment
    hits = every_page(lambda page: queries.catalog.search(sort="price_asc", page=page, size=PAGE))
    for hit in hits:
        if hit["sku"] in keys.skus:
            found[f"catalog/{hit['sku']}"] = hit
    found |= accounts(queries, keys.accounts)
    return {key: plain(value) for key, value in found.items()}


def accounts(queries: Any, wanted: list[str]) -> dict[str, Any]:
    """The customers view's row of each account of the corpus, where the shop has one
    (its log position left out, as the timelines')."""
    customers = getattr(queries, "customers", None)
    if customers is None:
        return {}
    rows: list[dict[str, Any]] = []
    while True:
        total, found = customers.page(len(rows) // PAGE + 1, PAGE)
        rows += found
        if len(rows) >= total or not found:
            return {
                f"account/{r['customer_id']}": r | {"position": None}
                for r in rows
                if r["customer_id"] in wanted
            }


def customer_orders(read: Callable[..., Any], customer: str, page: int) -> Any:
    return read(customer, page=page, size=PAGE)


def every_page(read: Callable[[int], Any]) -> list[Any]:
    """The items of every page of a paged answer, in order."""
    items: list[Any] = []
    page = 1
    while True:
        answer = plain(read(page))
        items += answer["items"]
        if len(items) >= answer["total"] or not answer["items"]:
            return items
        page += 1


class Keys:
    """The orders, customers, skus, coupons, returns, shipments and accounts the corpus
    names."""

    def __init__(self) -> None:
        self.orders: list[str] = []
        self.customers: list[str] = []
        self.skus: list[str] = []
        self.coupons: list[str] = []
        self.returns: list[str] = []
        self.shipments: list[str] = []
        self.accounts: list[str] = []

    @classmethod
    def of(cls, entries: list[Entry]) -> Keys:
        keys = cls()
        by_prefix = {
            "order": keys.orders,
            "product": keys.skus,
            "inventory": keys.skus,
            "coupon": keys.coupons,
            "return": keys.returns,
            "shipment": keys.shipments,
            "customer": keys.accounts,
        }
        for stream in streams(entries):
            prefix, _, key = stream.partition("-")
            found = by_prefix.get(prefix)
            if found is not None and key not in found:
                found.append(key)
        for entry in entries:
            customer = json.loads(entry.state).get("customer_id")
            if entry.topic == "shop.order.placed" and customer not in keys.customers:
                keys.customers.append(customer)
        return keys
