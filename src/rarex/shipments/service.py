"""Customs drawdown: record an export declaration against a licence, never past its caps.

The one rule that matters here is DESIGN rule 5: a shipment locks its licence and the
licence's quantity lines, checks, draws, writes its audit event and commits, all in one
transaction (the caller's: rule 1). On PostgreSQL the lock is ``SELECT ... FOR NO KEY UPDATE`` over
the licence row and its lines, ordered by line id so two shipments never lock in opposite
orders; on SQLite every write transaction already begins with ``BEGIN IMMEDIATE``
(:mod:`rarex.core.db`), which serialises writers before their first read. Shipments on
different licences lock different rows and append to different audit streams
(``licence:<number>``), so they never wait on one another.

The declaration number is an idempotency key, kept by the database: right after the lock,
the shipment row is inserted with ``ON CONFLICT (declaration) DO NOTHING``. A resend finds
the number taken and is answered from the stored row: same content (by canonical SHA-256)
returns the first result and draws nothing, different content (another licence, date, port
or lines) is a 409. A resend racing its original (on another licence, so not queued behind
the same lock) waits on the unique index for the original to commit or roll back, then does
the same, so there is no aborted transaction and no savepoint to roll back to.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from rarex.core import audit
from rarex.core.authz import Principal, require, scope
from rarex.core.db import ExactDecimal, utcnow
from rarex.core.errors import Conflict, InvalidInput, NotFound
from rarex.core.units import QUANTITY_PLACES, UNITS, check_decimal, check_unit, convert, plain
from rarex.licences import service as licences
from rarex.licences.models import Licence, LicenceLine
from rarex.licences.models import LicenceStatus as L
from rarex.licences.prohibitions import describe, prohibited_lines, reaches_items
from rarex.policy.service import get_pack
from rarex.shipments.flows import SHIPMENT
from rarex.shipments.models import Shipment, ShipmentLine
from rarex.shipments.models import ShipmentStatus as S
from rarex.shipments.schemas import ShipmentIn


class LicenceNotUsable(Conflict):
    """The licence's status forbids drawing (suspended, revoked, expired, exhausted)."""

    slug, title = "licence-not-usable", "Licence cannot be drawn on"


class Prohibited(Conflict):
    """A prohibition covers a declared line on the shipment date."""

    slug, title = "prohibited", "A prohibition covers the shipment"


class QuantityExceeded(Conflict):
    slug, title = "quantity-exceeded", "Quantity exceeds what remains"


class DeclarationConflict(Conflict):
    slug, title = "declaration-conflict", "Declaration number already used"


def normalise_declaration(value: str) -> str:
    """Declaration numbers compare upper-case and without surrounding blanks."""
    return value.strip().upper()


@dataclass
class _Line:
    """One declared line after its quantity and unit are checked, and (later) matched."""

    index: int  # 1-based position in the declaration
    item: str
    end_user: str
    quantity: Decimal
    unit: str | None
    target: _LicenceLine | None = None
    drawn: Decimal | None = None


def _parse_lines(data: ShipmentIn) -> list[_Line]:
    """Check what needs no database: quantities > 0 with at most 6 places, known units."""
    out = []
    for i, line in enumerate(data.lines, start=1):
        field = f"lines[{i - 1}]"
        q = check_decimal(line.quantity, field=f"{field}.quantity", places=QUANTITY_PLACES, positive=True)
        unit = None
        if line.unit:
            try:
                unit = check_unit(line.unit)
            except InvalidInput as exc:
                raise InvalidInput(f"line {i}: {exc.detail}", field=f"{field}.unit", line=i) from None
        out.append(_Line(i, line.item.strip(), str(line.end_user).strip(), plain(q), unit))
    return out


# --- locking -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Licence:
    """The licence row as plain values (the ORM object is loaded only to change its status)."""

    id: int
    number: str
    licence_type: str
    status: L
    status_reason: str | None
    valid_from: dt.date
    valid_to: dt.date


