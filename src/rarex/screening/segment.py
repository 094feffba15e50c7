"""The match index of one set of list entries as flat arrays: built once, read by every process.

A Python index of a million entities (a dict of trigram postings, a Form object per name)
takes minutes to build and gigabytes in every worker that builds it. A segment holds the same
facts in a few numpy arrays and byte blobs, which :mod:`rarex.screening.index_store` writes to
files and every process maps read-only (the operating system shares the pages between them);
:class:`rarex.screening.matching.Matcher` reads them:

- entries: each entry's fields pickled into one blob (``entry_off`` says where each starts),
  decoded only for the few entries a query reaches;
- forms: the forms of entry ``e`` are ``entry_forms[e]`` .. ``entry_forms[e + 1]``; each form's
  entry (``form_entry``), which of the entry's names it renders (``form_slot``: 0 the name, k
  its k-th alias), its pickled :class:`~rarex.screening.normalise.Form` (``form_off`` into
  ``form_blob``) and its compact string and text (``str_off`` into ``str_blob``, for the
  shortlist, which compares strings only);
- postings: the trigrams of every form's compact string (characters are found through their
  pinyin, so ``han`` forms have none) as sorted 63-bit keys (three code points of 21 bits),
  each with its slice of form ids (``gram_off`` into ``post_forms``, ascending) and its weight
  (inverse document frequency over the segment's forms), and each form's total
  (``form_weight``);
- identifiers: a 64-bit hash of each identifier key, sorted, with its entry
  (``ident_keys``, ``ident_entries``); a hash only proposes an entry, its identifiers decide;
- names: every entry's names in order, each followed by a byte UTF-8 never uses
  (``name_blob``), the forms of the k-th being ``name_forms[k]`` .. ``name_forms[k + 1]``:
  what a newer segment reads to copy forms, without decoding a million entries.

Built from (entry fields, names) pairs; the forms of a name already in an older segment are
copied from it rather than computed again (a new version of a list repeats most of the old
one's names), and the rest are computed in worker processes when there are many.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from multiprocessing import get_context
from typing import Any, BinaryIO

import numpy as np

from rarex.screening.normalise import Form, forms

#: Names computed per task of a worker process at most; worker processes are started once the
#: new names of a chunk promise _PARALLEL_NAMES new names over the whole list (about ten seconds
#: of normalising: a first version of 10,000 entities, or a next version of a million with 1%
#: renamed); fewer are not worth starting processes for (a second and a half of importing each).
#: A build that follows an import's writing (index_follower) shares the cores with it: there
#: they pay only where a chunk's new names are _FOLLOWING_SHARE of its entities or more (a
#: first version, a list much changed), more than this process computes while the next chunk
#: is written. At 1% renamed they slowed the writing more than they sped the build (a million
#: entities: 78 and 83 s with them, 65 and 71 s without).
_CHUNK = 2000
_PARALLEL_NAMES = 10_000
_FOLLOWING_SHARE = 0.05
_HAN = "han"
#: A byte no UTF-8 text holds, and what it decodes to (see Segment.strings_of).
_SEPARATOR = 0xFF
_SPLIT = bytes([_SEPARATOR]).decode("utf-8", "surrogateescape")

#: The layout of a segment's files: a change of it is a new FORMAT (index_store.format_hash).
LAYOUT = 3
#: The array files of a segment, with their types (the blobs are raw bytes).
ARRAYS = {"entry_off": np.int64, "entry_forms": np.int64, "form_entry": np.int32, "form_slot": np.int16, "form_indexed": np.bool_,
          "form_off": np.int64, "str_off": np.int64, "gram_keys": np.int64, "gram_off": np.int64,
          "post_forms": np.int32, "gram_weight": np.float64, "form_weight": np.float64, "ident_keys": np.int64,
          "ident_entries": np.int32, "name_forms": np.int64}
BLOBS = ("entry_blob", "form_blob", "str_blob", "name_blob")

#: (kind, compact, text, pickled Form) of one form of a name.
FormRow = tuple[str, str, str, bytes]
Progress = Callable[[int, int], None]


def gram_key(gram: str) -> int:
    """A trigram as one integer: its three code points, 21 bits each."""
    return (ord(gram[0]) << 42) | (ord(gram[1]) << 21) | ord(gram[2])


def identifier_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True)


#: A form is stored as the tuple of its fields in this order (pickling the dataclass itself
#: looks its fields up again for every form, a third of the cost of building an index).
_FORM_FIELDS = tuple(f.name for f in dataclass_fields(Form))


#: Fields that are sets, stored as sorted tuples: a set pickles in the order its hashes give,
#: which differs from process to process (PYTHONHASHSEED), and an index built by one process
#: must be the bytes another builds (Hangzhou and Haikang, two places of one name).
_SET_FIELDS = frozenset(n for n, f in zip(_FORM_FIELDS, dataclass_fields(Form)) if "frozenset" in str(f.type))


def _stored(form: Form) -> tuple:
    return tuple(tuple(sorted(getattr(form, n))) if n in _SET_FIELDS else getattr(form, n) for n in _FORM_FIELDS)


def rows_of(name: str) -> list[FormRow]:
    """The forms of one name as stored."""
    return [(f.kind, f.compact, f.text, pickle.dumps(_stored(f), protocol=pickle.HIGHEST_PROTOCOL)) for f in forms(name)]


#: Each field's slot setter (what the frozen dataclass's own __init__ reaches through
#: object.__setattr__, without looking the field up by name).
_FORM_SETTERS = tuple(getattr(Form, name).__set__ for name in _FORM_FIELDS)


def _form_from(values: tuple) -> Form:
    """The form whose fields are ``values``, set as the dataclass's own __init__ would."""
    form = object.__new__(Form)
    for set_field, value, is_set in zip(_FORM_SETTERS, values, _IS_SET, strict=True):
        set_field(form, frozenset(value) if is_set else value)
    return form


