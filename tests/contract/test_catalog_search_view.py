"""Catalog search contract: relevance, filters, facets, sorts and paging with known answers,
on SQLite FTS5, on the Elasticsearch model (tests/support/es_model: everything but
full-text relevance, on every run) and, when SHOP_ELASTICSEARCH_URL is set, on a real
Elasticsearch; each over the SQLite log and the PostgreSQL log (when it answers)."""
# ruff: noqa: F811 - the shared fixtures are imported, then requested by name

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backends import event_store_env
from eventstore.application import ShopStore
from eventstore.log import EventLog
from projections.catalog_search.sqlite_fts import SqliteCatalogSearch
from projections.catalog_search.view import CatalogSearch
from projections.runner import catch_up
from queries.catalog import CatalogPage, SearchCatalog
from queries.errors import InvalidQuery
from tests.projections.contract import (  # noqa: F401 - collected here, run on these views
    test_a_bulk_replay_equals_a_view_followed_event_by_event,
    test_a_projector_killed_mid_batch_ends_like_an_uninterrupted_one,
    test_a_rebuild_under_writes_equals_the_live_view,
    test_duplicate_deliveries_change_nothing,
    test_replaying_the_whole_log_changes_nothing,
)
from tests.projections.fixtures import log, shop, view_maker  # noqa: F401
from tests.projections.shopdata import Shop
from tests.projections.stores import SEARCH_STORES, ViewMaker
from tests.support.es_model.views import ModelViewMaker

LOGS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
MODEL = ModelViewMaker.store

# Prices after the history below: MS1 2900, KB2 4900, MS2 7900, KB1 12900, MN1 29900.
# In stock: KB1, MS1, MS2 (KB2 never stocked; MN1's two units are reserved).


@pytest.fixture
def history(shop: Shop) -> None:
    shop.catalog()
    shop.product("SKU-OLD", "Old keyboard", "Discontinued keyboard", "keyboards", "Keyco", 100, 9)
    shop.change("SKU-OLD", "discontinue")
    shop.change("SKU-MN1", "change_price", 29900)
    shop.order("alice", {"SKU-MN1": 2}, outcome="reserved")


@pytest.fixture(params=LOGS)
def store(request: pytest.FixtureRequest, settings_for) -> Iterator[ShopStore]:
    """The log the views follow: a search view must not depend on which store wrote it."""
    shop_store = ShopStore(event_store_env(settings_for(request.param)))
    yield shop_store
    shop_store.close()


@pytest.fixture(params=[*SEARCH_STORES, MODEL])
def make(request: pytest.FixtureRequest, tmp_path: Path, history: None) -> Iterator[ViewMaker]:
    if request.param == MODEL:
        yield ModelViewMaker()  # type: ignore[misc]
    else:
        yield from view_maker("catalog_search", request.param, tmp_path)


@pytest.fixture
def full_text(make: ViewMaker) -> None:
    """Relevance and analysis (stemming, prefixes, boosts) are the real server's own."""
    if make.store == MODEL:
        pytest.skip("full-text queries are not modelled: the real-server run covers them")


@pytest.fixture
def view(make: ViewMaker, log: EventLog) -> CatalogSearch:
    view = make()
    catch_up(log, view)
    return view  # type: ignore[return-value]


@pytest.fixture
def query(make: ViewMaker):  # noqa: ANN201
    if make.store == MODEL:
        return lambda view: SearchCatalog(view)(category="mice", sort="price_asc")
    return lambda view: SearchCatalog(view)(q="mouse")


def skus(page: CatalogPage) -> list[str]:
    return [item.sku for item in page.items]