@dataclass(slots=True)
class _LicenceLine:
    id: int
    line_no: int
    control_code: str
    end_user_id: int | None
    unit: str
    licensed: Decimal
    drawn: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.licensed - self.drawn


_LOCK_COLUMNS = (
    Licence.id, Licence.number, Licence.licence_type, Licence.status, Licence.status_reason, Licence.valid_from,
    Licence.valid_to, LicenceLine.id, LicenceLine.line_no, LicenceLine.control_code, LicenceLine.end_user_id,
    LicenceLine.unit, LicenceLine.licensed, LicenceLine.drawn,
)


#: Built once: this is the hottest read in rarex, and a statement object that is reused keeps
#: its compiled form and cache key (building one per call costs more CPU than the query).
#: ``FOR NO KEY UPDATE`` on PostgreSQL: exclusive against every other writer of these rows,
#: yet it lets foreign-key checks (``FOR KEY SHARE``) through, so inserting a row that refers
#: to the licence (a shipment claiming its number) never queues behind the lock.
_LOCK = (
    select(*_LOCK_COLUMNS)
    .join(LicenceLine, LicenceLine.licence_id == Licence.id)
    .where(Licence.number == bindparam("number"))
    .order_by(LicenceLine.id)
    .with_for_update(key_share=True)
)


def _lock(
    session: Session, actor: Principal, number: str, *, conn: Connection | None = None,
) -> tuple[_Licence, list[_LicenceLine]]:
    """Lock and read the licence row and all its lines, in line-id order, in one round trip.

    On SQLite the transaction's ``BEGIN IMMEDIATE`` already holds the database's write lock.
    Plain columns, not ORM objects: nothing here needs identity, and loading objects costs CPU.
    """
    stmt = scope(_LOCK, actor, Licence.org_id)
    rows = (conn or session.connection()).execute(stmt, {"number": number}).all()
    if not rows:
        lic = session.execute(scope(select(Licence).where(Licence.number == number), actor, Licence.org_id)).scalar_one_or_none()
        if lic is None:
            raise NotFound(f"licence {number} not found")
        raise LicenceNotUsable(f"licence {number} has no quantity lines to draw on", licence=number, current_state=str(lic.status))
    return _Licence(*rows[0][:7]), [_LicenceLine(*r[7:]) for r in rows]


def _licence_object(session: Session, lic: _Licence) -> Licence:
    """The ORM licence, for a status transition (already locked by :func:`_lock`)."""
    return session.get(Licence, lic.id)


# --- matching and checking -----------------------------------------------------------------


def _match(lines: list, declared: list[_Line]) -> None:
    """Find each declared line's licence line by item and end user (items compare case-blind,
    as customs systems often upper-case them); unmatched lines keep ``target=None``."""
    for d in declared:
        key = d.item.casefold()
        for line in lines:
            if line.control_code.casefold() == key and str(line.end_user_id or "") == d.end_user:
                d.target = line
                break


def _canonical(number: str, data: ShipmentIn, declared: list[_Line]) -> str:
    """SHA-256 of the declaration's content: licence, date, port and its lines (in any order).

    A line without a unit counts in its licence line's unit, so ``250`` and ``250 kg`` on a
    kg line are the same content; the item is spelled as on the licence.
    """
    lines = sorted(
        [d.target.control_code if d.target else d.item, d.end_user, str(d.quantity),
         d.unit or (d.target.unit if d.target else "")]
        for d in declared
    )
    return audit.sha256_json({"licence": number, "date": data.date.isoformat(), "port": data.port, "lines": lines})


def _refuse_unless_usable(lic: _Licence) -> None:
    """Only an active licence is drawn on; the refusal names the status and its recorded reason."""
    if lic.status == L.active:
        return
    detail = f"licence {lic.number} is {lic.status}"
    if lic.status_reason:
        detail += f" ({lic.status_reason})"
    raise LicenceNotUsable(detail + "; no shipment can be recorded against it", licence=lic.number,
                           current_state=str(lic.status), status_reason=lic.status_reason)


