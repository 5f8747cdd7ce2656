"""Writes for the service-point register and village proxy. Keyword-only; pages, the API, the import,
the canteen hook and the demo all call these."""

from __future__ import annotations

from .. import errors  # noqa: F401  (the app's error codes are listed when its services load)
from .proxy import case_act, case_file, proxy_figures
from .register import clean_point, point_feed, point_save, point_set_items
from .tracking import case_tracking_send, case_tracking_verify

__all__ = [
    "case_act",
    "case_file",
    "case_tracking_send",
    "case_tracking_verify",
    "clean_point",
    "point_feed",
    "point_save",
    "point_set_items",
    "proxy_figures",
]
