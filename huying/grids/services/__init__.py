"""Writes for grid management. Keyword-only, one transaction each; pages, the API, commands and
tasks all call these.

By sub-capability: ``layer`` (grids, boundaries and their import), ``people`` (staff posts,
household tags and visit plans, revealing a resident's data), ``register`` (the household
register import), ``visits`` (the 走访写实簿 and turning a finding into an appeal), ``proxy``
(turning a finding into a 网格代办 application in the service hall).
"""

from __future__ import annotations

from .. import errors as error_codes  # noqa: F401  (the app's error codes are listed when its services load)
from .layer import grid_adjust_boundary, grid_code_check, grid_create, grids_import
from .people import (
    grid_counts_rebuild,
    grid_staff_add,
    grid_staff_leave,
    household_due_refresh,
    household_tags_set,
    resident_reveal_personal_data,
    visit_plan_set,
)
from .proxy import visit_finding_to_application
from .register import households_import
from .visits import FindingInput, visit_finding_to_appeal, visit_record

__all__ = [
    "FindingInput",
    "grid_adjust_boundary",
    "grid_code_check",
    "grid_counts_rebuild",
    "grid_create",
    "grid_staff_add",
    "grid_staff_leave",
    "grids_import",
    "household_due_refresh",
    "household_tags_set",
    "households_import",
    "resident_reveal_personal_data",
    "visit_finding_to_appeal",
    "visit_finding_to_application",
    "visit_plan_set",
    "visit_record",
]
