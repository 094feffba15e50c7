"""Policy-change impact: run licence determination for each line under the pack and under the pack
with a draft amendment, on the same date, and report where the answers differ.

The rules are not restated here: :func:`rarex.determination.service.determine` decides for a
pack on a date whether a line needs a licence, is prohibited and which licence types are open;
this module only chooses the lines, asks twice and names the difference (:class:`Effect`).

The lines are those a change could still reach:

- pending applications (submitted, under review, information requested, recommended): each item;
- licences that can still be used or come back into use (not final, not exhausted) and are
  still valid on the date: each quantity line;
- recent shipments (recorded, not cancelled, shipped in the ``window_days`` days up to today):
  each line, judged as if shipped on the date — they show the trade the change would reach.

Each line is judged with the snapshot of its end user taken when the case was decided (DESIGN
rule 10) where there is one: destination country and end-user category, the case's end-use
category and the exporter (for the licence types' eligibility). Reads only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rarex.applications.models import Application, ApplicationItem, ApplicationStatus
from rarex.core.authz import Principal, require
from rarex.core.errors import Problem
from rarex.determination.schemas import Determination, DetermineIn
from rarex.determination.service import determine
from rarex.impact.schemas import EFFECT_ORDER, Answer, Effect, ImpactReport, ImpactRow, Skipped, Subject
from rarex.licences.models import FINAL, Licence, LicenceLine, LicenceStatus
from rarex.parties.models import Organisation, Party, PartyVersion
from rarex.policy.drafts import Draft, load_draft
from rarex.policy.models import Pack
from rarex.shipments.models import Shipment, ShipmentLine, ShipmentStatus

PENDING = (ApplicationStatus.submitted, ApplicationStatus.under_review, ApplicationStatus.information_requested,
           ApplicationStatus.recommended)
#: Licences past any use: nothing a change of the law does reaches them.
SPENT = FINAL | {LicenceStatus.exhausted}
DEFAULT_WINDOW_DAYS = 90
#: A draft is one announcement's worth of records; anything larger is a mistake (or an attack).
MAX_DRAFT_BYTES = 256 * 1024


@dataclass(frozen=True)
class _Line:
    subject: Subject
    id: int
    ref: str
    licence_id: int | None
    licence_no: str | None
    org: Organisation
    status: str
    line_no: int
    code: str
    hs_code: str
    description: str
    licence_type: str
    end_use_category: str
    party: tuple[str, str] | None  # (country, end-user category)


#: Told (lines judged, lines in all) as the report goes: the CLI's progress bar.
Progress = Callable[[int, int], None]


def draft_impact(session: Session, actor: Principal, pack: Pack, name: str, text: str, on: dt.date | None, *,
                 window_days: int = DEFAULT_WINDOW_DAYS, today: dt.date | None = None,
                 progress: Progress | None = None) -> ImpactReport:
    """Check the draft ``text`` (named ``name`` in errors) against ``pack`` and report its impact on ``on``.

    ``on`` defaults to the draft's ``effective_from``. Raises PackError for an invalid draft."""
    require(actor, "policy.impact")
    draft = load_draft(name, text, pack)
    return impact(session, pack, draft, on or draft.file.effective_from, window_days=window_days, today=today,
                  progress=progress)


