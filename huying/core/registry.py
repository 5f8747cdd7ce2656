"""Registries that let lower layers (dashboards) use upper apps without importing them.

Apps fill these in ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
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
