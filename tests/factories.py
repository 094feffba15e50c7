"""Small builders for arranging test data directly in the database.

They insert rows without going through the services on purpose: a test of one service should
not depend on another's rules. Passwords share one precomputed argon2 hash to keep tests fast.
"""

from __future__ import annotations

import itertools

from argon2 import PasswordHasher, profiles
from stdnum.cn import uscc

from rarex.core.authz import Role
from rarex.parties.models import ComplianceProfile, Organisation, Party
from rarex.users.models import User

PASSWORD = "correct-horse-battery"
_HASH = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(PASSWORD)
_seq = itertools.count(1)


def valid_uscc(n: int) -> str:
    base = f"91110000MA{n:07d}"[:17]
    return base + uscc.calc_check_digit(base)


def make_org(session, *, name: str | None = None, verified: bool = True, **profile) -> Organisation:
    """An exporter with a compliance profile; ``verified``: an officer has verified the facts
    eligibility reads, as most tests need (tests of verification pass False)."""
    n = next(_seq)
    org = Organisation(
        name_zh=f"测试稀土有限公司{n}",
        name_en=name or f"Test Rare Earth Co., Ltd. {n}",
        uscc=valid_uscc(n),
        address="1 Test Road, Baotou",
        contact_name="Li Wei",
        contact_email=f"compliance{n}@example.cn",
        contact_phone="+86 472 000 0000",
    )
    session.add(org)
    session.flush()
    defaults = dict(has_icp=True, export_experience_years=5, briefings_attended=2, stable_channels=True)
    defaults.update(profile)
    record = ComplianceProfile(org_id=org.id, **defaults)
    session.add(record)
    session.flush()
    if verified:
        record.verified_values, record.verified_by_name = record.fact_values(), "factory"
        session.flush()
    return org


def make_party(session, org: Organisation, *, name: str | None = None, country: str = "DE",
               end_user_category: str = "unknown") -> Party:
    n = next(_seq)
    party = Party(org_id=org.id, name=name or f"Magnetwerk Test GmbH {n}", country=country,
                  address="Industriestrasse 1, Stuttgart", business="motor manufacturer", end_user_category=end_user_category)
    session.add(party)
    session.flush()
    return party


def make_user(session, role: Role | str, org: Organisation | None = None, username: str | None = None) -> User:
    role = Role(role)
    user = User(
        username=username or f"{role.value}{next(_seq)}",
        display_name=f"Test {role.value}",
        role=role,
        org_id=org.id if org else None,
        password_hash=_HASH,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def login(client, username: str, password: str = PASSWORD) -> dict[str, str]:
    resp = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def bearer(session, user: User) -> dict[str, str]:
    """Headers with a fresh token for ``user``, minted without the argon2 sign-in (fast)."""
    from rarex.users.service import issue_token

    token, _ = issue_token(session, user)
    session.commit()
    return {"Authorization": f"Bearer {token}"}
