"""Who may see and do what: the one place that says so.

Every endpoint and CLI command names an *action* from :data:`PERMISSIONS` and calls
:func:`require`; every query over organisation-owned data goes through :func:`scope` or
:func:`ensure_visible`. An exporter sees only its own organisation; a resource of another
organisation is reported as not found, so ids cannot be probed.

The CLI runs as :meth:`Principal.system`: it is the operator at the database's console, and
its actions are audited under that name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select

from rarex.core.errors import Forbidden, NotFound, Unauthenticated


class Role(StrEnum):
    exporter = "exporter"
    officer = "officer"
    senior_officer = "senior_officer"
    customs = "customs"
    auditor = "auditor"
    admin = "admin"
    #: A foreign end user, invited by an exporter (or an admin) to follow the licences naming it.
    #: Tied to one party record (``Principal.party_id``), of no organisation: it is not an exporter.
    buyer = "buyer"


ALL_STAFF = {Role.officer, Role.senior_officer, Role.customs, Role.auditor, Role.admin}
REVIEWERS = {Role.officer, Role.senior_officer}

#: action -> roles allowed. Exporters are further limited to their own organisation by scope().
PERMISSIONS: dict[str, frozenset[Role]] = {
    "me.read": frozenset(Role),
    # Changing one's own password (with the current one): the only action left to a user whose
    # password an admin reset, until they have changed it.
    "me.password": frozenset(Role),
    "organisation.read": frozenset({Role.exporter, *ALL_STAFF}),
    "organisation.create": frozenset({Role.admin}),
    "organisation.update": frozenset({Role.exporter, Role.admin}),
    "violation.record": frozenset({Role.admin}),
    # The exporter states its compliance profile; an officer verifies the facts eligibility reads.
    "compliance_profile.verify": frozenset(REVIEWERS),
    "party.read": frozenset({Role.exporter, Role.officer, Role.senior_officer, Role.auditor, Role.admin}),
    "party.write": frozenset({Role.exporter}),
    "user.read": frozenset({Role.admin, Role.auditor}),
    "user.manage": frozenset({Role.admin}),
    "application.read": frozenset({Role.exporter, Role.officer, Role.senior_officer, Role.auditor}),
    "application.draft": frozenset({Role.exporter}),
    "application.review": frozenset(REVIEWERS),
    "application.decide": frozenset({Role.senior_officer}),
    # Referring a case to the State Council (DUR Art. 17 para. 2) takes away the applicant's
    # statutory deadline: a decision of the ministry's weight, so a senior officer's, like the
    # decisions to issue, refuse, suspend or revoke.
    "application.refer": frozenset({Role.senior_officer}),
    # Recording deemed acceptances (Administrative Licensing Law Art. 32): the system's job, run
    # like licence expiry by an admin or at start-up.
    "case.deem_accept": frozenset({Role.admin}),
    "licence.read": frozenset({Role.exporter, Role.officer, Role.senior_officer, Role.customs, Role.auditor}),
    "licence.control": frozenset({Role.senior_officer}),
    "licence.expire": frozenset({Role.admin}),
    # Amendments (DUR Art. 18 para. 3): the holder asks and may withdraw; an officer
    # recommends, a different senior officer decides.
    "amendment.read": frozenset({Role.exporter, Role.officer, Role.senior_officer, Role.auditor}),
    "amendment.request": frozenset({Role.exporter}),
    "amendment.withdraw": frozenset({Role.exporter}),
    "amendment.review": frozenset(REVIEWERS),
    "amendment.decide": frozenset({Role.senior_officer}),
    "shipment.record": frozenset({Role.customs}),
    "shipment.cancel": frozenset({Role.customs}),
    "shipment.read": frozenset({Role.exporter, Role.officer, Role.senior_officer, Role.customs, Role.auditor}),
    # Eligibility for a licence type (DUR Art. 16 para. 2, Art. 20): the exporter its own, reviewers
    # and auditors any organisation's; customs draws on licences and has no need of it.
    "eligibility.read": frozenset({Role.exporter, Role.officer, Role.senior_officer, Role.auditor, Role.admin}),
    # Licence determination (is a licence needed, is the export prohibited, which types are open):
    # it may name an exporter and then shows its eligibility, so the same roles as eligibility.read;
    # an exporter names only its own organisation (another one is not found).
    "determination.run": frozenset({Role.exporter, Role.officer, Role.senior_officer, Role.auditor, Role.admin}),
    # Screening: anyone signed in may screen a name (exporters vet their customers before they
    # apply; the lists are public); hits on cases are the ministry's deliberation.
    "screening.search": frozenset(Role),
    "screening.hits.read": frozenset({Role.officer, Role.senior_officer, Role.auditor}),
    "screening.resolve": frozenset(REVIEWERS),
    # Restricted-party lists: admins and senior officers import them; every role reads them.
    "screening.list.import": frozenset({Role.admin, Role.senior_officer}),
    "screening.list.read": frozenset({Role.exporter, *ALL_STAFF}),
    # The lists' administration pages (versions, entities, imports and their progress): the
    # administrator, and the auditor who reads them. Importing there also needs screening.list.import.
    "screening.list.pages": frozenset({Role.admin, Role.auditor}),
    # The ministry's deliberation on a case: screening hits (lists, scores, resolution reasons),
    # recommendations and whether a decision overrode one. Readers without it see in a
    # timeline that a check is under review, not the deliberation (see EVENT_VIEWS).
    "deliberation.read": frozenset({Role.officer, Role.senior_officer, Role.auditor}),
    # Policy-change impact: what a draft amendment of the pack would do to every exporter's
    # pending cases, licences and shipments. The ministry's own planning, across organisations.
    "policy.impact": frozenset({Role.officer, Role.senior_officer, Role.auditor, Role.admin}),
    # The buyer's view: licence lines naming one end user, what remains, the drawdown rate and days
    # of cover. A buyer sees its own party only, an exporter its own end users, the ministry any
    # (the admin too: it invites buyers from that page).
    "buyer.cover.read": frozenset({Role.buyer, Role.exporter, Role.officer, Role.senior_officer, Role.auditor, Role.admin}),
    # Inviting a buyer account for an end user: the exporter for its own end users, or an admin.
    "buyer.invite": frozenset({Role.exporter, Role.admin}),
    # The internal statistics dashboard (unsuppressed figures, cases at risk, each licence's
    # use): the ministry's own staff who manage and audit the work; /statistics is public.
    "reports.read": frozenset({Role.officer, Role.senior_officer, Role.auditor}),
    # Price series charted beside shipped volumes: an administrator or an officer imports them.
    "prices.import": frozenset({Role.officer, Role.admin}),
    "audit.read": frozenset({Role.auditor, Role.admin}),
    "audit.verify": frozenset({Role.auditor, Role.admin}),
}


#: The action a user whose password was reset may still perform (see :func:`require`).
PASSWORD_CHANGE = "me.password"


@dataclass(frozen=True)
class Principal:
    """The caller: a signed-in user, or the system (CLI and background jobs)."""

    user_id: int | None
    username: str
    role: Role | None
    org_id: int | None = None
    must_change_password: bool = False
    #: A buyer's end-user party: the only one whose licence lines it may see.
    party_id: int | None = None

    @classmethod
    def system(cls, name: str = "system") -> Principal:
        return cls(user_id=None, username=name, role=None)

    @property
    def is_system(self) -> bool:
        return self.role is None

    @property
    def org_bound(self) -> bool:
        """True when the caller may only see its own organisation's data."""
        return self.role == Role.exporter


