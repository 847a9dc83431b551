"""Add to the golden corpus the topics and versions it lacks: `python -m tests.golden.make_corpus`.

Runs a whole shop (command bus, checkout saga, fulfilment manager, simulated gateway and
carrier) on a SQLite store through a scenario that records every kind of event, reads
what was stored back raw, and appends the streams that hold a (topic, version) the corpus
has no line for, with the expected state of their aggregates and views. Versions no
current code writes any more are written out by hand (`HISTORICAL`). Nothing already in
the corpus is ever rewritten. Nor is an expected state: a key that the current code reads
differently is reported, and the replay test fails on it, until `--accept` writes the new
reading (for a deliberate change, such as a projection that stops holding personal data).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from adapters.passwords import Argon2Passwords
from commands.bus import CommandBus
from commands.customer import customer_handlers
from config.settings import Settings
from domain.coupon import DisableCoupon
from domain.customer import ChangePassword, ChangeProfile, EraseCustomer, SignUp
from domain.inventory import AdjustStock
from domain.order import PlaceOrder
from domain.product import ChangePrice, ChangeProductDetails, DiscontinueProduct
from tests.golden import keys
from tests.golden.corpus import (
    EVENTS,
    EXPECTED_AGGREGATES,
    EXPECTED_VIEWS,
    Entry,
    Kind,
    append_entries,
    covered,
    kept,
    named,
    read_entries,
    read_json,
    required,
    streams,
    write_json,
)
from tests.golden.historical import HISTORICAL
from tests.golden.replay import aggregate_states, insert, rebuild_all, view_states
from tests.scenarios.fulfilment_shop import ADDRESS, UNDELIVERABLE, FulfilmentShop

# Saga partitions: more than one, so that a partition asks another for a step.
PARTITIONS = 4
PASSWORD = "correct horse battery"


def scenario(shop: FulfilmentShop, tag: str) -> None:
    """Every event type the shop records, once at least; `tag` keeps ids apart between runs."""
    a, b, c, gone = f"{tag}-A", f"{tag}-B", f"{tag}-C", f"{tag}-GONE"
    first, second = f"{tag}-cust-1", f"{tag}-cust-2"
    contact = {"email": f"{tag}@example.com"}
    shop.stock(a, 20, price=3333)
    shop.stock(b, 5, price=1000)
    shop.stock(c, 1, price=500)
    shop.stock(gone, 0, price=100)
    shop.bus.handle(ChangeProductDetails(b, name="Bolt, stainless", attributes={"size": "M6"}))
    shop.bus.handle(ChangePrice(b, 1200))
    shop.bus.handle(AdjustStock(a, -1, "damaged in the warehouse"))
    shop.bus.handle(DiscontinueProduct(gone))
    ten, late = f"{tag}-TEN", f"{tag}-LATE"
    shop.coupon(ten, value=10)
    shop.coupon(late, value=5)

    # Delivered, then a refund of part of it, an exchange and a rejected return.
    delivered = shop.place_to(ADDRESS, (a, 3), (b, 1), coupon=ten, customer=first)
    shop.settle()
    shop.deliver(delivered)
    refund = shop.ask_return(delivered, "refund", (a, 1))
    shop.approve(refund)
    shop.receive(refund)
    exchange = shop.ask_return(delivered, "exchange", (a, 1))
    shop.approve(exchange)
    shop.receive(exchange)
    shop.settle()
    shop.reject(shop.ask_return(delivered, "refund", (b, 1)))
    shop.settle()

    # Declined by the card: the coupon's redemption is reverted, the stock released.
    shop.place_to(ADDRESS, (a, 1), coupon=ten, token="tok_declined", customer=second)
    shop.settle()

    # A label refused for its address, the address corrected, the parcel lost.
    lost = shop.place_to(UNDELIVERABLE, (b, 1), customer=second)
    shop.settle()
    shop.fix_address(lost, ADDRESS)
    shop.settle()
    shop.dispatch(lost)
    shop.report(lost, "LOST")
    shop.settle()

    # The gateway never answers in time; its capture comes late and is refunded.
    timed_out = shop.place_to(ADDRESS, (a, 1), token="tok_timeout", customer=first)
    shop.settle()
    shop.clock.advance(31)
    shop.settle()
    shop.deliver_late_captures()
    shop.settle()
    assert shop.payment(timed_out).status == "REFUNDED"

    # Confirmed, then cancelled by the customer before dispatch: refund, void, restock.
    cancelled = shop.place_to(ADDRESS, (a, 2), customer=first)
    shop.settle()
    shop.cancel(cancelled, by=first)
    shop.settle()

    # Not enough stock: the reservation is rejected.
    shop.place_to(ADDRESS, (c, 2), customer=second)
    shop.settle()

    # A coupon disabled between placement and redemption: the redemption is rejected.
    shop.place_to(ADDRESS, (a, 1), coupon=late, customer=second)
    shop.bus.handle(DisableCoupon(late))
    shop.settle()

    # A contact to write to, on an order of its own.
    lines = [{"sku": b, "quantity": 1}]
    shop.bus.handle(PlaceOrder(first, f"{tag}-contact", lines, None, "tok_ok", ADDRESS, contact))
    shop.settle()
    accounts(shop, tag)


def accounts(shop: FulfilmentShop, tag: str) -> None:
    """One customer signs up and changes name, addresses and password; another is erased,
    and a third account then claims the erased one's email."""
    bus = shop.bus if shop.bus.handles(SignUp) else accounts_bus(shop)
    signed_up = bus.handle(SignUp(f"{tag}@example.com", PASSWORD, "Kim Minji", f"{tag}-1"))
    customer = signed_up.stream_id.partition("-")[2]
    bus.handle(ChangeProfile(customer, name="Kim Min-ji", addresses=(ADDRESS, UNDELIVERABLE)))
    bus.handle(ChangeProfile(customer, addresses=(ADDRESS,)))
    bus.handle(ChangePassword(customer, "battery staple horse"))
    again = f"{tag}-again@example.com"
    erased = bus.handle(SignUp(again, PASSWORD, "Lee Erased", f"{tag}-2"))
    bus.handle(EraseCustomer(erased.stream_id.partition("-")[2]))
    bus.handle(SignUp(again, PASSWORD, "Park Again", f"{tag}-3"))


