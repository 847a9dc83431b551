"""Catalog search on SQLite FTS5: the embedded default when no Elasticsearch is configured."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from projections.catalog_search.view import CatalogSearch, SearchPage, SearchRequest
from projections.core import Doc, Docs, Key
from projections.sqlbase import SqlView
from projections.sqlstore import dumps, loads

COLUMNS = ("sku", "category", "brand", "price", "available", "listed", "newest", "doc")
TABLE = "catalog_v2_g"  # v2: the text index shares the rowid (v1 deleted by scanning)
# Browsing without text: by category or brand, with the facet columns covered so the
# total and facets come from the index alone; by price; newest first.
INDEXES = {
    "category": "(category, listed, brand, price)",
    "brand": "(brand, listed, category, price)",
    "price": "(price)",
    "newest": "(newest)",
}
# bm25 weights per FTS column: name, description, brand, category.
RANK = "bm25({fts}, 10.0, 1.0, 4.0, 3.0)"
ORDER = {
    "price_asc": "c.price ASC, c.sku",
    "price_desc": "c.price DESC, c.sku",
    "newest": "c.newest DESC, c.sku",
}


def match_expression(q: str) -> str:
    """Every word of `q` must match a word start; quoting keeps FTS5 syntax out."""
    return " ".join(f'"{word}"*' for word in re.findall(r"\w+", q.lower()))


class SqliteCatalogSearch(SqlView, CatalogSearch):
    """`catalog_v2_g<N>`: one row per sku with the columns filters and sorts use and the
    document as JSON; `catalog_v2_g<N>_fts`: its name, description, brand and category for
    full-text matching (porter stemming, so "keyboards" finds "keyboard"), under the same
    rowid, so a change deletes its old text by rowid instead of scanning the index."""

    def __init__(self, engine: Engine) -> None:
        SqlView.__init__(self, engine)
        CatalogSearch.__init__(self)

    def tables(self, generation: int) -> list[sa.Table]:
        return []

    def has_tables(self, conn: Connection, generation: int) -> bool:
        return sa.inspect(conn).has_table(f"{TABLE}{generation}")

    def create_tables(self, conn: Connection, generation: int) -> None:
        table = f"{TABLE}{generation}"
        conn.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY, sku TEXT UNIQUE "
            "NOT NULL, category TEXT, brand TEXT, price INTEGER, available INTEGER, "
            "listed INTEGER, newest INTEGER, doc TEXT NOT NULL)"
        )
        for name, columns in INDEXES.items():
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {table}_{name} ON {table} {columns}")
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts USING fts5("
            "name, description, brand, category, tokenize='porter unicode61')"
        )

    def drop_tables(self, conn: Connection, generation: int) -> None:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}{generation}_fts")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}{generation}")

    def load(self, conn: Connection, generation: int, keys: set[Key]) -> dict[Key, Doc]:
        skus = sorted(key for _, key in keys)
        found: dict[Key, Doc] = {}
        for start in range(0, len(skus), 500):
            chunk = skus[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT sku, doc FROM {TABLE}{generation} WHERE sku IN ({marks})"
            rows = conn.exec_driver_sql(sql, tuple(chunk))
            found |= {("product", sku): loads(doc) for sku, doc in rows}
        return found

    def save(self, conn: Connection, generation: int, docs: Docs) -> None:
        changed = list(docs.changed_docs().values())
        if not changed:
            return
        table, skus = f"{TABLE}{generation}", [(doc["sku"],) for doc in changed]
        conn.exec_driver_sql(
            f"DELETE FROM {table}_fts WHERE rowid = (SELECT id FROM {table} WHERE sku = ?)", skus
        )
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE sku = ?", skus)
        conn.exec_driver_sql(
            f"INSERT INTO {table} (sku, category, brand, price, available, listed, newest, doc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    d["sku"],
                    d["category"],
                    d["brand"],
                    d["price"],
                    d["available"],
                    int(d["listed"]),
                    d["newest"],
                    dumps(d),
                )
                for d in changed
            ],
        )
        conn.exec_driver_sql(
            f"INSERT INTO {table}_fts (rowid, name, description, brand, category) "
            f"SELECT id, ?, ?, ?, ? FROM {table} WHERE sku = ?",
            [(d["name"], d["description"], d["brand"], d["category"], d["sku"]) for d in changed],
        )

    def rows(self, conn: Connection, generation: int) -> dict[str, Any]:
        rows = conn.exec_driver_sql(f"SELECT sku, doc FROM {TABLE}{generation}")
        return {f"product:{sku}": doc for sku, doc in rows}  # as stored: canonical JSON

    def search(self, request: SearchRequest) -> SearchPage:
        with self.engine.connect() as conn, conn.begin():
            generation = self._live(conn) or 0
            source, where, params = self._filters(generation, request)
            body = f"FROM {source} WHERE {' AND '.join(where)}"
            # One pass for the total and both facets, instead of three.
            groups = conn.exec_driver_sql(
                f"SELECT c.category, c.brand, count(*) {body} GROUP BY c.category, c.brand",
                params,
            ).all()
            order = self._order(generation, request)
            page = f"SELECT c.doc {body} ORDER BY {order} LIMIT ? OFFSET ?"
            docs = conn.exec_driver_sql(page, (*params, request.limit, request.offset))
            items = [loads(doc) for doc in docs.scalars()]
        return SearchPage(sum(n for *_, n in groups), items, facets_of(list(groups)))

    @staticmethod
    def _filters(generation: int, r: SearchRequest) -> tuple[str, list[str], tuple[Any, ...]]:
        table = f"{TABLE}{generation}"
        source, where = f"{table} c", ["c.listed = 1"]
        params: list[str | int] = []
        if match := match_expression(r.q):
            source = f"{table}_fts JOIN {table} c ON c.id = {table}_fts.rowid"
            where.append(f"{table}_fts MATCH ?")
            params.append(match)
        # With text, the full-text index must drive: `+` keeps SQLite off the column indexes,
        # which would otherwise have it test the MATCH row by row.
        plus = "+" if match else ""
        for clause, value in (
            (f"{plus}c.category = ?", r.category),
            (f"{plus}c.brand = ?", r.brand),
            (f"{plus}c.price >= ?", r.min_price),
            (f"{plus}c.price <= ?", r.max_price),
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
            return RANK.format(fts=f"{TABLE}{generation}_fts") + ", c.sku"
        return ORDER.get(r.sort, ORDER["newest"])


def facets_of(groups: list[Any]) -> dict[str, dict[str, int]]:
    """Per-category and per-brand counts from (category, brand, count) rows, sorted."""
    facets: dict[str, dict[str, int]] = {"category": {}, "brand": {}}
    for category, brand, count in groups:
        facets["category"][category] = facets["category"].get(category, 0) + count
        facets["brand"][brand] = facets["brand"].get(brand, 0) + count
    return {name: dict(sorted(counts.items())) for name, counts in facets.items()}