def allowed(principal: Principal | None, action: str) -> bool:
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}")
    if principal is None:
        return False
    return principal.is_system or principal.role in PERMISSIONS[action]


def require(principal: Principal | None, action: str) -> Principal:
    """Return the principal if it may perform ``action``; else 401 (anonymous) or 403.

    A user whose password an admin reset gets 403 ``password-change-required`` for everything
    but changing it: the reset password is known to someone else.
    """
    if principal is None:
        raise Unauthenticated("sign in to do this")
    if principal.must_change_password and action != PASSWORD_CHANGE:
        raise Forbidden(
            "an admin reset your password: change it first with POST /api/v1/me/password",
            title="Password change required", slug="password-change-required", action=action,
        )
    if not allowed(principal, action):
        raise Forbidden(f"role {principal.role} may not perform {action}", action=action)
    return principal


def scope(stmt: Select, principal: Principal, org_column) -> Select:
    """Limit a query to the rows the principal may see (exporters: their organisation)."""
    if principal.org_bound:
        return stmt.where(org_column == principal.org_id)
    return stmt


def get_visible(session, actor: Principal, action: str, stmt: Select, org_column, what: str, *, for_update: bool = False):
    """The one row ``stmt`` selects, if ``actor`` may perform ``action`` and see it; else 403/404.

    ``for_update`` locks the row for a transition. Another organisation's row is "not found",
    exactly like a missing one, so ids cannot be probed.
    """
    require(actor, action)
    stmt = scope(stmt, actor, org_column)
    if for_update:
        stmt = stmt.with_for_update()
    row = session.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NotFound(f"{what} not found")
    return row


