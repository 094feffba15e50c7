"""The shipment state machine: recorded, then possibly cancelled by customs (final)."""

from __future__ import annotations

from rarex.core.states import StateMachine, Transition
from rarex.shipments.models import ShipmentStatus as S

SHIPMENT = StateMachine(
    "shipment",
    [Transition("cancel", frozenset({S.recorded}), S.cancelled, "cancelled_at")],
)