@pytest.mark.usefixtures("full_text")
def test_relevance_ranks_name_matches_above_description_matches(view: CatalogSearch) -> None:
    keyboards = SearchCatalog(view)(q="keyboard")
    silent = SearchCatalog(view)(q="silent")

    assert set(skus(keyboards)[:2]) == {"SKU-KB1", "SKU-KB2"}
    assert skus(keyboards)[2:] == ["SKU-MS2"]
    assert skus(silent) == ["SKU-KB2", "SKU-MS1"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("keyco", {"SKU-KB1", "SKU-MS1"}),
        ("mice", {"SKU-MS1", "SKU-MS2"}),
        ("keyboards mouse", {"SKU-MS2"}),
        ("mon", {"SKU-MN1"}),
        ("nothing-like-it", set()),
    ],
)
@pytest.mark.usefixtures("full_text")
def test_text_matches_name_description_brand_and_category(view, q: str, expected: set) -> None:
    assert set(skus(SearchCatalog(view)(q=q))) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"category": "mice"}, ["SKU-MS1", "SKU-MS2"]),
        ({"brand": "Keyco"}, ["SKU-MS1", "SKU-KB1"]),
        ({"min_price": 5000}, ["SKU-MS2", "SKU-KB1", "SKU-MN1"]),
        ({"max_price": 4900}, ["SKU-MS1", "SKU-KB2"]),
        ({"min_price": 4900, "max_price": 12900}, ["SKU-KB2", "SKU-MS2", "SKU-KB1"]),
        ({"in_stock": True}, ["SKU-MS1", "SKU-MS2", "SKU-KB1"]),
        ({"in_stock": False}, ["SKU-KB2", "SKU-MN1"]),
        ({"q": "keyboard", "in_stock": True}, ["SKU-MS2", "SKU-KB1"]),
    ],
)
def test_each_filter(
    view: CatalogSearch, make: ViewMaker, filters: dict, expected: list[str]
) -> None:
    if "q" in filters and make.store == MODEL:
        pytest.skip("full-text queries are not modelled: the real-server run covers them")
    assert skus(SearchCatalog(view)(sort="price_asc", **filters)) == expected


@pytest.mark.usefixtures("full_text")
def test_facets_count_categories_and_brands_of_the_matches(view: CatalogSearch) -> None:
    everything = SearchCatalog(view)()
    keyboards = SearchCatalog(view)(q="keyboard")

    assert everything.facets.model_dump() == {
        "category": {"keyboards": 2, "mice": 2, "monitors": 1},
        "brand": {"Hush": 1, "Keyco": 2, "Viewy": 1, "Zap": 1},
    }
    assert keyboards.facets.model_dump() == {
        "category": {"keyboards": 2, "mice": 1},
        "brand": {"Hush": 1, "Keyco": 1, "Zap": 1},
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["SKU-MS1", "SKU-KB2", "SKU-MS2", "SKU-KB1", "SKU-MN1"]),
        ("price_desc", ["SKU-MN1", "SKU-KB1", "SKU-MS2", "SKU-KB2", "SKU-MS1"]),
        ("newest", ["SKU-MN1", "SKU-MS2", "SKU-MS1", "SKU-KB2", "SKU-KB1"]),
        ("relevance", ["SKU-MN1", "SKU-MS2", "SKU-MS1", "SKU-KB2", "SKU-KB1"]),  # no q: newest
    ],
)
def test_each_sort(view: CatalogSearch, sort: str, expected: list[str]) -> None:
    assert skus(SearchCatalog(view)(sort=sort)) == expected


def test_paging_walks_the_sorted_matches(view: CatalogSearch) -> None:
    pages = [SearchCatalog(view)(sort="price_asc", page=n, size=2) for n in (1, 2, 3, 4)]

    assert [skus(page) for page in pages] == [
        ["SKU-MS1", "SKU-KB2"],
        ["SKU-MS2", "SKU-KB1"],
        ["SKU-MN1"],
        [],
    ]
    assert {page.total for page in pages} == {5}


@pytest.mark.usefixtures("full_text")
def test_a_hit_carries_price_and_stock(view: CatalogSearch) -> None:
    [monitor] = SearchCatalog(view)(q="monitor").items

    assert (monitor.name, monitor.price, monitor.currency) == ("Monitor 27", 29900, "KRW")
    assert (monitor.available, monitor.in_stock) == (0, False)


@pytest.mark.parametrize(
    "bad",
    [
        {"sort": "cheapest"},
        {"size": 101},
        {"size": 0},
        {"page": 0},
        {"min_price": -1},
        {"max_price": "9"},
        {"min_price": 10, "max_price": 5},
        {"q": "x" * 201},
        {"in_stock": "yes"},
        {"page": 1000, "size": 100},
    ],
)
def test_bad_searches_are_refused(view: CatalogSearch, bad: dict) -> None:
    with pytest.raises(InvalidQuery):
        SearchCatalog(view)(**bad)


def test_a_live_generation_without_its_tables_is_replaced_and_refilled(
    view: CatalogSearch, log: EventLog
) -> None:
    if not isinstance(view, SqliteCatalogSearch):
        pytest.skip("a SQL schema change is what leaves a generation without its tables")
    before = SearchCatalog(view)(q="keyboard")
    old = view.live_generation()
    with view.write() as conn, conn.begin():
        view.drop_tables(conn, old)  # as if the tables were renamed by a new schema

    view.ensure()
    catch_up(log, view)

    assert view.live_generation() > old
    assert SearchCatalog(view)(q="keyboard") == before
