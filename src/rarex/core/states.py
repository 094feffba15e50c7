"""Explicit state machines: a table of allowed transitions per stateful thing.

A transition not in the table is a 409 problem naming the current state, so a client that
raced another (two officers deciding at once) learns exactly why it was refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from rarex.core.errors import InvalidTransition


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[StrEnum]
    target: StrEnum | None  # None: the action decides (e.g. decide -> approved or refused)
    stamp: str | None = None  # timestamp column set when the transition happens


class StateMachine:
    def __init__(self, thing: str, transitions: Iterable[Transition]):
        self.thing = thing
        self.table = {t.action: t for t in transitions}

    def check(self, action: str, current: StrEnum) -> Transition:
        t = self.table[action]
        if current not in t.sources:
            raise InvalidTransition(self.thing, str(current), action, sorted(str(s) for s in t.sources))
        return t

    def allowed_actions(self, current: StrEnum) -> list[str]:
        return [a for a, t in self.table.items() if current in t.sources]
