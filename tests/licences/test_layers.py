"""Licences sits below amendments: no licences module imports rarex.amendments, and what
licences needs from amendments (closing a pending one, naming it) arrives through its hooks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rarex.core.authz import Principal
from rarex.licences import hooks

MODULES = ["api", "cli", "flows", "hooks", "jobs", "models", "schemas", "service", "usage", "views"]


def test_no_licences_module_imports_amendments():
    code = ("import sys\n" + "".join(f"import rarex.licences.{m}\n" for m in MODULES)
            + "print(sorted(m for m in sys.modules if m.startswith('rarex.amendments')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_amendments_register_their_hooks_when_loaded():
    import rarex.amendments.service as amendments

    assert hooks._amendments is not None and hooks._amendments.lapse is amendments.lapse_pending


def test_without_amendments_loaded_a_licence_under_amendment_is_not_left_pending(monkeypatch):
    class Lic:
        number = "CNDU-I2026-000001"

    monkeypatch.setattr(hooks, "_amendments", None)
    with pytest.raises(RuntimeError, match="amendments domain is not loaded"):
        hooks.lapse_amendment(None, Principal.system(), Lic(), "suspended", None)
    assert hooks.pending_amendment(None, Lic()) is None
