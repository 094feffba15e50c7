"""Lists written straight into the database, for tests of screening in the workflow (the
file formats are tested on their own in test_import*)."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

from sqlalchemy import func, select

from rarex.screening.models import ListEntity, ListVersion, ScreeningList


def make_list(session, name: str, entities: list[dict], *, imported_at: dt.datetime | None = None) -> ListVersion:
    """A new version of list ``name`` holding ``entities`` ({"id", "name", "aliases", "countries"})."""
    lst = session.execute(select(ScreeningList).where(ScreeningList.name == name)).scalar_one_or_none()
    if lst is None:
        lst = ScreeningList(name=name, title=name)
        session.add(lst)
        session.flush()
    n = session.scalar(select(func.coalesce(func.max(ListVersion.version), 0)).where(ListVersion.list_id == lst.id)) + 1
    version = ListVersion(list_id=lst.id, version=n, source=f"{name}-{n}.jsonl", format="ftm",
                          checksum=hashlib.sha256(f"{name}{n}{entities}".encode()).hexdigest(),
                          entry_count=len(entities), imported_at=imported_at or dt.datetime.now(dt.UTC))
    session.add(version)
    session.flush()
    for e in entities:
        session.add(ListEntity(version_id=version.id, entity_id=e["id"], name=e["name"], aliases=e.get("aliases", []),
                               countries=e.get("countries", []), identifiers=e.get("identifiers", []),
                               programs=e.get("programs", [])))
    session.flush()
    session.commit()
    return version


def hold_list_imports(monkeypatch, release, step: str = "reading") -> threading.Event:
    """Make every staged list import report half of its file read (``step="indexing"``: 40 of
    100 entities indexed), then wait for ``release`` (a threading.Event) before importing: a
    page can be seen while the import runs, without timing. Returns an event set once the
    report is written."""
    from rarex.screening import list_import

    original = list_import.import_list_staged
    reported = threading.Event()

    def held(actor, path, *, progress, index_progress, **options):
        if step == "indexing":
            index_progress(40, 100)
        else:
            progress(50, 100)
        reported.set()
        assert release.wait(60), "the test never let the import go on"
        return original(actor, path, progress=progress, index_progress=index_progress, **options)

    monkeypatch.setattr(list_import, "import_list_staged", held)
    return reported