def _check_validity(lic: _Licence, on: dt.date) -> None:
    if not lic.valid_from <= on <= lic.valid_to:
        side = "before the licence is valid" if on < lic.valid_from else "after the licence's validity ended"
        raise InvalidInput(
            f"declaration date {on} is {side}: licence {lic.number} is valid from {lic.valid_from} to {lic.valid_to}",
            field="date", valid_from=lic.valid_from.isoformat(), valid_to=lic.valid_to.isoformat(),
        )


def _check_items(lic: _Licence, lines: list[_LicenceLine], declared: list[_Line]) -> None:
    """Every line names an item and end user of the licence, in a unit of the same dimension,
    and converts exactly into the licence line's unit (sets each line's ``drawn``)."""
    items = sorted({line.control_code for line in lines})
    for d in declared:
        field = f"lines[{d.index - 1}]"
        if d.target is None:
            same_item = [line for line in lines if line.control_code.casefold() == d.item.casefold()]
            if not same_item:
                raise InvalidInput(f"line {d.index}: item {d.item} is not on licence {lic.number} (its items: {', '.join(items)})",
                                   field=f"{field}.item", line=d.index)
            users = ", ".join(sorted(str(line.end_user_id or "") for line in same_item))
            raise InvalidInput(
                f"line {d.index}: end user {d.end_user or '(none)'} is not licensed for {same_item[0].control_code} "
                f"on licence {lic.number} (its end users for that item: {users})",
                field=f"{field}.end_user", line=d.index,
            )
        unit = d.unit or d.target.unit
        if UNITS[unit][0] != UNITS[check_unit(d.target.unit)][0]:
            raise InvalidInput(
                f"line {d.index}: {d.target.control_code} is licensed in {d.target.unit}; a quantity in {unit} cannot be drawn on it",
                field=f"{field}.unit", line=d.index,
            )
        drawn = convert(d.quantity, unit, d.target.unit)
        if drawn.as_tuple().exponent < -QUANTITY_PLACES:
            raise InvalidInput(
                f"line {d.index}: {d.quantity} {unit} is {drawn:f} {d.target.unit}, finer than the "
                f"{QUANTITY_PLACES} decimal places a licence line keeps",
                field=f"{field}.quantity", line=d.index,
            )
        d.unit, d.drawn = unit, drawn


def _check_not_prohibited(session: Session, lic: _Licence, declared: list[_Line], on: dt.date) -> None:
    """A licence cannot be used for what a prohibition covers on the shipment date (ECL Art. 10;
    DUR Art. 13), whenever it was issued. No database read unless a prohibition in force reaches
    the declared items."""
    pack = get_pack()
    if not reaches_items(pack, on, (d.target.control_code for d in declared)):
        return
    licence = _licence_object(session, lic)
    line_ids = {d.target.id for d in declared}
    covered = prohibited_lines(session, licence, pack, on, [line for line in licence.lines if line.id in line_ids])
    if covered:
        raise Prohibited(
            f"licence {lic.number} cannot be used on {on}: {describe(covered)}. Nothing was drawn.",
            licence=lic.number, legal_refs=sorted({p["legal_ref"] for c in covered for p in c["prohibitions"]}),
            lines=covered,
        )


