"""The admission gate: how many requests of this process may work on the database at once.

Without it a crowd deadlocked the server: endpoints and their session dependency are sync and
run in AnyIO's thread pool (40 threads). When more requests than that arrived at once, every
thread could be taken by a request blocked waiting for a pooled connection or SQLite's write
lock, while the requests holding the connections or the lock waited for a free thread to run
their endpoint and commit. Nothing moved until the 30 s timeouts fired, and each became a 500.

The gate is awaited on the event loop before a request takes a thread or a connection. It
admits as many requests as the pool has connections (``RAREX_DB_POOL_SIZE``), keeps the thread
pool larger than that so an admitted request always finds a thread, and turns a request away
with 503 and ``Retry-After`` when no slot frees up within ``RAREX_ADMISSION_TIMEOUT``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread

from rarex.core.errors import ServiceBusy
from rarex.core.settings import get_settings

#: Threads beyond the admitted requests, for sync endpoints that never touch the database.
SPARE_THREADS = 8


class Admission:
    """A bounded semaphore with a deadline, one per application (and so per process)."""

    def __init__(self, slots: int, timeout: float):
        self.slots = slots
        self.timeout = timeout
        self._semaphore = asyncio.Semaphore(slots)

    @classmethod
    def from_settings(cls) -> Admission:
        settings = get_settings()
        return cls(settings.db_pool_size, settings.admission_timeout)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one slot for the block; :class:`ServiceBusy` if none frees up in time."""
        limiter = anyio.to_thread.current_default_thread_limiter()
        if limiter.total_tokens < self.slots + SPARE_THREADS:
            limiter.total_tokens = self.slots + SPARE_THREADS
        try:
            await asyncio.wait_for(self._semaphore.acquire(), self.timeout)
        except TimeoutError:
            raise ServiceBusy(
                f"all {self.slots} database slots of this server stayed busy for {self.timeout:g} s; retry shortly"
            ) from None
        try:
            yield
        finally:
            self._semaphore.release()
