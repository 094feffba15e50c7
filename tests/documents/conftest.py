import pytest

from tests.amendments.helpers import amend_world


@pytest.fixture
def aw(client, session):
    return amend_world(client, session)
