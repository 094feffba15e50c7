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
