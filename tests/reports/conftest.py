"""Fixtures of the statistics tests: a fresh extract per test, and the fixed history of history.py."""

from __future__ import annotations

import pytest

from rarex.reports import service
from tests.reports.history import History, build_history


@pytest.fixture(autouse=True)
def _fresh_extract():
    service.forget()
    yield
    service.forget()



@pytest.fixture
def history(session) -> History:
    return build_history(session)
