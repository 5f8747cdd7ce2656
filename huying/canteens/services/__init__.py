"""Writes for the elderly canteens. Keyword-only; pages, the demo and the tests all call these."""

from __future__ import annotations

from .. import errors  # noqa: F401  (the app's error codes are listed when its services load)
from .canteens import canteen_save, menu_publish
from .elders import category_recheck, elder_enrol, elder_transition
from .meals import delivery_confirm, meal_record, tier_for
from .purchases import purchase_delete, purchase_record, retain_until
from .settlement import canteen_figures, settlement_act, settlement_generate

__all__ = [
    "canteen_figures",
    "canteen_save",
    "category_recheck",
    "delivery_confirm",
    "elder_enrol",
    "elder_transition",
    "meal_record",
    "menu_publish",
    "purchase_delete",
    "purchase_record",
    "retain_until",
    "settlement_act",
    "settlement_generate",
    "tier_for",
]
