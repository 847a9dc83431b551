"""Every setting the service reads, from `SHOP_*` environment variables, read once."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import limits
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigurationError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """One object handed to `bootstrap()`; tests build their own instead of touching os.environ."""

    model_config = SettingsConfigDict(env_prefix="SHOP_", frozen=True, extra="ignore")

    data_dir: Path = Field(Path("var"), description="Where the embedded SQLite files live.")
    event_store: Literal["sqlite", "postgres", "esdb", "memory"] = Field(
        "sqlite", description="Which event store holds the log."
    )
    postgres_dsn: str | None = Field(
        None, description="PostgreSQL for the event store, e.g. postgresql://user@host:5432/db."
    )
    postgres_schema: str | None = Field(None, description="Schema for the event tables.")
    esdb_uri: str | None = Field(None, description="EventStoreDB/KurrentDB URI (esdb://...).")
    read_db_url: str | None = Field(
        None, description="SQLAlchemy URL of the order views; default a SQLite file in data_dir."
    )
    redis_url: str | None = Field(None, description="Redis for hot lookups; default: read_db_url.")
    elasticsearch_url: str | None = Field(
        None, description="Elasticsearch for catalog search; default: SQLite FTS5 in data_dir."
    )
    snapshot_interval: int = Field(
        100, ge=2, description="Snapshot inventory and coupon streams every N events."
    )
    aggregate_cache_size: int = Field(
        10_000, ge=0, description="Aggregates kept in memory per process (0: off)."
    )
    saga_partitions: int = Field(
        1, ge=1, le=64, description="Checkout saga partitions, shared by all saga workers."
    )
    lease_ttl_s: float = Field(
        10.0,
        ge=1,
        le=300,
        description="How long a worker's lease on a partition or projection lasts unrenewed"
        " (a dead worker's work is taken over after about this long).",
    )
    payment_timeout_s: float = Field(30.0, gt=0, description="Payment deadline.")
    psp_url: str | None = Field(
        None, description="Payment provider's base URL; unset: `shop serve` starts a simulator."
    )
    carrier_url: str | None = Field(
        None, description="Carrier's base URL; unset: `shop serve` starts a simulated carrier."
    )
    carrier_webhook_secret: str | None = Field(
        None,
        description="Key of the carrier webhook's HMAC-SHA256 signature; the embedded default"
        " generates one in data_dir.",
    )
    carrier_auto_advance_s: float | None = Field(
        None,
        gt=0,
        description="Simulated carrier only: move each handed-over parcel on by itself every"
        " this many seconds (in transit, then delivered), for demos. Off when unset.",
    )
    return_window_days: int = Field(
        30, ge=0, le=3650, description="Days after delivery within which a return is accepted."
    )
    smtp_url: str | None = Field(
        None,
        description="SMTP server for customer email, smtp://[user:pass@]host:port[?starttls=true];"
        " unset: messages are written to <data_dir>/outbox.",
    )
    mail_from: str = Field("shop@localhost", description="The From address of customer email.")
    mail_locale: Literal["en", "ko"] = Field("en", description="Language of customer email.")
    amqp_url: str | None = Field(
        None, description="RabbitMQ URL; set: integration events also go to shop.events."
    )
    webhook_retry_base_s: float = Field(
        1.0, gt=0, description="First wait before a failed webhook delivery is retried."
    )
    webhook_max_attempts: int = Field(
        8, ge=1, le=50, description="Attempts of a webhook delivery before it is DEAD."
    )
    notification_max_attempts: int = Field(
        5, ge=1, le=50, description="Attempts of a customer message before it is DEAD."
    )
    notification_claim_s: float = Field(
        120.0,
        gt=0,
        description="How long a message left SENDING by a crashed sender waits before it"
        " is sent again.",
    )
    restart_backoff_s: float = Field(
        0.5, gt=0, description="First wait before `shop serve` restarts a dead worker."
    )
    consistency_timeout_s: float = Field(
        5.0, ge=0, description="How long a query waits for `min_position`."
    )
    lag_slo_s: float = Field(5.0, gt=0, description="Projection lag above which /ready is 503.")
    jwt_secret: str | None = Field(
        None, description="HS256 secret; the embedded default generates one in data_dir."
    )
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = Field("HS256")
    access_token_ttl_s: int = Field(
        900, ge=30, le=86_400, description="Lifetime of an access token from POST /auth/token."
    )
    refresh_token_ttl_s: int = Field(
        30 * 86_400, ge=60, description="Lifetime of a login (its chain of refresh tokens)."
    )
    login_max_failures: int = Field(
        5, ge=1, le=1000, description="Failed logins for one email within 15 minutes before 429."
    )
    password_time_cost: int = Field(3, ge=1, le=20, description="argon2id passes.")
    password_memory_kib: int = Field(
        65_536, ge=1024, description="argon2id memory per hash in KiB (64 MiB: RFC 9106)."
    )
    password_parallelism: int = Field(4, ge=1, le=16, description="argon2id lanes.")
    jwks_url: str | None = Field(
        None, description="An identity provider's JWKS; set: its RS256/ES256 tokens are accepted."
    )
    jwt_issuer: str | None = Field(
        None, description="`iss` an identity provider's token must carry."
    )
    jwt_audience: str | None = Field(
        None, description="`aud` an identity provider's token must carry."
    )
    jwt_role_claim: str = Field("role", description="Claim of an IdP token that holds the role.")
    jwks_refetch_floor_s: float = Field(
        30.0, ge=0, description="Least time between two JWKS fetches (unknown `kid`s)."
    )
    key_cache_size: int = Field(
        10_000, ge=0, description="Customers' data keys kept in memory per process."
    )
    create_tables: bool = Field(
        True, description="Migrate (under the migration lock) at start-up; else wait for it."
    )
    migrate_wait_s: float = Field(
        60.0, ge=0, description="How long a process started without create_tables waits."
    )
    max_attempts: int = Field(
        5,
        ge=1,
        description="Failures of one event before a projection or the saga parks it.",
    )
    log_level: str = Field("INFO")
    metrics_port: int | None = Field(
        None, ge=1, le=65535, description="Port of the workers' /metrics (off when unset)."
    )
    coupon_lookup_rate: str = Field(
        "60/minute", description="GET /coupons/{code} per caller, e.g. 60/minute, 5/second."
    )

    @field_validator("coupon_lookup_rate")
    @classmethod
    def _a_rate(cls, value: str) -> str:
        """Refuse a malformed rate at start-up, not at the first limited request."""
        try:
            limits.parse(value)
        except ValueError:
            raise ValueError(
                f"SHOP_COUPON_LOOKUP_RATE must be a rate like 60/minute, got {value!r}"
            ) from None
        return value

    @property
    def events_sqlite_path(self) -> Path:
        return self.data_dir / "events.sqlite3"

    @property
    def views_sqlite_path(self) -> Path:
        return self.data_dir / "views.sqlite3"

    @property
    def catalog_sqlite_path(self) -> Path:
        return self.data_dir / "catalog.sqlite3"
