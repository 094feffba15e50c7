"""Passwords: the argon2 hasher and the policy a new password must meet.

Hashing and verifying cost a deliberate ~0.1-0.2 s of CPU; callers run them with no database
transaction open (users/signin.py), so a sign-in never holds SQLite's write lock while it hashes.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from rarex.core.errors import InvalidInput
from rarex.core.settings import get_settings

MIN_LENGTH = 12
#: Usernames shorter than this are only refused as the whole password, not as a part of one:
#: "li" inside a long passphrase makes it no easier to guess.
MIN_CONTAINED_USERNAME = 3

_PROFILES = {"rfc9106": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}


@lru_cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(_PROFILES[profile])


def hasher() -> PasswordHasher:
    """The argon2 hasher for new hashes; verification reads the parameters from each hash."""
    return _hasher(get_settings().password_hashing)


@lru_cache
def _dummy_hash(profile: str) -> str:
    return _hasher(profile).hash("rarex-no-such-user")


def dummy_hash() -> str:
    """Verified against when the username does not exist, so both paths cost one argon2 check."""
    return _dummy_hash(get_settings().password_hashing)


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache
def _common() -> frozenset[str]:
    """zxcvbn's list of the 30,000 passwords most often found in breaches, lower-cased."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_policy(password: str, username: str, *, field: str = "password") -> None:
    """Refuse (422) a password that is short, is or holds the username, or is a common one."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_LENGTH} characters", field=field, reason="too_short",
                           min_length=MIN_LENGTH)
    lowered, name = password.lower(), username.strip().lower()
    if name and (lowered == name or (len(name) >= MIN_CONTAINED_USERNAME and name in lowered)):
        raise InvalidInput("password must not be or contain the username", field=field, reason="contains_username")
    if lowered in _common():
        raise InvalidInput("password is on a list of common, breached passwords; choose another", field=field, reason="common")
