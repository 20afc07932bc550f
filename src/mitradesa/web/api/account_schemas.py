"""Shapes of the account API: users, sessions, tokens, passwords."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from mitradesa.accounts.clock import aware
from mitradesa.accounts.models import ApiToken, User, UserSession
from mitradesa.accounts.tokens import MAX_EXPIRY_DAYS


class AccountRead(BaseModel):
    username: str
    full_name: str
    role: str
    scope: list[str]
    organisation: str
    email: str
    active: bool
    must_change_password: bool

    @classmethod
    def of(cls, user: User) -> AccountRead:
        return cls(username=user.username, full_name=user.full_name, role=user.role,
                   scope=user.scope_codes, organisation=user.organisation, email=user.email,
                   active=user.active, must_change_password=user.must_change_password)


Role = Literal["admin", "pendamping", "operator_desa", "mitra", "viewer"]


class AccountChange(BaseModel):
    full_name: str = Field("", max_length=200)
    email: str = Field("", max_length=200)
    role: Role
    scope: list[str] = Field(default_factory=list, max_length=200,
                             description="Region codes: kecamatan or villages (a pendamping), "
                                         "one village (an operator); empty: every region")
    partner_id: int | None = Field(None, description="The partner of a mitra account")


class AccountCreate(AccountChange):
    username: str = Field(max_length=80)
    password: str | None = Field(None, max_length=200,
                                 description="Empty: a generated one, returned once")
    must_change_password: bool = Field(True, description="Choose one's own at first login")


class AccountCreated(AccountRead):
    password: str | None = Field(description="The generated password, shown once (null when "
                                             "the admin gave one)")


class SessionRead(BaseModel):
    id: str = Field(description="The session's public id (not its token)")
    created_at: datetime
    expires_at: datetime
    client: str
    user_agent: str
    current: bool

    @classmethod
    def of(cls, row: UserSession, current: bool) -> SessionRead:
        return cls(id=row.public_id, created_at=aware(row.created_at),
                   expires_at=aware(row.expires_at), client=row.client,
                   user_agent=row.user_agent, current=current)


class TokenRead(BaseModel):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None = Field(description="Recorded at most every 5 minutes")
    expires_at: datetime | None
    revoked: bool

    @classmethod
    def of(cls, row: ApiToken) -> TokenRead:
        return cls(id=row.id, name=row.name, created_at=aware(row.created_at),
                   last_used_at=aware(row.last_used_at) if row.last_used_at else None,
                   expires_at=aware(row.expires_at) if row.expires_at else None,
                   revoked=row.revoked)


class TokenCreate(BaseModel):
    name: str = Field("token", max_length=100)
    expires_days: int | None = Field(None, ge=1, le=MAX_EXPIRY_DAYS,
                                     description="Days until it stops; empty: no expiry")


class TokenCreated(TokenRead):
    token: str = Field(description="Shown once: keep it now, it cannot be shown again")


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200)


class PasswordReset(BaseModel):
    username: str
    password: str = Field(description="Generated; shown once. The user must change it "
                                      "at the next login.")
    must_change_password: bool


class SessionsEnded(BaseModel):
    ended: int


class DigestRead(BaseModel):
    frequency: Literal["off", "weekly", "daily"] = Field(
        description="The reminder digest by e-mail: off, weekly (Mondays) or daily")
    email: str = Field(description="Where it goes; empty: no address")
    last_sent_at: datetime | None

    @classmethod
    def of(cls, user: User) -> DigestRead:
        return cls(frequency=user.digest_frequency,  # type: ignore[arg-type]
                   email=user.email,
                   last_sent_at=aware(user.digest_last_sent_at)
                   if user.digest_last_sent_at else None)


class DigestChoice(BaseModel):
    frequency: Literal["off", "weekly", "daily"]
    email: str | None = Field(None, max_length=200,
                              description="A new address; omitted: the one on record")
