"""Erasure (SPEC 8) over HTTP against a live `shop serve`, on the embedded default and on
PostgreSQL with Redis for the hot lookups.

A customer signs up, keeps two addresses, logs in, and with their own token places an
order to each address with a contact email; one is delivered and partly refunded, and
every message is written. Another customer orders too and is not erased. After the first
one's erasure (and again after `shop projections rebuild --all`), their email, name and
streets are in no file under the data dir, no row of the PostgreSQL schema and no Redis
value; their orders load with the same money; they cannot log in; the other customer's
data is all there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app.carriers import webhook_secret
from config.settings import Settings
from tests.e2e.erasure_search import Found, Needle, data_key, everywhere, found_in, redis_of_our_own
from tests.e2e.erasure_world import (
    Person,
    Shopper,
    mailed,
    money,
    outbox_mail,
    rebuild_all,
    settled,
    views,
    whole_log,
)
from tests.e2e.fulfilment_client import FulfilmentClient
from tests.e2e.server import ShopServer, store_env
from tests.e2e.world import wait_for
from tests.support.services import require_redis

MAILED = {
    "order_confirmed",
    "shipment_shipped",
    "shipment_delivered",
    "return_approved",
    "refund_issued",
}


@dataclass
class Erasure:
    shop: FulfilmentClient
    gone: Shopper
    kept: Shopper
    before: dict[str, Any]  # the money of their orders and the provider's ledger
    mailed_before: list[Path]  # their messages in the outbox before the erasure
    log_before: list[dict[str, Any]]  # every event, as the store loads it
    log_after: list[dict[str, Any]] = field(default_factory=list)
    key: bytes = b""  # their data key, read from the key store before the erasure
    key_found_before: Found = field(default_factory=list)
    login_after: int = 0
    refresh_after: int = 0
    after: dict[str, Any] = field(default_factory=dict)
    found_after: Found = field(default_factory=list)
    live: dict[str, Any] = field(default_factory=dict)
    rebuilt: dict[str, Any] = field(default_factory=dict)
    found_after_rebuild: Found = field(default_factory=list)
    ids_found: Found = field(default_factory=list)  # their customer id: not personal


def shop_before_erasure(shop: FulfilmentClient, data_dir: Path) -> Erasure:
    """Two customers, their orders driven as far as the story needs, every message sent."""
    shop.product("LAMP", 3333, 10)
    shop.product("MUG", 1000, 10)
    gone = Shopper(shop.http, Person.invent("mina")).sign_up()
    gone.keep_addresses()
    gone.tokens(gone.renew())  # a refresh that works, before
    kept = Shopper(shop.http, Person.invent("joon")).sign_up()
    first = gone.order({"LAMP": 2, "MUG": 1}, gone.person.address(gone.person.streets[0]))
    home = gone.person.address(gone.person.streets[1])
    second = gone.order({"MUG": 1}, home | {"postal_code": "00000"})  # the carrier refuses it
    control = kept.order({"MUG": 1}, kept.person.address(kept.person.streets[0]))

    tracking = shop.shipped_as(first, "LABELLED", who=gone.customer_id)["fulfilment"]
    assert shop.dispatch(first).status_code == 202
    assert shop.report(tracking["tracking_number"], "DELIVERED").status_code == 202
    shop.shipped_as(first, "DELIVERED", who=gone.customer_id)
    return_id = gone.ask_refund(first, {"LAMP": 1})
    assert shop.decide(return_id, "approve").status_code == 202
    assert shop.decide(return_id, "receive").status_code == 202
    shop.wait(first, lambda v: v["payment_status"] == "PARTIALLY_REFUNDED", who=gone.customer_id)
    shop.shipped_as(second, "ON_HOLD", who=gone.customer_id)
    fixed = shop.http.post(f"/shipments/{second}/address", json=home, headers=shop.admin)
    assert fixed.status_code == 202, fixed.text
    shop.shipped_as(second, "LABELLED", who=gone.customer_id)
    shop.shipped_as(control, "LABELLED", who=kept.customer_id)
    wait_for(lambda: mailed(shop, gone, MAILED), "their messages sent", timeout_s=30)
    wait_for(lambda: mailed(shop, kept, {"order_confirmed"}), "the other's message sent")
    settled(shop.server, shop.admin)
    mail = outbox_mail(data_dir, gone.person.email)
    return Erasure(shop, gone, kept, money(shop, gone), mail, whole_log(shop))


def erase(story: Erasure, data_dir: Path) -> None:
    shop, gone = story.shop, story.gone
    erased = shop.http.post(f"/customers/{gone.customer_id}/erase", headers=gone.headers)
    assert erased.status_code == 202, erased.text
    seen = {"min_position": erased.json()["position"]}

    def listed_erased() -> bool:
        rows = shop.http.get("/customers", params=seen, headers=shop.admin).json()["items"]
        return [r["status"] for r in rows if r["customer_id"] == gone.customer_id] == ["ERASED"]

    wait_for(listed_erased, "the customers view marks them ERASED", timeout_s=30)
    wait_for(lambda: not outbox_mail(data_dir, gone.person.email), "their mail deleted")
    settled(shop.server, shop.admin)
    story.log_after = whole_log(shop)
    # What a former customer may still try, before anything is searched: it leaves no trace.
    story.login_after = gone.log_in().status_code
    story.refresh_after = gone.renew().status_code


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.redis])],
)
def erasure(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Erasure]:
    data_dir = tmp_path_factory.mktemp("erasure") / "var"
    data_dir.mkdir()
    with ExitStack() as stack:
        env = store_env(request.param, stack)
        if request.param == "postgres":
            env["SHOP_REDIS_URL"] = stack.enter_context(redis_of_our_own(require_redis()))
        server = ShopServer(data_dir, SHOP_LEASE_TTL_S="3", SHOP_LOG_LEVEL="DEBUG", **env)
        server.log_path = data_dir / "serve.log"  # searched with the rest of the data dir
        stack.callback(server.stop)
        server.start()
        shop = FulfilmentClient(server, webhook_secret(Settings(data_dir=data_dir)))
        stack.callback(shop.close)

        story = shop_before_erasure(shop, data_dir)
        story.key = data_key(data_dir, server.env, story.gone.customer_id)
        story.key_found_before = everywhere(data_dir, server.env, [story.key])
        erase(story, data_dir)
        story.after = money(shop, story.gone)
        searched: list[Needle] = [*story.gone.person.strings, story.key]
        story.found_after = everywhere(data_dir, server.env, searched)
        story.live = views(shop, story.gone)
        rebuild_all(server, data_dir / "rebuild.log")
        settled(server, shop.admin)
        story.rebuilt = views(shop, story.gone)
        story.found_after_rebuild = everywhere(data_dir, server.env, searched)
        story.ids_found = everywhere(data_dir, server.env, (story.gone.customer_id,))
        yield story


def test_their_strings_were_there_to_be_found_before(erasure: Erasure) -> None:
    """The search finds what is there: their messages in the outbox before the erasure."""
    assert len(erasure.mailed_before) >= len(MAILED)


def test_their_data_key_was_there_to_be_found_before(erasure: Erasure) -> None:
    """The key store holds their key before the erasure, and the search finds it there."""
    assert len(erasure.key) == 32
    places = {where for where, _ in erasure.key_found_before}
    assert places & {
        "var/keys.sqlite3",
        f"{erasure.shop.server.env.get('SHOP_POSTGRES_SCHEMA')}.data_keys",
    }


def test_the_search_reads_the_events_the_views_and_redis(erasure: Erasure) -> None:
    """Their customer id, which is no personal data, is found where the search looks."""
    places = {
        where.split(".")[0] if " " not in where else "redis" for where, _ in erasure.ids_found
    }
    if erasure.shop.server.env.get("SHOP_EVENT_STORE") == "postgres":
        schema = erasure.shop.server.env["SHOP_POSTGRES_SCHEMA"]
        assert {schema, "var/views", "redis"} <= places
    else:
        assert {"var/events", "var/views"} <= places


def test_every_event_still_loads_with_their_personal_fields_read_as_null(
    erasure: Erasure,
) -> None:
    gone = erasure.gone.person.strings
    kept = erasure.kept.person.strings[:3]  # their email, name and the street they ordered to
    before, after = json.dumps(erasure.log_before), json.dumps(erasure.log_after)
    assert set(found_in(before.encode(), gone)) == set(gone)  # opened with their key, before
    assert found_in(after.encode(), gone) == []
    assert set(found_in(after.encode(), kept)) == set(kept)  # the other's key is still there
    same = [(e["stream"], e["version"], e["type"]) for e in erasure.log_before]
    assert [(e["stream"], e["version"], e["type"]) for e in erasure.log_after][: len(same)] == same
    customer = [
        e for e in erasure.log_after if e["stream"] == f"customer-{erasure.gone.customer_id}"
    ]
    assert customer[0]["data"]["email"] is None
    assert customer[0]["data"]["name"] is None


def test_no_file_row_or_redis_value_holds_their_data_after_erasure(erasure: Erasure) -> None:
    assert erasure.found_after == []


def test_nor_after_a_rebuild_of_every_view(erasure: Erasure) -> None:
    assert erasure.found_after_rebuild == []


def test_a_rebuild_answers_the_views_seen_after_erasure(erasure: Erasure) -> None:
    assert erasure.rebuilt == erasure.live


def test_every_order_loads_with_its_money_and_the_provider_ledger_unchanged(
    erasure: Erasure,
) -> None:
    assert erasure.after == erasure.before
    first = erasure.before[erasure.gone.orders[0]]
    assert (first["payment_status"], first["refunded_total"]) == ("PARTIALLY_REFUNDED", 3333)
    for order_id in erasure.gone.orders:
        timeline = erasure.live[f"/orders/{order_id}/timeline"]
        assert timeline["events"], order_id


def test_their_orders_and_account_read_as_erased(erasure: Erasure) -> None:
    gone = erasure.gone
    account = erasure.shop.http.get(f"/customers/{gone.customer_id}", headers=erasure.shop.admin)
    assert account.json() | {"registered_at": ""} == {
        "customer_id": gone.customer_id,
        "email": None,
        "name": None,
        "status": "ERASED",
        "registered_at": "",
    }
    for order_id in gone.orders:
        assert erasure.live[f"/orders/{order_id}"]["customer_id"] == gone.customer_id


def test_they_can_no_longer_log_in_nor_refresh(erasure: Erasure) -> None:
    assert (erasure.login_after, erasure.refresh_after) == (401, 401)


def test_the_other_customer_keeps_their_data(erasure: Erasure) -> None:
    kept = erasure.kept
    me = kept.me()
    assert me.status_code == 200, me.text
    profile = me.json()
    assert (profile["email"], profile["name"], profile["status"]) == (
        kept.person.email,
        kept.person.name,
        "ACTIVE",
    )
    assert outbox_mail(erasure.shop.server.data_dir, kept.person.email)
    assert kept.log_in().status_code == 200
