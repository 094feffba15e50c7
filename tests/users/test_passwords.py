"""The password policy: length, the username, zxcvbn's list of breached passwords."""

from __future__ import annotations

import pytest

from rarex.core.errors import InvalidInput
from rarex.users.passwords import check_policy


@pytest.mark.parametrize(
    "password, username",
    [
        ("x7#kQ9!mZ2p", "ana"),  # 11: one short
        ("ana-ana-ana-ana", "ana"),  # holds the username
        ("Zhang.Wei.2026!", "zhang.wei"),  # holds it, case aside
        ("liwei12345678", "LiWei12345678"),  # is the username
        ("password1234", "ana"),  # breached
        ("QWERASDFZXCV", "ana"),  # breached, case aside
    ],
)
def test_refused(password, username):
    with pytest.raises(InvalidInput) as exc:
        check_policy(password, username)
    assert exc.value.extra["field"] == "password"


@pytest.mark.parametrize(
    "password, username",
    [
        ("x7#kQ9!mZ2pL", "ana"),  # exactly 12
        ("li-is-in-this-passphrase", "li"),  # a two-letter username may appear inside
        ("correct-horse-battery", "ana"),
    ],
)
def test_accepted(password, username):
    check_policy(password, username)


def test_field_name_is_the_callers():
    with pytest.raises(InvalidInput) as exc:
        check_policy("short", "ana", field="new_password")
    assert exc.value.extra["field"] == "new_password"
