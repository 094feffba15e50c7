import pytest

from rarex.core.db import get_sessionmaker
from tests.parties.helpers import build_world


@pytest.fixture
def world(session):
    return build_world(session)


@pytest.fixture
def tx(db):
    """A session inside one transaction, as the API and CLI give a service (savepoints work);
    rolled back at the end. Only for tests that call services directly, never with ``client``."""
    s = get_sessionmaker()()
    try:
        yield s
    finally:
        s.rollback()
        s.close()
