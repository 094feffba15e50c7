"""Organisations (exporters), their compliance profiles and recorded violations, and the
foreign parties (consignees, end users) each exporter keeps on file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rarex.core.audit import jsonable
from rarex.core.db import Base, UTCDateTime, utcnow


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True, comment="unified social credit code")
    address: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    profile: Mapped[ComplianceProfile] = relationship(back_populates="organisation", uselist=False, lazy="selectin")
    violations: Mapped[list[Violation]] = relationship(
        back_populates="organisation", lazy="selectin", order_by="Violation.decided_on"
    )


#: The profile's facts general-licence eligibility reads: stated by the exporter, verified by an
#: officer (:mod:`rarex.parties.verification`).
VERIFIED_FACTS = ("has_icp", "icp_established_on", "icp_last_audit_on", "export_experience_years", "stable_channels",
                  "foreign_control_list_affiliate")


class ComplianceProfile(Base):
    """What the ministry weighs about an exporter (ECL Art. 14; DUR Art. 16 para. 2, Art. 20)."""

    __tablename__ = "compliance_profiles"

    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    has_icp: Mapped[bool] = mapped_column(Boolean, default=False, comment="internal compliance programme in place")
    icp_established_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    icp_last_audit_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    export_experience_years: Mapped[int] = mapped_column(Integer, default=0)
    briefings_attended: Mapped[int] = mapped_column(Integer, default=0, comment="policy briefings attended")
    last_briefing_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    stable_channels: Mapped[bool] = mapped_column(Boolean, default=False, comment="export channels and end users stable")
    #: DUR Art. 20 (3): the exporter is a wholly-owned company, representative office or branch
    #: in China of a foreign party on the control list. Null until the exporter states it, so an
    #: unanswered profile is never read as "no" by the general-licence eligibility rules.
    foreign_control_list_affiliate: Mapped[bool | None] = mapped_column(
        Boolean, nullable=True, default=None,
        comment="wholly-owned company, office or branch of a foreign control-list party (DUR Art. 20 (3)); null: not stated",
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: The facts general-licence eligibility rests on, as an officer last verified them. The
    #: exporter states its profile; a fact whose value differs from the verified one is only
    #: its statement (see :mod:`rarex.parties.verification`).
    verified_values: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, comment="{fact: value} as an officer last verified them; a fact that differs is unverified")
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    verified_by_name: Mapped[str | None] = mapped_column(String(120), nullable=True)

    organisation: Mapped[Organisation] = relationship(back_populates="profile")

    def fact_values(self) -> dict[str, Any]:
        """The verified facts as the profile states them now, as JSON values (dates as ISO strings)."""
        return {f: jsonable(getattr(self, f)) for f in VERIFIED_FACTS}

    @property
    def unverified(self) -> list[str]:
        """The facts whose value is not the one an officer last verified (all of them, never verified)."""
        verified = self.verified_values or {}
        return [f for f, value in self.fact_values().items() if f not in verified or verified[f] != value]


class Violation(Base):
    """A past penalty: criminal, serious administrative, or administrative (ECL Art. 39; DUR Art. 20)."""

    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    legal_ref: Mapped[str] = mapped_column(String(200), default="")

    organisation: Mapped[Organisation] = relationship(back_populates="violations")


class Party(Base):
    """A foreign consignee or end user, kept on file by the exporter that deals with it."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_local: Mapped[str] = mapped_column(String(300), default="", comment="name in its own script, if not Latin")
    country: Mapped[str] = mapped_column(String(2), comment="ISO 3166-1 alpha-2")
    address: Mapped[str] = mapped_column(Text, default="")
    business: Mapped[str] = mapped_column(Text, default="", comment="what the party does")
    website: Mapped[str] = mapped_column(String(300), default="")
    #: What kind of end user this is, a code of the policy pack's end_user_categories (prohibitions
    #: and control measures are written in them); ``unknown`` until the exporter says.
    end_user_category: Mapped[str] = mapped_column(String(40), default="unknown", server_default="unknown",
                                                   comment="policy pack end_user_categories code")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The number of the newest row in ``party_versions``: what a draft names until it is submitted.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class PartyVersion(Base):
    """A party as it stood from one edit to the next (DESIGN rule 10).

    Cases, licences, licence lines and screening hits point at the version they were screened
    and decided on, so a later edit of the party (a new version) never changes what they show.
    """

    __tablename__ = "party_versions"
    __table_args__ = (UniqueConstraint("party_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, comment="1, 2, ... per party, in edit order")
    name: Mapped[str] = mapped_column(String(300))
    name_local: Mapped[str] = mapped_column(String(300), default="")
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[str] = mapped_column(Text, default="")
    business: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    end_user_category: Mapped[str] = mapped_column(String(40), default="unknown", server_default="unknown")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
