"""Registries that let lower layers (dashboards) use upper apps without importing them.

Apps fill these in ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class Registry:
    def __init__(self, name: str):
        self.name = name
        self._items: dict[str, Callable[..., Any]] = {}

    def register(self, key: str, item: Callable[..., Any]) -> None:
        self._items[key] = item

    def get(self, key: str) -> Callable[..., Any]:
        return self._items[key]

    def items(self) -> list[tuple[str, Callable[..., Any]]]:
        return list(self._items.items())


dashboard_providers = Registry("dashboard_providers")


class Hooks(Registry):
    """Optional extension points: a missing hook is simply not called."""

    def call(self, key: str, *args: Any, **kwargs: Any) -> Any:
        hook = self._items.get(key)
        return hook(*args, **kwargs) if hook is not None else None


# The appeal loop calls these without importing the app that fills them (huying.dispatch):
#   "suggest"(text, division) -> dict | None      category/unit suggestion for the workbench
#   "prepare"(text, division) -> object            CPU work for intake, before the write transaction opens
#   "submitted"(appeal, auto_dispatch, prepared)   indexing, suggestion, auto-dispatch (inside the intake transaction)
#   "dispatched"(appeal, user)                     the operator's final category, against the suggestion
#   "check_reply"(appeal, text) -> list[dict]      warnings on a reply that may not answer the appeal
appeal_hooks = Hooks("appeal_hooks")


@dataclass(frozen=True)
class RatedAct:
    """An act of service that can be rated (好差评), as its owning loop describes it."""

    kind: str  # "application" (办件), "window_visit" (窗口服务), "appeal" (12345 工单)
    ref: str  # the act's public number
    title: str
    unit_id: int | None  # the unit that served: it verifies and rectifies a bad rating
    rater_user_id: int | None  # the person entitled to rate; None when they have no account
    rater_phone: str  # where the answer to a bad rating is sent
    occurred_at: dt.datetime


# Loops register a resolver per kind: rating_acts.get(kind)(ref) -> RatedAct | None (huying.ratings calls it).
rating_acts = Registry("rating_acts")

# huying.licences calls, without importing the apps that fill them:
#   "verified"(use)   a licence verified at a window for an application (use.application_ref set):
#                     huying.applications marks the matching material as provided by e-licence.
licence_hooks = Hooks("licence_hooks")

# Periodic idempotent checks (overdue marking, deemed acceptance, expiry...): each app registers
# sweeps.register(name, fn) with fn() -> str (a line for the log); `manage.py sweep` runs them all.
sweeps = Registry("sweeps")
