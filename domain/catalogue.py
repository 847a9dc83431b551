"""Every aggregate of the shop, so that every stored topic resolves.

Explicit topics (`shop.order.placed`) are registered when their class is imported; a
process that reads the log must import them all, even the ones it never writes.
"""

from __future__ import annotations

from domain.checkout import Checkout
from domain.coupon import Coupon
from domain.customer import Customer, EmailClaim
from domain.fulfilment import Fulfilment
from domain.inventory import InventoryItem
from domain.order import Order
from domain.payment import Payment
from domain.product import Product
from domain.returns import Return
from domain.shipment import Parcel, Shipment

AGGREGATES = (
    Product,
    InventoryItem,
    Coupon,
    Order,
    Payment,
    Checkout,
    Shipment,
    Parcel,
    Return,
    Fulfilment,
    Customer,
    EmailClaim,
)
