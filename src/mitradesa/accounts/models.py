"""Users with a role and a location scope; login sessions, API tokens, login attempts and
the login throttle counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mitradesa.db.base import Base, Tracked, utcnow

ROLES = ("admin", "pendamping", "operator_desa", "mitra", "viewer")
DIGEST_FREQUENCIES = ("off", "weekly", "daily")


class User(Tracked, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(5), default="id")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set by an admin's reset: every page sends the user to the change form until changed.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    email: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The reminder digest by e-mail: off | weekly | daily, and when it last went out.
    digest_frequency: Mapped[str] = mapped_column(String(10), default="off",
                                                  server_default="off")
    digest_last_sent_at: Mapped[datetime | None] = mapped_column(nullable=True)

    scopes: Mapped[list[UserScope]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", foreign_keys="UserScope.user_id"
    )

    @property
    def scope_codes(self) -> list[str]:
        return sorted(s.region_code for s in self.scopes)


class UserScope(Base):
    """A region the user may work in; a kecamatan grants every village under it."""

    __tablename__ = "user_scopes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(
        String(20), ForeignKey("regions.code"), primary_key=True
    )


class UserSession(Base):
    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    client: Mapped[str] = mapped_column(String(100), default="", server_default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="", server_default="")

    @property
    def public_id(self) -> str:
        """What lists and the API call a session: a prefix of the digest, never the token."""
        return self.token_hash[:16]


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    client: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(Boolean)


class LoginThrottle(Base):
    """Failed (and in-flight) logins of one key (`client:ADDRESS` or `account:NAME`) in the
    current window; one row per key, so counting and checking is one locked UPDATE."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime]
    failures: Mapped[int] = mapped_column(Integer, default=0)