def accounts_bus(shop: FulfilmentShop) -> CommandBus:
    """The account handlers over the shop's store, for a shop that does not wire them yet
    (before the event store sealed personal data, erasing had no key to destroy)."""

    class NoKeys:
        def erase(self, subject: str) -> None:
            pass

    class KeyedStore:
        keys = NoKeys()

        def __getattr__(self, name: str) -> Any:
            return getattr(shop.store, name)

    handlers = customer_handlers(KeyedStore(), Argon2Passwords(1, 8, 1), atomic=True)
    return CommandBus(handlers)


def record_run(tag: str, data_dir: Path) -> tuple[list[Entry], dict[str, str | None]]:
    """Run the scenario on a fresh SQLite store: every stored event, raw, in log order,
    and the data keys its sealed events were sealed with."""
    settings = Settings(
        data_dir=data_dir, event_store="sqlite", payment_timeout_s=30, return_window_days=30
    )
    shop = FulfilmentShop(settings, partitions=PARTITIONS)
    try:
        scenario(shop, tag)
        recorder = shop.store.recorder
        run = [Entry.of(s) for s in recorder.select_notifications(start=0, limit=1_000_000)]
        sealed_with = keys.read(shop.container, run)
    finally:
        shop.close()
    return run, sealed_with


def chosen(run: list[Entry], missing: set[Kind]) -> list[Entry]:
    """The run's events of the streams that bring a missing (topic, version), with every
    stream of the same order (its payment, checkout, shipment...), in log order."""
    wanted: set[str] = set()
    for entry in run:
        if entry.kinds & missing and entry.originator_id not in wanted:
            stream = entry.originator_id
            missing = missing - covered(e for e in run if e.originator_id == stream)
            wanted.add(stream)
    families = {family(stream) for stream in wanted}
    return [e for e in run if e.originator_id in wanted or family(e.originator_id) in families]


def family(stream: str) -> str:
    """What a stream id names after its category: an order's streams share its uuid."""
    return stream.partition("-")[2]


def expected_for(entries: list[Entry], data_dir: Path) -> tuple[dict, dict]:
    """What the current code reads from `entries`: aggregates and views."""
    from app.bootstrap import bootstrap

    container = bootstrap(Settings(data_dir=data_dir, event_store="sqlite"))
    try:
        keys.load(container)
        insert(container, entries)
        rebuild_all(container)
        return aggregate_states(container, entries), view_states(container, entries)
    finally:
        container.close()


def merge(path: Path, new: dict, accept: bool) -> list[str]:
    """Add `new`'s keys to the expected file at `path`; the old ones stay as they were,
    unless `accept`: a deliberate change of how old events read (reviewed in the diff)."""
    old = read_json(path)
    changed = list(kept(old, new))
    write_json(path, old | new if accept else new | old)
    return changed


def old_streams(entries: list[Entry], missing: set[Kind]) -> list[Entry]:
    """The hand-written streams that bring a missing (topic, version), whole."""
    present = set(streams(entries))
    needed = {
        e.originator_id for e in HISTORICAL if e.kinds & missing and e.originator_id not in present
    }
    return [e for e in HISTORICAL if e.originator_id in needed]


def main(argv: list[str]) -> int:
    accept = "--accept" in argv
    entries = read_entries()
    missing = required() - covered(entries)
    historical = old_streams(entries, missing)
    missing -= covered(historical)
    added = historical
    with tempfile.TemporaryDirectory() as tmp:
        if missing:
            run, sealed_with = record_run(f"g{len(entries)}", Path(tmp) / "run")
            added = added + chosen(run, missing)
            keys.add({subject: sealed_with[subject] for subject in keys.subjects(added)})
        append_entries(added)
        corpus = entries + added
        aggregates, views = expected_for(corpus, Path(tmp) / "replay")
    changed = merge(EXPECTED_AGGREGATES, aggregates, accept) + merge(EXPECTED_VIEWS, views, accept)
    print(f"{EVENTS.name}: {len(added)} events added, {len(corpus)} in all")
    if lacking := required() - covered(corpus):
        print(f"still missing (the scenario records none): {named(lacking)}")
    for key in changed:
        verb = "accepted" if accept else "changed (not written; --accept writes it)"
        print(f"{verb}: the current code reads {key} differently from its expected state")
    return 1 if (changed and not accept) or required() - covered(corpus) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
