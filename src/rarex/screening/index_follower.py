"""A staged list version's match index, built in another process while the import writes it.

Importing a large list is two long steps of one core each: writing its entities (parsing the
file, COPY or executemany) and building their match index. Run one after the other, a list
change of a million entities was searchable only after the sum of both, a minute and a half
on a machine of two cores. A follower process reads the entities as the import's batches
commit (each batch is its own transaction, and ids ascend within a version), builds the
index exactly as :func:`rarex.screening.index_store.build` does from the finished version, and
finishes moments after the last batch; the import then finds the index ready and puts the
version in force.

The follower is an optimisation, never a dependency: if it cannot start, fails or dies, the
import builds the index itself as before, and an import that fails stops the follower, whose
unfinished build leaves nothing that is read (index_store writes under a temporary name).

The two processes speak over a pipe: the import says how many entities it wrote ("written")
or that it gave up ("stop"); the follower reports its progress and how it ended.
"""

from __future__ import annotations

import contextlib
import logging
from multiprocessing import get_context
from multiprocessing.connection import Connection

from sqlalchemy.orm import Session

from rarex.core.db import get_engine
from rarex.screening import index_store
from rarex.screening.models import ListVersion
from rarex.screening.segment import Progress

log = logging.getLogger(__name__)

#: Files smaller than this are indexed after they are written: starting a process (a second
#: or so of importing rarex) is worth it only for files that take many seconds.
FOLLOW_FROM_BYTES = 8 * 2 ** 20
#: How long the follower waits for a batch, when it has read every row written, before it
#: reads again.
_POLL_SECONDS = 0.05


class _Stopped(Exception):
    """The import gave up (or its process died): the follower builds nothing."""


class Follower:
    """The import's side: start the follower, say when the writing is done, wait for it."""

    def __init__(self, version_id: int, estimate: int):
        context = get_context("spawn")  # a fork would copy the import's connections and threads
        self.conn, theirs = context.Pipe()
        # Not a daemon: a daemon may not start the processes the build computes new names in.
        self.process = context.Process(target=_follow, args=(version_id, estimate, theirs),
                                       name=f"rarex-index-follower-{version_id}")
        self.process.start()
        theirs.close()

    def written(self, entries: int) -> None:
        """Every entity is written: the follower ends once it has read ``entries`` of them."""
        self._send(("written", entries))

    def wait(self, entries: int, progress: Progress | None) -> bool:
        """Whether the follower built the index, reporting its progress meanwhile."""
        while True:
            try:
                if not self.conn.poll(1.0):
                    if not self.process.is_alive() and not self.conn.poll():
                        log.warning("the index follower of an import died (exit code %s); the import builds the "
                                    "index itself", self.process.exitcode)
                        return False
                    continue
                message = self.conn.recv()
            except (EOFError, OSError):
                log.warning("the index follower of an import died; the import builds the index itself")
                return False
            if message[0] == "progress" and progress is not None:
                progress(min(message[1], entries), entries)
            elif message[0] == "built":
                self.process.join()
                return True
            elif message[0] == "failed":
                log.warning("the index follower of an import failed (%s); the import builds the index itself",
                            message[1])
                self.process.join()
                return False

    def stop(self) -> None:
        """End the follower (at once, if it is still building) and let go of it."""
        if self.process.is_alive():
            self._send(("stop",))
            self.process.join(30)
            if self.process.is_alive():  # stuck (in a database wait, say): the OS ends it
                self.process.terminate()
                self.process.join()
        self.conn.close()

    def _send(self, message: tuple) -> None:
        with contextlib.suppress(OSError):  # the follower has ended already; wait() says how
            self.conn.send(message)


def follow(version_id: int, estimate: int) -> Follower | None:
    """A follower building version ``version_id``'s index (``estimate``: how many entities it
    will probably have, for its progress and for whether to compute names in parallel), or None
    when no process could be started (the import then builds the index itself)."""
    try:
        return Follower(version_id, estimate)
    except OSError as exc:
        log.warning("no index follower could be started (%s); the import builds the index itself", exc)
        return None


def _follow(version_id: int, estimate: int, conn: Connection) -> None:
    """The follower's process: build the index of version ``version_id`` as its rows commit."""
    written: list[int] = []

    def listen(timeout: float) -> bool:
        """Take what the import said within ``timeout`` seconds; whether it said anything."""
        try:
            if not conn.poll(timeout):
                return False
            message = conn.recv()
        except (EOFError, OSError):  # the import's process died
            raise _Stopped from None
        if message[0] == "stop":
            raise _Stopped
        written.append(message[1])
        return True

    def more(read: int) -> bool:
        """Whether rows are still coming: until the import has said how many it wrote and
        every one of them is read. Waits a little for the next batch first."""
        while not written or read < written[0]:
            if not listen(_POLL_SECONDS):
                return True
        return False

    def progress(done: int, _total: int) -> None:
        listen(0)  # an import that gave up after writing (a list that shrank) stops the build
        conn.send(("progress", done))

    try:
        with Session(bind=get_engine().execution_options(isolation_level="AUTOCOMMIT")) as session:
            version = session.get_one(ListVersion, version_id)
            index_store.build(session, version, progress=progress, total=estimate, more=more)
        conn.send(("built",))
    except _Stopped:
        pass
    except Exception as exc:  # any failure is reported: the import builds the index itself
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
