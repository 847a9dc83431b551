"""A throw-away PostgreSQL schema per test (shared with the benchmark)."""

from bench.pg import fresh_schema

__all__ = ["fresh_schema"]