def impact(session: Session, pack: Pack, draft: Draft, on: dt.date, *, window_days: int = DEFAULT_WINDOW_DAYS,
           today: dt.date | None = None, progress: Progress | None = None) -> ImpactReport:
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    after = draft.apply(pack, on)
    to = today or pack.today()
    since = to - dt.timedelta(days=window_days - 1)
    judge = _Judge(session, pack, after, on)
    rows: list[ImpactRow] = []
    skipped: list[Skipped] = []
    total = _count_lines(session, on, since, to) if progress else 0
    for done, line in enumerate(_lines(session, on, since, to), start=1):
        if progress:
            progress(done, max(done, total))
        try:
            before_d, after_d = judge(line)
        except Problem as exc:
            skipped.append(Skipped(subject=line.subject, ref=line.ref, line_no=line.line_no, reason=exc.detail))
            continue
        before, after_a = _answer(before_d, line.licence_type), _answer(after_d, line.licence_type)
        effects = _effects(before, after_a)
        if not effects:
            continue
        old = {r.rule for r in before_d.reasons}
        new = [r for r in after_d.reasons if r.rule not in old]
        rows.append(ImpactRow(
            subject=line.subject, id=line.id, ref=line.ref, licence_id=line.licence_id, licence_no=line.licence_no, org_id=line.org.id,
            org_name=line.org.name_en, status=line.status, line_no=line.line_no, control_code=line.code,
            destination=line.party[0] if line.party else "", licence_type=line.licence_type, on=on, effects=effects,
            before=before, after=after_a, reasons=[r.rule for r in new], reasons_zh=[r.rule_zh for r in new]))
    counts: dict[str, dict[str, int]] = {}
    for effect in EFFECT_ORDER:
        subjects: dict[str, set[int]] = defaultdict(set)
        for r in rows:
            if effect in r.effects:
                subjects[r.subject].add(r.id)
        if subjects:
            counts[effect.value] = {s: len(ids) for s, ids in subjects.items()}
    f = draft.file
    return ImpactReport(
        pack=pack.id, draft=draft.name, draft_code=f.code, description_en=f.description_en, description_zh=f.description_zh,
        legal_ref=f.legal_ref, effective_from=f.effective_from, changes=draft.changes, on=on,
        shipments_from=since, shipments_to=to, counts=counts, rows=rows, skipped=skipped, caveat=pack.caveat(on))


def _answer(d: Determination, licence_type: str) -> Answer:
    own = next((t.available for t in d.licence_types if t.type == licence_type), None)
    return Answer(licence_required=d.licence_required, prohibited=d.prohibited, licence_type_available=own)


def _effects(b: Answer, a: Answer) -> list[Effect]:
    out: list[Effect] = []
    if a.prohibited is True and b.prohibited is not True:
        out.append(Effect.now_prohibited)
    if b.prohibited is True and a.prohibited is not True:
        out.append(Effect.no_longer_prohibited)
    if a.licence_required is True and b.licence_required is not True:
        out.append(Effect.newly_needs_licence)
    if b.licence_required is True and a.licence_required is False:
        out.append(Effect.no_longer_needs_licence)
    # the line's own licence type, where neither a prohibition nor the end of control explains it
    explained = a.prohibited is True or b.prohibited is True or a.licence_required is False or b.licence_required is False
    if not explained and a.licence_type_available is False and b.licence_type_available is not False:
        out.append(Effect.licence_type_closed)
    if not explained and b.licence_type_available is False and a.licence_type_available is not False:
        out.append(Effect.licence_type_opened)
    if not out and ((a.licence_required is None and b.licence_required is not None)
                    or (a.prohibited is None and b.prohibited is not None)):
        out.append(Effect.now_undetermined)
    return out


class _Judge:
    """Determination of a line under both packs, remembered for lines that ask the same."""

    def __init__(self, session: Session, before: Pack, after: Pack, on: dt.date):
        self.session, self.before, self.after, self.on = session, before, after, on
        self._seen: dict[tuple, tuple[Determination, Determination]] = {}

    def __call__(self, line: _Line) -> tuple[Determination, Determination]:
        if line.party is None:
            raise Problem("the line names no end user: its destination is not known")
        country, category = line.party
        key = (line.code, line.hs_code, line.description, country, category, line.end_use_category, line.org.id)
        if key not in self._seen:
            self._seen[key] = (self._determine(self.before, line, country, category),
                               self._determine(self.after, line, country, category))
        return self._seen[key]

    def _determine(self, pack: Pack, line: _Line, country: str, category: str) -> Determination:
        body = DetermineIn(**_item(pack, line), destination=country, end_user_category=category,
                           end_use_category=line.end_use_category, on=self.on)
        return determine(pack, body, session=self.session, org=line.org)


def _item(pack: Pack, line: _Line) -> dict[str, str | None]:
    """The line's control code decides where the pack knows it; a code only the draft adds is
    not yet law, so before the draft the item is what its customs code and description say."""
    if pack.entry(line.code) is not None:
        return {"code": line.code}
    return {"hs_code": line.hs_code or None, "description": line.description}


