"""What the public learns of a licence, and the published key set."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, Field


class PublicLineOut(BaseModel):
    line_no: int
    unit: str
    remaining: Decimal


class PublicStatusOut(BaseModel):
    """A licence's current status for anyone holding its number: nothing about the holder's
    business beyond whether it stands, its current version, validity and what remains per line."""

    number: str
    status: str
    version: int
    valid_from: dt.date
    valid_to: dt.date
    lines: list[PublicLineOut]
    latest_document: int | None = Field(description="number of the licence's latest signed document")
    latest_sha256: str | None = Field(description="base64url SHA-256 of that document's signed content")


class PublicKeyOut(BaseModel):
    kid: str
    alg: str
    public_key: str = Field(description="raw 32-byte Ed25519 public key, base64url without padding")
    created_at: str
    retired_at: str | None


class KeySetOut(BaseModel):
    issuer: str
    alg: str
    keys: list[PublicKeyOut]
