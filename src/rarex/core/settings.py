"""Settings from environment variables prefixed ``RAREX_``.

Read once per process through :func:`get_settings`; tests call ``get_settings.cache_clear()``
after changing the environment. Nothing else in rarex reads ``os.environ`` for configuration.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rarex import PROJECT_ROOT


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAREX_", extra="ignore")

    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="Uploaded documents, keys, the embedded database.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty means the SQLite file under data_dir.")
    token_ttl_minutes: int = Field(default=8 * 60, ge=1, le=60 * 24 * 30)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    max_documents_per_application: int = Field(default=30, ge=1, le=10_000,
                                               description="Documents one application may hold.")
    max_document_bytes_per_organisation: int = Field(default=1024 ** 3, ge=1024,
                                                     description="Bytes of documents one organisation may hold.")
    policy_pack: str = Field(default="cn-dual-use")
    db_pool_size: int = Field(default=20, ge=1, le=1000, description="PostgreSQL connections kept per process")
    db_max_overflow: int = Field(default=4, ge=0, le=1000, description="extra PostgreSQL connections beyond the pool")
    db_pool_timeout: float = Field(default=5.0, gt=0, le=300, description="seconds to wait for a pooled connection")
    db_lock_timeout: float = Field(
        default=5.0, gt=0, le=300, description="seconds to wait for a lock: SQLite busy timeout, PostgreSQL lock_timeout"
    )
    admission_timeout: float = Field(
        default=1.0, gt=0, le=60, description="seconds a request waits for a database slot before it gets 503"
    )
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, description="largest request body except uploads")
    password_hashing: Literal["rfc9106", "cheapest"] = Field(
        default="rfc9106",
        description="argon2 parameters for new hashes: RFC 9106 low-memory; 'cheapest' only for tests",
    )
    # Sign-in throttle (users/throttle.py says why the limits are keyed as they are).
    login_window_seconds: int = Field(default=900, ge=1, le=86400, description="how long a failed sign-in counts")
    login_per_account_address: int = Field(default=5, ge=1, description="failures of one account from one address, then 429")
    login_per_address: int = Field(default=30, ge=1, description="failures from one address over all accounts, then 429")
    login_per_account: int = Field(default=30, ge=1, description="failures of one account over all addresses, then 429")
    login_backoff_after: int = Field(default=2, ge=1, description="failures of an account from an address before each try waits")
    login_backoff_seconds: float = Field(default=1.0, gt=0, description="first wait; it doubles with each further failure")
    login_retention_days: int = Field(default=30, ge=1, description="age at which `rarex users prune-logins` removes attempts")
    trusted_proxies: str = Field(
        default="", description="comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is believed",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, v: str) -> str:
        import ipaddress

        for item in filter(None, (p.strip() for p in v.split(","))):
            ipaddress.ip_network(item, strict=False)  # a ValueError names the bad entry at start-up
        return v

    verify_per_minute: int = Field(default=60, ge=1, description="public licence checks (/verify) one client may make a minute")
    verify_burst: int = Field(default=20, ge=1, description="public licence checks one client may make at once")

    list_shrink_limit: float = Field(
        default=0.2, ge=0, le=1,
        description="Share of a restricted-party list's current entries an import may drop before it is refused",
    )
    list_import_stale_minutes: int = Field(
        default=30, ge=1,
        description="A staged list import that has written nothing for this long was abandoned and is removed",
    )

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, v: Path) -> Path:
        return v.expanduser().resolve()

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'rarex.db'}"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"


@lru_cache
def get_settings() -> Settings:
    return Settings()