_IS_SET = tuple(n in _SET_FIELDS for n in _FORM_FIELDS)


def _rows_of_many(names: list[str]) -> list[list[FormRow]]:
    return [rows_of(n) for n in names]


@dataclass
class Segment:
    """The arrays of one segment (in memory, or mapped from files) and what they mean."""

    arrays: dict[str, np.ndarray]
    key: str = ""  # what index_store names it by; "" for a segment built in memory
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        a = self.arrays
        self.n_entries = len(a["entry_off"]) - 1
        self.n_forms = len(a["form_entry"])
        self.gram_keys, self.gram_off, self.post_forms = a["gram_keys"], a["gram_off"], a["post_forms"]
        self.gram_weight, self.form_weight = a["gram_weight"], a["form_weight"]
        self.form_entry, self.entry_forms = a["form_entry"], a["entry_forms"]
        # Records are read by slicing memoryviews (bytes without copying the whole blob), at
        # offsets read as Python integers: numpy's slicing costs microseconds a record.
        self._entry_off, self._form_off, self._str_off = (a[k] for k in ("entry_off", "form_off", "str_off"))
        self._entry_blob, self._form_blob = a["entry_blob"].data, a["form_blob"].data
        self._scratch: list[np.ndarray] = []
        self._scratch_lock = threading.Lock()
        # Today's weighting: inverse document frequency over all forms, characters included.
        n = max(self.n_forms, 1)
        self.unseen_gram = math.log(1 + n)
        self.n_for_common = n

    @contextmanager
    def scratch(self) -> Iterator[np.ndarray]:
        """A table of one int32 per form, all zero, for one query at a time; the query leaves
        it zero again. Kept for the next query (allocating it per query would cost more than
        the query at a million names)."""
        with self._scratch_lock:
            table = self._scratch.pop() if self._scratch else np.zeros(self.n_forms, dtype=np.int32)
        try:
            yield table
        finally:
            with self._scratch_lock:
                self._scratch.append(table)

    # --- decoding a few records ---------------------------------------------------------------

    def entry(self, e: int) -> tuple:
        off = self._entry_off
        return pickle.loads(self._entry_blob[off[e]:off[e + 1]])

    def form(self, f: int) -> Form:
        off = self._form_off
        return _form_from(pickle.loads(self._form_blob[off[f]:off[f + 1]]))

    def strings_of(self, forms: np.ndarray) -> tuple[list[str], list[str]]:
        """The compact strings and the texts of ``forms`` (form ids), in their order, read at
        once: their bytes gathered with one index, each string followed by a byte UTF-8 never
        uses, decoded once and split there (a string at a time costs a microsecond each, and a
        search reads hundreds)."""
        if not len(forms):
            return [], []
        ids = np.repeat(2 * np.asarray(forms, dtype=np.int64), 2)
        ids[1::2] += 1  # the compact string of a form, then its text
        starts = self._str_off[ids]
        lens = self._str_off[ids + 1] - starts
        before = np.cumsum(lens) - lens
        total = int(before[-1] + lens[-1])
        out = np.full(total + len(ids), _SEPARATOR, dtype=np.uint8)
        at = np.arange(total, dtype=np.int64)
        out[at + np.repeat(np.arange(len(ids)), lens)] = self.arrays["str_blob"][at + np.repeat(starts - before, lens)]
        strings = out.tobytes().decode("utf-8", "surrogateescape").split(_SPLIT)
        return strings[0:-1:2], strings[1:-1:2]

    def forms_of(self, e: int) -> range:
        return range(int(self.entry_forms[e]), int(self.entry_forms[e + 1]))

    def slot(self, f: int) -> int:
        return int(self.arrays["form_slot"][f])

    def entries_with_identifier(self, key: str) -> list[int]:
        keys = self.arrays["ident_keys"]
        h = identifier_hash(key)
        lo, hi = np.searchsorted(keys, h, "left"), np.searchsorted(keys, h, "right")
        return self.arrays["ident_entries"][lo:hi].tolist()

    def names_to_forms(self) -> dict[str, range]:
        """Each name of the segment and its forms (the first entry's, for a name several
        entries hold): what a newer segment may copy."""
        names = self.arrays["name_blob"].tobytes().decode("utf-8", "surrogateescape").split(_SPLIT)[:-1]
        bounds = self.arrays["name_forms"].tolist()
        out: dict[str, range] = {}
        for name, start, stop in zip(names, bounds[:-1], bounds[1:], strict=True):
            if stop > start and name not in out:
                out[name] = range(start, stop)
        return out