def _check_fit(lic: _Licence, lines: list[_LicenceLine], declared: list[_Line]) -> None:
    """All lines together fit in what remains on each (locked) licence line: all or none."""
    need: dict[int, Decimal] = defaultdict(Decimal)
    by_id = {line.id: line for line in lines}
    first_index: dict[int, int] = {}
    for d in declared:
        need[d.target.id] += d.drawn
        first_index.setdefault(d.target.id, d.index)
    over = [(by_id[i], q) for i, q in need.items() if q > by_id[i].remaining]
    if over:
        parts = [
            f"{plain(q)} {line.unit} of {line.control_code} for end user {line.end_user_id or '(none)'} exceeds the "
            f"{plain(line.remaining)} {line.unit} remaining on licence line {line.line_no}"
            for line, q in over
        ]
        raise QuantityExceeded(
            f"licence {lic.number}: " + "; ".join(parts) + ". Nothing was drawn.",
            licence=lic.number, line=first_index[over[0][0].id],
            lines=[{"licence_line": line.line_no, "item": line.control_code, "end_user": str(line.end_user_id or ""),
                    "requested": str(plain(q)), "remaining": str(plain(line.remaining)), "unit": line.unit}
                   for line, q in over],
        )


# --- recording -------------------------------------------------------------------------------

_SHIPMENTS = Shipment.__table__
_SHIPMENT_LINES = ShipmentLine.__table__
_LINES = LicenceLine.__table__
_QTY = ExactDecimal(6)
_INSERT_LINES = insert(_SHIPMENT_LINES)

#: Draw on a line only if it still holds the quantity. The lock already makes the check in
#: Python exact; this condition makes an overdraw impossible even if a future change ever
#: lost the lock, and the row count proves every line was drawn.
_DRAW = (
    update(_LINES)
    .where(_LINES.c.id == bindparam("line_id"), _LINES.c.licensed - _LINES.c.drawn >= bindparam("q", type_=_QTY))
    .values(drawn=_LINES.c.drawn + bindparam("q", type_=_QTY))
)
_GIVE_BACK = (
    update(_LINES)
    .where(_LINES.c.id == bindparam("line_id"), _LINES.c.drawn >= bindparam("q", type_=_QTY))
    .values(drawn=_LINES.c.drawn - bindparam("q", type_=_QTY))
)


def _existing(session: Session, declaration: str) -> Shipment | None:
    return session.execute(select(Shipment).where(Shipment.declaration == declaration)).scalar_one_or_none()


def _replay(existing: Shipment, content_hash: str) -> Shipment:
    """The same declaration again: the first result if the content is the same, else 409."""
    if existing.status == S.cancelled:
        raise DeclarationConflict(
            f"declaration {existing.declaration} was cancelled on {existing.cancelled_at:%Y-%m-%d}; "
            "a cancelled declaration number cannot be used again",
            declaration=existing.declaration, current_state=str(existing.status),
        )
    if existing.content_hash != content_hash:
        raise DeclarationConflict(
            f"declaration {existing.declaration} is already recorded with different content "
            "(licence, date, port or lines); a declaration number identifies one shipment",
            declaration=existing.declaration,
        )
    return existing


_CLAIM = {
    is_pg: dialect.insert(_SHIPMENTS).on_conflict_do_nothing(index_elements=["declaration"]).returning(_SHIPMENTS.c.id)
    for is_pg, dialect in ((True, postgresql), (False, sqlite))
}


def _claim(conn: Connection, values: dict) -> int | None:
    """Insert the shipment unless its number is taken; its id, or None if it was.

    ``ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite alike) is the database-side idempotency
    key: a concurrent insert of the same number makes this one wait for it to commit and then
    do nothing, instead of failing the transaction, so the caller can read the winner and
    answer with it (200) or a 409 without a savepoint.
    """
    return conn.execute(_CLAIM[conn.dialect.name == "postgresql"], values).scalar_one_or_none()


def _exhaustion_reason(lic: _Licence, lines: list[_LicenceLine]) -> str | None:
    """Why the licence is used up after this draw, or None if it is not."""
    lt = get_pack().licence_types.get(lic.licence_type)
    if lt is not None and lt.ends_when_used:
        return f"{lt.label_en.lower()}s end once the export is made ({lt.legal_ref})"
    if all(line.remaining == 0 for line in lines):
        return "every licensed quantity has been drawn"
    return None


