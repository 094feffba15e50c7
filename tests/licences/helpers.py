"""Helpers for licence tests: a ground of the pack (grounds.yaml) that supports each action."""

from __future__ import annotations

#: A ground that supports each senior officer's action on a licence.
GROUND = {"suspend": "factors_changed", "reinstate": "checks_cleared", "order_amendment": "amendment_needed",
          "withdraw": "factors_changed", "revoke": "fraud_or_bribery"}


def control_body(action: str, reason: str = "material change in end use", ground: str | None = None) -> dict:
    """The API body of ``POST /licences/{number}/{action}`` with a ground that fits the action."""
    return {"reason": reason, "ground": ground or GROUND[action.replace("-", "_")]}
