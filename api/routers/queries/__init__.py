"""Routers of the query API, one per resource."""