def ensure_visible(principal: Principal, org_id: int | None, what: str) -> None:
    """Raise NotFound when an org-bound caller reaches for another organisation's ``what``."""
    if principal.org_bound and org_id != principal.org_id:
        raise NotFound(f"{what} not found")


# --- timelines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventView:
    """What a reader without ``deliberation.read`` sees of one event type in a timeline.

    ``shown_as`` replaces the type and drops before, after and reason altogether (the event
    says no more than that a check is under review); otherwise ``hidden`` names the fields of
    before/after that are dropped and ``reason`` whether the reason stays.
    """

    shown_as: str | None = None
    hidden: frozenset[str] = frozenset()
    reason: bool = True


#: Event type (or a prefix ending in ``*``) -> what others see. Types not listed are shown whole.
EVENT_VIEWS: dict[str, EventView] = {
    "screening.hit_*": EventView(shown_as="screening.reviewed"),
    "licence.screening_flagged": EventView(shown_as="licence.screening_review"),
    "application.recommended": EventView(hidden=frozenset({"recommendation", "conditions"}), reason=False),
    "application.approved": EventView(hidden=frozenset({"overrides_recommendation"})),
    "application.refused": EventView(hidden=frozenset({"overrides_recommendation"})),
    "amendment.requested": EventView(hidden=frozenset({"screening_alerts"})),
    "amendment.recommended": EventView(hidden=frozenset({"recommendation"}), reason=False),
    "amendment.approved": EventView(hidden=frozenset({"overrides_recommendation"})),
    "amendment.refused": EventView(hidden=frozenset({"overrides_recommendation"})),
}


def _view_of(type_: str) -> EventView | None:
    if type_ in EVENT_VIEWS:
        return EVENT_VIEWS[type_]
    return next((v for k, v in EVENT_VIEWS.items() if k.endswith("*") and type_.startswith(k[:-1])), None)


def event_view(principal: Principal, event: dict[str, Any]) -> dict[str, Any]:
    """``event`` (an audit event's fields) as ``principal`` may read it, with ``redacted``.

    The hash fields stay: they reveal nothing, and a redacted event says so rather than
    pretending to be whole.
    """
    view = None if allowed(principal, "deliberation.read") else _view_of(event["type"])
    if view is None:
        return {**event, "redacted": False}
    if view.shown_as:
        return {**event, "type": view.shown_as, "before": None, "after": None, "reason": None, "redacted": True}

    def strip(value):
        return {k: v for k, v in value.items() if k not in view.hidden} if isinstance(value, dict) else value

    return {**event, "before": strip(event["before"]), "after": strip(event["after"]),
            "reason": event["reason"] if view.reason else None, "redacted": True}
