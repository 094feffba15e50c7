"""A real rarex server (uvicorn in a subprocess, on a loopback port) over the test database.

The load and crash tests need what the in-process test client does not have: the thread pool,
the connection pool and the admission gate as they run in production, and a process that can
be killed with SIGKILL. Counts and times are bounded so that the suite stays in seconds on a
shared two-core machine; ``make soak`` runs the crash test for longer (RAREX_SOAK_ROUNDS,
RAREX_SOAK_SECONDS).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from bench.load import World, arrange_world
from bench.server import Server


@pytest.fixture
def world(db) -> World:
    return arrange_world(n_licences=2)


@pytest.fixture
def server(db) -> Iterator[Server]:
    with Server(env=dict(os.environ)) as s:
        yield s
