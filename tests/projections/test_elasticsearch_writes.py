"""The Elasticsearch catalog view's writes, against ElasticsearchModel (no server needed):
a batch whose documents did not all land leaves the position where it was, rejected items
are sent again, and a version conflict means a newer write is already there."""
# ruff: noqa: F811 - the shared fixtures are imported, then requested by name

from __future__ import annotations

import threading
import time

import pytest
from elasticsearch import helpers

from eventstore.log import EventLog
from projections.catalog_search.elasticsearch import ElasticsearchCatalogSearch
from projections.catalog_search.es_bulk import write_documents
from projections.runner import ProjectionRunner, catch_up
from tests.projections.fixtures import log, shop, store  # noqa: F401
from tests.projections.shopdata import Shop
from tests.support.es_model.state import EsError
from tests.support.es_model.views import FAST_RETRY, ModelViewMaker

MAPPING_ERROR = EsError(400, "document_parsing_exception", "failed to parse field [price]")


@pytest.fixture
def make() -> ModelViewMaker:
    return ModelViewMaker()


@pytest.fixture
def view(make: ModelViewMaker, shop: Shop) -> ElasticsearchCatalogSearch:
    shop.catalog()
    return make()


def rows(view: ElasticsearchCatalogSearch) -> dict:
    return view.snapshot()[1]


def test_a_failed_item_fails_the_batch_and_leaves_the_position(
    view: ElasticsearchCatalogSearch, make: ModelViewMaker, log: EventLog
) -> None:
    make.model.faults.fail_items(1, MAPPING_ERROR)

    with pytest.raises(helpers.BulkIndexError) as failed:
        catch_up(log, view)

    [(_, item)] = [next(iter(error.items())) for error in failed.value.errors]
    assert item["error"]["type"] == "document_parsing_exception"
    assert view.position() == 0
    catch_up(log, view)  # the batch again, from the same position: now it all lands
    clean = make()
    catch_up(log, clean)
    assert view.position() == log.head()
    assert rows(view) == rows(clean)
    assert len(rows(view)) == 5


def test_the_runner_applies_a_failed_batch_again_until_it_lands(
    view: ElasticsearchCatalogSearch, make: ModelViewMaker, log: EventLog
) -> None:
    make.model.faults.fail_items(1, MAPPING_ERROR, requests=2)  # two tries fail, then it lands
    runner = ProjectionRunner(log, {"catalog_search": view}, idle_wait_s=0.01)

    runner.start()
    try:
        deadline = time.monotonic() + 10
        while view.position() < log.head() and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        runner.stop()

    assert isinstance(runner.errors["catalog_search"], helpers.BulkIndexError)
    assert view.position() == log.head()
    assert len(rows(view)) == 5


def test_rejected_items_are_sent_again_with_doubling_waits(
    view: ElasticsearchCatalogSearch,
    make: ModelViewMaker,
    log: EventLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits: list[float] = []
    monkeypatch.setattr("elasticsearch.helpers.actions.time.sleep", waits.append)
    make.model.faults.reject_items(1, requests=2)  # rejected, rejected again, then in
    bulks_before = make.model.requests.count("PUT /_bulk")

    catch_up(log, view)

    assert view.position() == log.head()
    assert len(rows(view)) == 5
    assert make.model.requests.count("PUT /_bulk") - bulks_before == 3
    assert waits == [FAST_RETRY.initial_s, 2 * FAST_RETRY.initial_s]


def test_rejections_beyond_the_retries_fail_the_batch(
    view: ElasticsearchCatalogSearch, make: ModelViewMaker, log: EventLog
) -> None:
    make.model.faults.reject_items(1, requests=FAST_RETRY.attempts + 1)  # every try

    with pytest.raises(helpers.BulkIndexError) as failed:
        catch_up(log, view)

    [error] = failed.value.errors
    assert error["index"]["status"] == 429
    assert view.position() == 0
    catch_up(log, view)
    assert len(rows(view)) == 5


def _action(index: str, doc_id: str, version: int, name: str) -> dict:
    source = {"kind": "product", "sku": doc_id, "name": name}
    return {"_index": index, "_id": doc_id, "_source": source, "version": version,
            "version_type": "external"}  # fmt: skip


def test_a_version_conflict_means_a_newer_write_is_kept(
    view: ElasticsearchCatalogSearch,
) -> None:
    index = view.index(view.live_generation())
    view.client.index(index=index, id="SKU-1", document=_action(index, "SKU-1", 9, "new")[
        "_source"], version=9, version_type="external")  # fmt: skip

    write_documents(view.client, [_action(index, "SKU-1", 4, "old"),
                                  _action(index, "SKU-2", 4, "other")], FAST_RETRY)  # fmt: skip

    assert view.client.get(index=index, id="SKU-1")["_source"]["name"] == "new"
    assert view.client.get(index=index, id="SKU-2")["_source"]["name"] == "other"


def test_a_version_conflict_does_not_hide_another_failure(
    view: ElasticsearchCatalogSearch, make: ModelViewMaker
) -> None:
    index = view.index(view.live_generation())
    write_documents(view.client, [_action(index, "SKU-1", 9, "new")], FAST_RETRY)
    make.model.faults.fail_items(1, MAPPING_ERROR)

    with pytest.raises(helpers.BulkIndexError) as failed:
        write_documents(view.client, [_action(index, "SKU-2", 4, "x"),
                                      _action(index, "SKU-1", 4, "old")], FAST_RETRY)  # fmt: skip

    assert [e["index"]["_id"] for e in failed.value.errors] == ["SKU-2"]


def test_ensure_raced_by_two_processes_leaves_one_index_behind_the_alias(
    make: ModelViewMaker,
) -> None:
    for round_ in range(10):
        prefix = f"race{round_}"
        make.model.faults.meet("HEAD /_alias/", parties=2)  # both find no alias
        errors: list[BaseException] = []
        views: list[ElasticsearchCatalogSearch] = []

        def start(prefix: str = prefix, errors: list = errors, views: list = views) -> None:
            try:
                views.append(make(prefix))  # its own client, as another process would
            except Exception as error:  # noqa: BLE001 - a failed start-up is the finding
                errors.append(error)

        threads = [threading.Thread(target=start) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert errors == []
        client = views[0].client
        assert list(client.indices.get_alias(name=f"{prefix}-catalog")) == [f"{prefix}-catalog-v1"]
        assert list(client.indices.get(index=f"{prefix}-catalog-v*")) == [f"{prefix}-catalog-v1"]
        assert [v.live_generation() for v in views] == [1, 1]
