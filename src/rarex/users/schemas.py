from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from rarex.core.authz import Role
from rarex.core.db import MAX_ROW_ID


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: dt.datetime
    must_change_password: bool = Field(
        default=False, description="true after an admin reset: the token may only change the password (POST /api/v1/me/password)",
    )


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    role: Role
    password: str = Field(min_length=1, max_length=1024)
    # Bounded like every id the API takes: a larger one reached the database as a 500.
    org_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)
    display_name: str = Field(default="", max_length=200)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    display_name: str
    role: Role
    org_id: int | None
    active: bool
    must_change_password: bool


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")
    new_password: str = Field(min_length=1, max_length=1024)


class TokensRevoked(BaseModel):
    user_id: int
    tokens_revoked: int
