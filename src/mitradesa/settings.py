"""The one settings object, built lazily from environment variables (prefix MITRADESA_)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_PLACEHOLDER = "dev-only-insecure-secret"
MIN_SECRET_LENGTH = 32


def secret_key_is_unsafe(secret_key: str) -> bool:
    """The production check: the development placeholder, or shorter than 32 characters."""
    return secret_key == DEV_SECRET_PLACEHOLDER or len(secret_key) < MIN_SECRET_LENGTH


def default_data_dir() -> Path:
    return Path(user_data_dir("mitradesa", appauthor=False))


class Settings(BaseSettings):
    """Every setting of the system; documented in README.md (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="MITRADESA_", extra="ignore")

    environment: str = Field("development", description="development | production")
    data_dir: Path = Field(default_factory=default_data_dir, description="Files and uploads")
    database_url: str = Field("", description="SQLAlchemy URL; default SQLite in data_dir")
    secret_key: str = Field(DEV_SECRET_PLACEHOLDER, description="Signs sessions and tokens")
    host: str = Field("127.0.0.1", description="Web server host")
    port: int = Field(8000, description="Web server port")
    workers: int = Field(1, ge=1, le=64, description="Web server processes (one per CPU core)")
    home_region: str = Field("64.02", description="The DPMD's own region; ranks first in search")
    default_locale: str = Field("id", description="UI language: id or en")
    login_max_failures: int = Field(
        5, ge=1, description="Failed logins from one client address before it is paused"
    )
    login_account_max_failures: int = Field(
        20, ge=1, description="Failed logins on one account, from all addresses, before a pause"
    )
    login_window_seconds: int = Field(900, description="Window for counting failed logins")
    max_body_mb: int = Field(25, ge=1, description="Largest request body in MB (uploads "
                             "included); larger is refused with 413 before it is read")
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks of the reverse proxies whose "
        "X-Forwarded-For/-Proto are believed (e.g. 127.0.0.1); default none",
    )
    page_cache: int = Field(64, ge=0, description="Memory in MB each app process keeps "
                            "rendered pages in, per user, until the data changes; 0 turns "
                            "the page cache off")
    session_hours: int = Field(12, description="How long a login lasts")
    timezone: str = Field("Asia/Makassar", description="The time zone times are shown in "
                          "(IANA name: Asia/Jakarta WIB, Asia/Makassar WITA, Asia/Jayapura WIT)")
    public_url: str = Field("", description="The address people open the app at, for links "
                            "in e-mails, e.g. https://mitradesa.example.go.id; empty: paths only")
    smtp_host: str = Field("", description="SMTP server for the reminder digest; empty: "
                           "no e-mail is sent")
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP port (587 with STARTTLS, "
                           "465 with SSL)")
    smtp_username: str = Field("", description="SMTP login; empty: no login")
    smtp_password: str = Field("", description="SMTP password (set it in the environment, "
                               "never in the repository)")
    smtp_sender: str = Field("", description="The From address of the digest, e.g. "
                             "DPMD Kukar <noreply@dpmd.example.go.id>")
    smtp_starttls: bool = Field(False, description="Upgrade the connection with STARTTLS "
                                "(off by default: a relay on loopback)")
    smtp_ssl: bool = Field(False, description="Connect with TLS from the start (port 465)")
    idm_api_base_url: str = Field(
        "https://idm.kemendesa.go.id/open/api/desa",
        description="The ministry's open IDM API (`mitradesa idm fetch`)",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_secret(self) -> Settings:
        if self.environment != "development" and secret_key_is_unsafe(self.secret_key):
            raise ValueError(
                "MITRADESA_SECRET_KEY must be set to a random value of at least 32 characters "
                f"outside development, e.g. {secrets.token_urlsafe(32)!r}"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / 'mitradesa.sqlite3'}"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