def record(
    session: Session, actor: Principal, number: str, data: ShipmentIn, *, at: dt.datetime | None = None,
) -> tuple[Shipment, bool]:
    """Record one declaration against licence ``number``; returns (shipment, newly recorded?).

    All lines are drawn or none: any refusal raises before anything is kept, and the caller's
    transaction rolls back. ``at`` backdates ``recorded_at`` for the system.

    The path is written for the database's sake (one round trip per step, Core statements
    built once, no ORM unit of work): lock and read the licence and its lines; claim the
    declaration number; check items, end users, units, status, validity and what remains;
    write the shipment's lines; draw; append the audit event; the caller commits.
    bench/drawdown.py measures the path against raw SQL.
    """
    require(actor, "shipment.record")
    declaration = normalise_declaration(data.declaration)
    declared = _parse_lines(data)

    conn = session.connection()  # the session's own connection and transaction, for Core statements
    lic, lines = _lock(session, actor, number, conn=conn)
    _match(lines, declared)
    content_hash = _canonical(lic.number, data, declared)
    now = at or utcnow()
    values = dict(
        declaration=declaration, licence_id=lic.id, status=S.recorded, shipped_on=data.date, port=data.port,
        content_hash=content_hash, recorded_at=now, recorded_by=actor.user_id, recorded_by_name=actor.username,
    )
    # The number is claimed before any check: a resend racing its original waits for it here
    # and gets its answer, even if the original has since exhausted the licence.
    shipment_id = _claim(conn, values)
    if shipment_id is None:
        existing = _existing(session, declaration)
        if existing is None:  # the holder of the number rolled back between the two statements
            raise Conflict(f"declaration {declaration} is being recorded by another request; send it again")
        return _replay(existing, content_hash), False
    _check_items(lic, lines, declared)
    _refuse_unless_usable(lic)
    _check_validity(lic, data.date)
    _check_not_prohibited(session, lic, declared, data.date)
    _check_fit(lic, lines, declared)
    line_values = [
        dict(shipment_id=shipment_id, line_no=d.index, licence_line_id=d.target.id, item=d.target.control_code,
             end_user=d.end_user, quantity=d.quantity, unit=d.unit, drawn=d.drawn, drawn_unit=d.target.unit)
        for d in declared
    ]
    conn.execute(_INSERT_LINES, line_values)

    draws = [{"line_id": d.target.id, "q": d.drawn} for d in declared]
    if conn.execute(_DRAW, draws).rowcount != len(draws):  # pragma: no cover - the lock makes this unreachable
        raise Conflict(f"licence {lic.number}: a line changed while it was locked; nothing was drawn")
    for d in declared:
        d.target.drawn = plain(d.target.drawn + d.drawn)

    audit.record(
        session, type="shipment.recorded", actor=actor, subject_type="licence", subject_id=lic.number,
        after={
            "declaration": declaration, "date": data.date, "port": data.port,
            "lines": [{"line_no": d.index, "item": d.target.control_code, "end_user": d.end_user,
                       "quantity": d.quantity, "unit": d.unit, "drawn": d.drawn, "licence_line": d.target.line_no,
                       "remaining": plain(d.target.remaining)}
                      for d in declared],
        },
    )
    reason = _exhaustion_reason(lic, lines)
    if reason:
        licences.exhaust(session, actor, _licence_object(session, lic), reason, at=now)
        session.flush()
    # Not added to the session: the rows are written; this is the answer's shape (views.detail).
    shipment = Shipment(id=shipment_id, **values, lines=[ShipmentLine(**v) for v in line_values])
    return shipment, True


# --- cancelling ------------------------------------------------------------------------------


