"""`/docs` loads nothing from another host; `HEAD` answers wherever `GET` does."""

from __future__ import annotations

import re

import pytest

from tests.api.factories import product_body


def test_the_docs_page_references_no_other_host(queries):
    page = queries.get("/docs")

    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", page.text)


def test_the_docs_assets_are_served_by_the_app(queries):
    page = queries.get("/docs").text
    assets = re.findall(r"(?:src|href)=['\"]?(/docs/[^'\" >]+)", page)

    assert {asset.rsplit(".", 1)[-1] for asset in assets} == {"js", "css", "png"}
    for asset in assets:
        response = queries.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 500, asset


def test_the_docs_page_loads_this_apps_openapi(commands):
    assert "'/openapi.json'" in commands.get("/docs").text
    assert commands.get("/openapi.json").status_code == 200
    assert commands.get("/redoc").status_code == 404


@pytest.mark.parametrize("path", ["/health", "/catalog/search?q=mug", "/docs", "/openapi.json"])
def test_head_answers_like_get_without_a_body(queries, alice, path):
    got = queries.get(path, headers=alice)
    head = queries.head(path, headers=alice)

    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"]


def test_head_on_a_missing_resource_is_the_gets_404(commands, queries, alice, admin):
    commands.post("/products", json=product_body(sku="HEAD-1"), headers=admin)

    assert queries.head("/catalog/products/NOPE", headers=alice).status_code == 404
    assert queries.head("/catalog/search").status_code == 401  # no token: as GET


def test_head_on_a_post_only_path_is_still_405(commands, admin):
    response = commands.head("/products", headers=admin)

    assert response.status_code == 405
    assert "POST" in response.headers["allow"]