def names_of(fields: tuple) -> list[str]:
    """The names of an entry's fields tuple (see :class:`rarex.screening.matching.Entry`): its
    name and aliases, each once."""
    return list(dict.fromkeys((fields[3], *fields[4])))


# --- building ---------------------------------------------------------------------------------


class _Blob:
    """Bytes appended to a file (or memory) one record or one run of records at a time, with
    where each record ends."""

    def __init__(self, out: BinaryIO):
        self.out, self.size = out, 0
        self._parts: list[np.ndarray] = [np.zeros(1, np.int64)]
        self._ends: list[int] = []

    def add(self, data: bytes) -> None:
        self.out.write(data)
        self.size += len(data)
        self._ends.append(self.size)

    def add_run(self, data: np.ndarray, ends: np.ndarray) -> None:
        """Records laid end to end in ``data``, the k-th ending at ``ends[k]`` (in ``data``)."""
        self._flush()
        self.out.write(data.data)
        self._parts.append(ends.astype(np.int64) + self.size)
        self.size += len(data)

    def _flush(self) -> None:
        if self._ends:
            self._parts.append(np.asarray(self._ends, dtype=np.int64))
            self._ends = []

    def offsets(self) -> np.ndarray:
        self._flush()
        return np.concatenate(self._parts)


