"""Catalog search on SQLite FTS5: the embedded default when no Elasticsearch is configured."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from projections.catalog_search.view import CatalogSearch, SearchPage, SearchRequest
from projections.core import Doc, Docs, Key
from projections.sqlbase import SqlView, dumps, loads

COLUMNS = ("sku", "category", "brand", "price", "available", "listed", "newest", "doc")
# bm25 weights per FTS column: sku (unindexed), name, description, brand, category.
RANK = "bm25({fts}, 0.0, 10.0, 1.0, 4.0, 3.0)"
ORDER = {
    "price_asc": "c.price ASC, c.sku", "price_desc": "c.price DESC, c.sku",
    "newest": "c.newest DESC, c.sku",
}  # fmt: skip


def match_expression(q: str) -> str:
    """Every word of `q` must match a word start; quoting keeps FTS5 syntax out."""
    return " ".join(f'"{word}"*' for word in re.findall(r"\w+", q.lower()))


class SqliteCatalogSearch(SqlView, CatalogSearch):
    """`catalog_g<N>`: one row per sku with the columns filters and sorts use and the
    document as JSON; `catalog_g<N>_fts`: its name, description, brand and category for
    full-text matching (porter stemming, so "keyboards" finds "keyboard")."""

    def __init__(self, engine: Engine) -> None:
        SqlView.__init__(self, engine)
        CatalogSearch.__init__(self)

    def tables(self, generation: int) -> list[sa.Table]:
        return []

    def create_tables(self, conn: Connection, generation: int) -> None:
        conn.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS catalog_g{generation} (sku TEXT PRIMARY KEY, "
            "category TEXT, brand TEXT, price INTEGER, available INTEGER, listed INTEGER, "
            "newest INTEGER, doc TEXT NOT NULL)"
        )
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS catalog_g{generation}_fts USING fts5("
            "sku UNINDEXED, name, description, brand, category, tokenize='porter unicode61')"
        )

    def drop_tables(self, conn: Connection, generation: int) -> None:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS catalog_g{generation}_fts")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS catalog_g{generation}")

    def load(self, conn: Connection, generation: int, keys: set[Key]) -> dict[Key, Doc]:
        skus = sorted(key for _, key in keys)
        found: dict[Key, Doc] = {}
        for start in range(0, len(skus), 500):
            chunk = skus[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT sku, doc FROM catalog_g{generation} WHERE sku IN ({marks})"
            rows = conn.exec_driver_sql(sql, tuple(chunk))
            found |= {("product", sku): loads(doc) for sku, doc in rows}
        return found

    def save(self, conn: Connection, generation: int, docs: Docs) -> None:
        changed = list(docs.changed_docs().values())
        if not changed:
            return
        skus = [(doc["sku"],) for doc in changed]
        conn.exec_driver_sql(f"DELETE FROM catalog_g{generation} WHERE sku = ?", skus)
        conn.exec_driver_sql(f"DELETE FROM catalog_g{generation}_fts WHERE sku = ?", skus)
        conn.exec_driver_sql(
            f"INSERT INTO catalog_g{generation} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(d["sku"], d["category"], d["brand"], d["price"], d["available"],
              int(d["listed"]), d["newest"], dumps(d)) for d in changed],
        )  # fmt: skip
        conn.exec_driver_sql(
            f"INSERT INTO catalog_g{generation}_fts VALUES (?, ?, ?, ?, ?)",
            [(d["sku"], d["name"], d["description"], d["brand"], d["category"]) for d in changed],
        )

    def rows(self, conn: Connection, generation: int) -> dict[str, Any]:
        rows = conn.exec_driver_sql(f"SELECT sku, doc FROM catalog_g{generation}")
        return {f"product:{sku}": doc for sku, doc in rows}  # as stored: canonical JSON

    def search(self, request: SearchRequest) -> SearchPage:
        with self.engine.connect() as conn, conn.begin():
            generation = self._live(conn) or 0
            source, where, params = self._filters(generation, request)
            body = f"FROM {source} WHERE {' AND '.join(where)}"
            total = conn.exec_driver_sql(f"SELECT count(*) {body}", params).scalar() or 0
            facets = {
                name: dict(conn.exec_driver_sql(
                    f"SELECT c.{name}, count(*) {body} GROUP BY c.{name} ORDER BY c.{name}",
                    params,
                ).all())
                for name in ("category", "brand")
            }  # fmt: skip
            order = self._order(generation, request)
            page = f"SELECT c.doc {body} ORDER BY {order} LIMIT ? OFFSET ?"
            docs = conn.exec_driver_sql(page, (*params, request.limit, request.offset))
            items = [loads(doc) for doc in docs.scalars()]
        return SearchPage(total, items, facets)

    @staticmethod
    def _filters(generation: int, r: SearchRequest) -> tuple[str, list[str], tuple[Any, ...]]:
        source, where, params = f"catalog_g{generation} c", ["c.listed = 1"], []
        if match := match_expression(r.q):
            fts = f"catalog_g{generation}_fts"
            source = f"{fts} JOIN catalog_g{generation} c ON c.sku = {fts}.sku"
            where.append(f"{fts} MATCH ?")
            params.append(match)
        for clause, value in (
            ("c.category = ?", r.category),
            ("c.brand = ?", r.brand),
            ("c.price >= ?", r.min_price),
            ("c.price <= ?", r.max_price),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        if r.in_stock is not None:
            where.append("c.available > 0" if r.in_stock else "c.available <= 0")
        return source, where, tuple(params)

    @staticmethod
    def _order(generation: int, r: SearchRequest) -> str:
        if r.sort == "relevance" and match_expression(r.q):
            return RANK.format(fts=f"catalog_g{generation}_fts") + ", c.sku"
        return ORDER.get(r.sort, ORDER["newest"])
