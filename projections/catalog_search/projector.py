"""`CatalogSearchProjector`: one search document per sku, from product and stock events."""

from __future__ import annotations

from collections.abc import Iterable

from eventsourcing.utils import get_topic

from domain.inventory import InventoryItem
from domain.product import Product
from eventstore.log import Logged
from projections.core import Docs, Key
from projections.events import iso, plain, stream_key

Item = InventoryItem
STOCK_MOVES = {  # (on_hand, reserved) per unit of the event's quantity/delta
    Item.StockReceived: (1, 0),
    Item.StockAdjusted: (1, 0),
    Item.StockReserved: (0, 1),
    Item.ReservationReleased: (0, -1),
    Item.ReservationCommitted: (-1, -1),
    Item.StockReturned: (1, 0),
}
DETAILS = ("name", "description", "category", "brand", "attributes")
PRODUCT_EVENTS = (
    Product.Registered,
    Product.DetailsChanged,
    Product.PriceChanged,
    Product.Discontinued,
)
EMPTY = {
    "sku": "",
    "name": "",
    "description": "",
    "category": "",
    "brand": "",
    "attributes": {},
    "price": 0,
    "currency": "",
    "listed": False,
    "newest": 0,
    "registered_at": None,
    "on_hand": 0,
    "reserved": 0,
    "available": 0,
    "in_stock": False,
}


class CatalogSearchProjector:
    """A `product` document per sku: its details and price, `listed` (registered and not
    discontinued), `newest` (the log position of its registration) and its stock
    (`available`, `in_stock`), which inventory events may bring before the product exists."""

    name = "catalog_search"
    topics = tuple(get_topic(cls) for cls in (*PRODUCT_EVENTS, *STOCK_MOVES))

    def keys(self, logged: Logged) -> Iterable[Key]:
        return [("product", stream_key(logged))]

    def apply(self, logged: Logged, docs: Docs) -> None:
        sku, event = stream_key(logged), logged.event
        doc = dict(docs.get("product", sku) or EMPTY | {"sku": sku})
        if isinstance(event, Product.Registered):
            doc |= {"price": event.price, "currency": event.currency, "listed": True}
            doc |= {"newest": logged.position, "registered_at": iso(event.timestamp)}
        if isinstance(event, Product.Registered | Product.DetailsChanged):
            doc |= {field: plain(getattr(event, field)) for field in DETAILS}
        elif isinstance(event, Product.PriceChanged):
            doc["price"] = event.price
        elif isinstance(event, Product.Discontinued):
            doc["listed"] = False
        elif type(event) in STOCK_MOVES:
            on_hand, reserved = STOCK_MOVES[type(event)]
            amount = getattr(event, "quantity", getattr(event, "delta", 0))
            doc["on_hand"] += on_hand * amount
            doc["reserved"] += reserved * amount
            doc["available"] = doc["on_hand"] - doc["reserved"]
            doc["in_stock"] = doc["available"] > 0
        docs.put("product", sku, doc)