class _Parties:
    """(country, end-user category) of a party as a decided case saw it: the snapshot if any."""

    def __init__(self, session: Session):
        self.session = session
        self._seen: dict[tuple[int | None, int | None], tuple[str, str] | None] = {}

    def __call__(self, party_id: int | None, version_id: int | None) -> tuple[str, str] | None:
        key = (party_id, version_id)
        if key not in self._seen:
            row: Party | PartyVersion | None = None
            if version_id is not None:
                row = self.session.get(PartyVersion, version_id)
            if row is None and party_id is not None:
                row = self.session.get(Party, party_id)
            self._seen[key] = (row.country, row.end_user_category) if row is not None else None
        return self._seen[key]


def _count_lines(session: Session, on: dt.date, since: dt.date, to: dt.date) -> int:
    """How many lines :func:`_lines` will give, counted in SQL (for the progress bar)."""
    return sum(session.scalar(stmt) or 0 for stmt in (
        select(func.count()).select_from(ApplicationItem).join(Application, ApplicationItem.application_id == Application.id)
        .where(Application.status.in_(PENDING)),
        select(func.count()).select_from(LicenceLine).join(Licence, LicenceLine.licence_id == Licence.id)
        .where(Licence.status.not_in(SPENT), Licence.valid_to >= on),
        select(func.count()).select_from(ShipmentLine).join(Shipment, ShipmentLine.shipment_id == Shipment.id)
        .where(Shipment.status == ShipmentStatus.recorded, Shipment.shipped_on >= since, Shipment.shipped_on <= to),
    ))


def _lines(session: Session, on: dt.date, since: dt.date, to: dt.date) -> Iterable[_Line]:
    parties = _Parties(session)
    orgs: dict[int, Organisation] = {}

    def org(org_id: int) -> Organisation:
        if org_id not in orgs:
            orgs[org_id] = session.get_one(Organisation, org_id)
        return orgs[org_id]

    apps = session.scalars(select(Application).where(Application.status.in_(PENDING))
                           .options(selectinload(Application.items)).order_by(Application.id))
    for app in apps:
        for item in app.items:
            party = parties(item.end_user_id, item.end_user_version_id) if item.end_user_id else \
                parties(app.end_user_id, app.end_user_version_id)
            yield _Line("application", app.id, app.reference, None, None, org(app.org_id), app.status.value, item.line_no,
                        item.control_code, item.hs_code, item.description, app.licence_type, app.end_use_category, party)
    licences = session.scalars(select(Licence).where(Licence.status.not_in(SPENT), Licence.valid_to >= on)
                               .options(selectinload(Licence.lines)).order_by(Licence.id))
    for lic in licences:
        for ll in lic.lines:
            yield _Line("licence", lic.id, lic.number, lic.id, lic.number, org(lic.org_id), lic.status.value, ll.line_no,
                        ll.control_code, ll.hs_code, ll.description, lic.licence_type, lic.end_use_category, _line_party(parties, ll, lic))
    shipments = session.scalars(select(Shipment).where(Shipment.status == ShipmentStatus.recorded,
                                                       Shipment.shipped_on >= since, Shipment.shipped_on <= to)
                                .options(selectinload(Shipment.lines)).order_by(Shipment.shipped_on, Shipment.id))
    for sh in shipments:
        lic = session.get_one(Licence, sh.licence_id)
        for sl in sh.lines:
            ll = session.get_one(LicenceLine, sl.licence_line_id)
            yield _Line("shipment", sh.id, sh.declaration, lic.id, lic.number, org(lic.org_id), sh.status.value, sl.line_no,
                        ll.control_code, ll.hs_code, ll.description, lic.licence_type, lic.end_use_category, _line_party(parties, ll, lic))


def _line_party(parties: _Parties, ll: LicenceLine, lic: Licence) -> tuple[str, str] | None:
    if ll.end_user_id is not None:
        return parties(ll.end_user_id, ll.end_user_version_id)
    return parties(lic.end_user_id, lic.end_user_version_id)
