"""Fixtures for the policy pack: the shipped pack, editable temp copies, a client without a database."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from rarex.policy.loader import PACKS_DIR, load_pack
from rarex.policy.models import Pack

PACK_DIR = PACKS_DIR / "cn-dual-use"


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack(PACK_DIR)


@pytest.fixture
def pack_copy(tmp_path) -> Callable[..., Path]:
    """A copy of the shipped pack with ``file=(old, new)`` text replacements applied (each must occur)."""

    def make(**edits: tuple[str, str]) -> Path:
        root = tmp_path / "pack"
        shutil.copytree(PACK_DIR, root)
        for stem, (old, new) in edits.items():
            path = root / f"{stem}.yaml"
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{old!r} not in {path.name}"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return root

    return make


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in a file."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture(scope="module")
def public_client():
    """The app without a database: the policy endpoints are public and read only the pack."""
    from fastapi.testclient import TestClient

    from rarex.web.app import create_app

    with TestClient(create_app(run_startup_jobs=False), raise_server_exceptions=False) as c:
        yield c
