"""The login tables, beside the events (the PostgreSQL schema or the SQLite events file),
so every API process of a deployment counts and rotates against the same rows.

`shop_login_failures`: one row per login attempt that failed (or is being checked), keyed
by the SHA-256 of the normalised email, never the email itself. `shop_refresh_families`:
one row per login, holding the SHA-256 of its one live refresh token, never the token.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
LOGIN_FAILURES = sa.Table(
    "shop_login_failures",
    metadata,
    sa.Column("attempt_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("email_key", sa.String(64), nullable=False),
    sa.Column("failed_at", sa.Float, nullable=False),  # unix seconds
    sa.Index("ix_shop_login_failures_key", "email_key", "failed_at"),
    sa.Index("ix_shop_login_failures_at", "failed_at"),
)
REFRESH_FAMILIES = sa.Table(
    "shop_refresh_families",
    metadata,
    sa.Column("family_id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(200), nullable=False),
    sa.Column("current_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),  # unix seconds
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_shop_refresh_families_customer", "customer_id"),
)


def create_tables(engine: sa.Engine) -> None:
    metadata.create_all(engine)