class Builder:
    """Builds a segment's arrays; ``open_blob(name)`` gives the binary file each blob goes to
    (a file in the segment's directory, or memory).

    With a ``previous`` segment, the forms of a name it holds are copied from it in runs: the
    entities a new version shares with the old one mostly come in the same order, so their
    forms are a few long slices of the old blobs, written with one call each, and their
    postings are the old postings renumbered and merged with those of the forms computed anew
    (the new ones put in their places among the old, see _merged), instead of being built
    again name by name."""

    def __init__(self, open_blob: Callable[[str], BinaryIO], previous: Segment | None = None,
                 progress: Progress | None = None, workers: int | None = None, following: bool = False):
        self.blobs = {name: _Blob(open_blob(name)) for name in BLOBS}
        self.previous = previous
        self.reuse = previous.names_to_forms() if previous is not None else {}
        self.progress = progress
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.following = following  # the entries are read as an import writes them
        self.entry_forms = [0]
        self.n_forms = 0
        # per name of every entry, in order: its entry, its slot and how many forms it has
        self.name_entry: list[int] = []
        self.name_slot: list[int] = []
        self.name_count: list[int] = []
        self._names: list[str] = []  # of the entries added since the last chunk's were written
        # per form, in parts: the previous segment's form it copies (-1: computed), and indexed
        self._src: list[np.ndarray] = []
        self._indexed: list[np.ndarray] = []
        self._new_src: list[int] = []
        self._new_indexed: list[bool] = []
        self._run: tuple[int, int] | None = None  # the previous forms being copied, not written yet
        # the indexed computed forms (ids and compact strings), for their postings
        self.new_ids: list[int] = []
        self.new_compacts: list[str] = []
        self.idents: list[tuple[int, int]] = []
        self.reused = self.computed = 0

    def add_all(self, entries: Iterable[tuple[tuple, list[str]]], total: int = 0) -> None:
        """Entries as (fields, identifier keys), in chunks: names neither copied nor met yet in
        the chunk are computed together. When there are many (a large list, or a next version
        with thousands of new names), worker processes compute a chunk's names while this
        process adds the chunk before it, so that normalising the new names (about a
        millisecond each) and copying the rest (reading rows, writing runs) overlap."""
        pool: ProcessPoolExecutor | None = None
        pending: tuple[list, list[str], list[Future]] | None = None  # a chunk whose names are being computed
        try:
            for chunk in _chunks(entries, 20 * _CHUNK):
                new = list(dict.fromkeys(n for fields, _ in chunk for n in names_of(fields) if n not in self.reuse))
                if pool is None and self._worth_workers(len(new), len(chunk), total):
                    pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
                if pool is None:
                    self._add_chunk(chunk, new, {n: rows_of(n) for n in new}, total)
                    continue
                size = max(1, min(_CHUNK, -(-len(new) // self.workers)))
                computing = [pool.submit(_rows_of_many, new[i:i + size]) for i in range(0, len(new), size)]
                if pending is not None:
                    self._add_chunk(*pending, total)
                pending = (chunk, new, computing)
            if pending is not None:
                self._add_chunk(*pending, total)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    def _worth_workers(self, new: int, entries: int, total: int) -> bool:
        """Whether to start worker processes for a chunk of ``entries`` with ``new`` new names."""
        if self.workers < 2:
            return False
        if self.following:
            return new >= _FOLLOWING_SHARE * entries
        return new * max(total, entries) >= _PARALLEL_NAMES * entries

    def _add_chunk(self, chunk: list[tuple[tuple, list[str]]], new: list[str],
                   computing: list[Future] | dict[str, list[FormRow]], total: int) -> None:
        """Add the entries of ``chunk``, the forms of its ``new`` names computed (or being
        computed, by worker processes)."""
        if isinstance(computing, dict):
            computed = computing
        else:
            computed = dict(zip(new, (rows for part in computing for rows in part.result()), strict=True))
        self.computed += len(computed)
        for fields, idents in chunk:
            self._add(fields, idents, computed)
        self.blobs["name_blob"].add(("".join(n + _SPLIT for n in self._names)).encode("utf-8", "surrogateescape"))
        self._names = []
        if self.progress:
            self.progress(len(self.entry_forms) - 1, total)

    def _add(self, fields: tuple, idents: list[str], computed: dict[str, list[FormRow]]) -> None:
        e = len(self.entry_forms) - 1
        self.blobs["entry_blob"].add(pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL))
        for slot, name in enumerate(names_of(fields)):
            span = None if name in computed else self.reuse.get(name)
            if span is not None:
                self.reused += 1
                self._copy(span.start, span.stop)
                n = len(span)
            else:  # computed in the chunk, or a name of this entry met again
                rows = computed[name] if name in computed else rows_of(name)
                self._write(rows)
                n = len(rows)
            self.name_entry.append(e)
            self.name_slot.append(slot)
            self.name_count.append(n)
            self._names.append(name)
            self.n_forms += n
        self.entry_forms.append(self.n_forms)
        self.idents.extend((identifier_hash(k), e) for k in idents)

    def _copy(self, start: int, stop: int) -> None:
        if self._run is not None and self._run[1] == start:
            self._run = (self._run[0], stop)
            return
        self._flush_run()
        self._run = (start, stop)

    def _flush_run(self) -> None:
        if self._run is None:
            return
        a, b = self._run
        self._run = None
        self._flush_new()
        p = self.previous
        assert p is not None
        fo, so = p.arrays["form_off"], p.arrays["str_off"]
        self.blobs["form_blob"].add_run(p.arrays["form_blob"][fo[a]:fo[b]], fo[a + 1:b + 1] - fo[a])
        self.blobs["str_blob"].add_run(p.arrays["str_blob"][so[2 * a]:so[2 * b]], so[2 * a + 1:2 * b + 1] - so[2 * a])
        self._src.append(np.arange(a, b, dtype=np.int64))
        self._indexed.append(np.asarray(p.arrays["form_indexed"][a:b], dtype=np.bool_))

    def _write(self, rows: list[FormRow]) -> None:
        self._flush_run()
        f = self.n_forms
        for kind, compact, text, data in rows:
            self.blobs["form_blob"].add(data)
            self.blobs["str_blob"].add(compact.encode())
            self.blobs["str_blob"].add(text.encode())
            indexed = kind != _HAN  # characters are found through their pinyin
            self._new_src.append(-1)
            self._new_indexed.append(indexed)
            if indexed:
                self.new_ids.append(f)
                self.new_compacts.append(compact)
            f += 1

    def _flush_new(self) -> None:
        if self._new_src:
            self._src.append(np.asarray(self._new_src, dtype=np.int64))
            self._indexed.append(np.asarray(self._new_indexed, dtype=np.bool_))
            self._new_src, self._new_indexed = [], []

    def finish(self) -> dict[str, np.ndarray]:
        """The arrays (the blobs' offsets among them); the blob files are complete."""
        self._flush_run()
        self._flush_new()
        n_forms = self.n_forms
        src = np.concatenate(self._src) if self._src else np.zeros(0, np.int64)
        indexed = np.concatenate(self._indexed) if self._indexed else np.zeros(0, np.bool_)
        keys, gram_off, post_forms = _postings(self.new_compacts, np.asarray(self.new_ids, dtype=np.int64))
        if self.previous is not None and (src >= 0).any():
            keys, gram_off, post_forms = _merged(self.previous, src, keys, gram_off, post_forms)
        df = np.diff(gram_off)
        n = max(n_forms, 1)
        gram_weight = np.array([math.log(1 + n / d) for d in df.tolist()], dtype=np.float64)
        form_weight = np.bincount(post_forms, weights=np.repeat(gram_weight, df), minlength=n_forms).astype(np.float64)
        idents = sorted(self.idents)
        counts = np.asarray(self.name_count, dtype=np.int64)
        return {
            "entry_off": self.blobs["entry_blob"].offsets(),
            "entry_forms": np.asarray(self.entry_forms, dtype=np.int64),
            "form_entry": np.repeat(np.asarray(self.name_entry, dtype=np.int32), counts),
            "form_slot": np.repeat(np.asarray(self.name_slot, dtype=np.int16), counts),
            "form_indexed": indexed,
            "form_off": self.blobs["form_blob"].offsets(),
            "str_off": self.blobs["str_blob"].offsets(),
            "gram_keys": keys, "gram_off": gram_off, "post_forms": post_forms,
            "gram_weight": gram_weight, "form_weight": form_weight,
            "ident_keys": np.asarray([h for h, _ in idents], dtype=np.int64),
            "ident_entries": np.asarray([e for _, e in idents], dtype=np.int32),
            "name_forms": np.r_[0, np.cumsum(counts)].astype(np.int64),
        }


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _postings(compacts: Sequence[str], ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The trigram keys of the forms ``ids`` (indexed forms, ascending), whose compact strings
    are ``compacts``, sorted; where each key's forms start in the postings; and the postings
    (form ids, ascending per key), all computed with numpy: the compact strings padded with ^
    and $ are laid end to end as code points, and every window of three inside one string is a
    trigram of its form."""
    padded = [f"^{c}$" for c in compacts]
    lens = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    windows = np.maximum(lens - 2, 0)
    starts = np.cumsum(lens) - lens
    before = np.cumsum(windows) - windows
    pos = np.arange(int(windows.sum()), dtype=np.int64) + np.repeat(starts - before, windows)
    keys = (codes[pos] << 42) | (codes[pos + 1] << 21) | codes[pos + 2]
    owners = np.repeat(ids.astype(np.int32), windows)
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])  # a form holds each trigram once
    keys, owners = keys[keep], owners[keep]
    if not len(keys):  # no forms, or none with a letter (a character without a reading)
        return np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int32)
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    gram_off = np.r_[first, len(keys)].astype(np.int64)
    return keys[first], gram_off, owners


def _merged(previous: Segment, src: np.ndarray, keys: np.ndarray, gram_off: np.ndarray,
            post_forms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The postings of a segment whose form ``g`` copies the previous segment's form ``src[g]``
    (``-1``: computed, with the postings ``keys``, ``gram_off``, ``post_forms``): the previous
    postings renumbered (a previous form copied twice posts twice) and merged with the
    computed ones, ordered as :func:`_postings` orders them. Keys are packed as their rank
    among all keys (high 32 bits) with the form id (low 32 bits), so that one order orders both.
    A key no form holds any more (its forms renamed or dropped) is left out."""
    copied = np.flatnonzero(src >= 0)
    from_form = src[copied]
    copies = np.bincount(from_form, minlength=previous.n_forms)
    old_forms = previous.post_forms
    all_keys = np.union1d(previous.gram_keys, keys)
    old_at = np.searchsorted(all_keys, previous.gram_keys)  # each previous key's rank
    old_df = np.diff(previous.gram_off)
    if int(copies.max(initial=0)) <= 1:  # each previous form copied at most once (the usual case)
        # One look-up a posting (its form's new id, -1 if not copied): these arrays hold tens
        # of millions of postings at a million names, and every pass over them costs.
        new_of_old = np.full(previous.n_forms, -1, dtype=np.int32)  # form ids are int32 (half the table)
        new_of_old[from_form] = copied
        mapped = new_of_old[old_forms]
        kept = mapped >= 0
        packed_old = (np.repeat(old_at, old_df)[kept] << 32) | mapped[kept].astype(np.int64)
        kept_df = np.add.reduceat(kept, previous.gram_off[:-1]) if len(old_forms) else np.zeros(0, np.int64)
    else:
        order = copied[np.argsort(from_form, kind="stable")]  # new form ids, by the form they copy
        first_copy = np.cumsum(copies) - copies
        reps = copies[old_forms]
        ends = np.cumsum(reps)
        within = np.arange(int(reps.sum()), dtype=np.int64) - np.repeat(ends - reps, reps)
        packed_old = (np.repeat(np.repeat(old_at, old_df), reps) << 32) | order[np.repeat(first_copy[old_forms], reps) + within]
        kept_df = np.add.reduceat(reps, previous.gram_off[:-1]) if len(old_forms) else np.zeros(0, np.int64)
    new_at = np.searchsorted(all_keys, keys)
    packed_new = (np.repeat(new_at, np.diff(gram_off)) << 32) | post_forms.astype(np.int64)  # keys, then forms, ascending
    if np.all(packed_old[1:] >= packed_old[:-1]):
        # The copied forms kept their order (a list's entities mostly do): the old postings are
        # in order still, and the few new ones are put in their places; sorting tens of
        # millions of postings again took seconds at the end of the build of a million names.
        packed = np.insert(packed_old, np.searchsorted(packed_old, packed_new), packed_new)
    else:
        packed = np.concatenate((packed_old, packed_new))
        packed.sort()
    # Postings per key counted per key, not found by comparing neighbours among all postings;
    # the form ids are the low halves of the packed postings, every other int32 of them.
    df = np.zeros(len(all_keys), dtype=np.int64)
    np.add.at(df, old_at, kept_df)
    np.add.at(df, new_at, np.diff(gram_off))
    held = np.flatnonzero(df)
    low = packed.view(np.int32)[0::2] if sys.byteorder == "little" else packed.view(np.int32)[1::2]
    return all_keys[held], np.r_[0, np.cumsum(df[held])].astype(np.int64), np.ascontiguousarray(low)
