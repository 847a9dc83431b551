"""Routers of the command API, one per resource."""