def cancel(session: Session, actor: Principal, declaration: str, reason: str, *, at: dt.datetime | None = None) -> Shipment:
    """Customs cancels a declaration: its quantities return to the licence lines.

    An exhausted licence becomes active again if its validity has not ended (else expired).
    The number stays taken: a cancelled declaration cannot be recorded again.
    """
    require(actor, "shipment.cancel")
    declaration = normalise_declaration(declaration)
    found = session.execute(
        select(Licence.number).join(Shipment, Shipment.licence_id == Licence.id).where(Shipment.declaration == declaration)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"declaration {declaration} not found")
    lic, lines = _lock(session, actor, found)
    # Re-read under the licence lock: a concurrent cancel may have won.
    shipment = session.execute(
        select(Shipment).where(Shipment.declaration == declaration).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    t = SHIPMENT.check("cancel", shipment.status)
    by_id = {line.id: line for line in lines}
    now = at or utcnow()
    gives = [{"line_id": sl.licence_line_id, "q": sl.drawn} for sl in shipment.lines]
    if session.connection().execute(_GIVE_BACK, gives).rowcount != len(gives):
        # Only if the data was edited behind rarex's back: never let drawn go below zero.
        raise Conflict(f"licence {lic.number}: a line holds less than this declaration drew; the data is inconsistent")
    returned = []
    for sl in shipment.lines:
        target = by_id[sl.licence_line_id]
        target.drawn = plain(target.drawn - sl.drawn)
        returned.append({"licence_line": target.line_no, "item": sl.item, "end_user": sl.end_user, "returned": sl.drawn,
                         "unit": sl.drawn_unit, "remaining": plain(target.remaining)})
    shipment.status = t.target
    shipment.cancelled_at, shipment.cancelled_by, shipment.cancelled_by_name = now, actor.user_id, actor.username
    shipment.cancel_reason = reason
    session.flush()
    audit.record(
        session, type="shipment.cancelled", actor=actor, subject_type="licence", subject_id=lic.number,
        before={"declaration": declaration, "status": S.recorded},
        after={"declaration": declaration, "status": S.cancelled, "lines": returned}, reason=reason,
    )
    if lic.status == L.exhausted:
        obj = _licence_object(session, lic)
        # Judged on the cancellation's own date (``at``, backdated by imports and the demo), in
        # the regime's zone: a cancellation dated within the validity makes the quantity usable.
        if now.astimezone(get_pack().tz).date() <= lic.valid_to:
            licences.replenish(session, actor, obj, f"declaration {declaration} was cancelled; its quantity is available again", at=now)
        else:
            licences.expire_exhausted(session, actor, obj, at=now)
    session.flush()
    return shipment


# --- reading ---------------------------------------------------------------------------------


def get(session: Session, actor: Principal, declaration: str) -> Shipment:
    """One shipment; an exporter sees only its own organisation's (others are 'not found')."""
    require(actor, "shipment.read")
    declaration = normalise_declaration(declaration)
    stmt = select(Shipment).join(Licence, Licence.id == Shipment.licence_id).where(Shipment.declaration == declaration)
    shipment = session.execute(scope(stmt, actor, Licence.org_id)).scalar_one_or_none()
    if shipment is None:
        raise NotFound(f"declaration {declaration} not found")
    return shipment


def list_for_licence(
    session: Session, actor: Principal, number: str, *, status: S | None = None, after_id: int = 0, limit: int = 50,
    newest_first: bool = False,
) -> list[Shipment]:
    """A licence's shipments, oldest first (or the newest ``limit``, newest first), for whoever may see the licence."""
    require(actor, "shipment.read")
    lic_id = session.execute(
        scope(select(Licence.id).where(Licence.number == number), actor, Licence.org_id)
    ).scalar_one_or_none()
    if lic_id is None:
        raise NotFound(f"licence {number} not found")
    stmt = select(Shipment).where(Shipment.licence_id == lic_id, Shipment.id > after_id)
    if status:
        stmt = stmt.where(Shipment.status == status)
    order = Shipment.id.desc() if newest_first else Shipment.id
    return list(session.execute(stmt.order_by(order).limit(limit)).scalars())
