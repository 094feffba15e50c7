"""A case's parties: a draft follows each party's newest version; submission freezes the
version the case is screened and decided on, and a return to the applicant thaws it again
(the exporter may then correct the party before submitting anew)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rarex.applications.models import Application
from rarex.parties.versions import freeze


def freeze_parties(session: Session, app: Application) -> None:
    app.consignee_version_id = freeze(session, app.consignee_id)
    app.end_user_version_id = freeze(session, app.end_user_id)
    for item in app.items:
        item.end_user_version_id = freeze(session, item.end_user_id)


def thaw_parties(app: Application) -> None:
    app.consignee_version_id = app.end_user_version_id = None
    for item in app.items:
        item.end_user_version_id = None
