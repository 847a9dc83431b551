"""Routers of both APIs."""
