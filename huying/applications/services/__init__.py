"""Writes for applications (办件). Keyword-only, one transaction each, history in the same
transaction. Pages, the API, the sweep and the demo all call these.

Clock rules (行政许可法 Arts. 32, 42, 45; 滨州市工程建设项目并联审批管理规定 Arts. 10, 11, 19): the 承诺时限 runs in working days from 受理 (补正 time before it does
not count); a 补正 notice is due within HUYING_CORRECTION_NOTICE_WORKDAYS working days of receipt or
the application is deemed accepted from receipt; 特别程序 time is not counted; 容缺 materials not
provided by the promised date end in 不予审批.

By sub-capability: ``intake`` (收件), ``materials`` (checklist, scans, e-licences), ``transitions``
(the TRANSITIONS table applied) with its handlers in ``acceptance`` (受理, 补正), ``review`` (后台审批),
``special`` (特别程序, extension) and ``issuance`` (出件); ``sweep``; ``proxies`` (帮办代办, projects).
"""

from __future__ import annotations

from .. import errors  # noqa: F401  (the app's error codes are listed when its services load)
from .common import ISSUE_WORKDAYS, ActorArg, Plan, application_plan, notice_workdays, plan_for
from .intake import application_receive, clean_applicant, clean_form_data, id_number
from .materials import (
    MATERIAL_FILE_TYPES,
    MAX_FILES_PER_MATERIAL,
    application_materials_update,
    clean_material_changes,
    material_file_open,
    material_file_upload,
    on_licence_verified,
    upload_open,
)
from .personal_data import application_reveal_personal_data, masked_applicant
from .proxies import assisted_service_record, project_create, proxy_authorise, proxy_revoke
from .review import materials_not_opened, review_task_decide
from .special import RESULT_MAX_LENGTH
from .sweep import applications_sweep
from .transitions import HANDLERS, application_transition

__all__ = [
    "HANDLERS",
    "ISSUE_WORKDAYS",
    "MATERIAL_FILE_TYPES",
    "MAX_FILES_PER_MATERIAL",
    "RESULT_MAX_LENGTH",
    "ActorArg",
    "Plan",
    "application_materials_update",
    "application_plan",
    "application_receive",
    "application_reveal_personal_data",
    "application_transition",
    "applications_sweep",
    "assisted_service_record",
    "clean_applicant",
    "clean_form_data",
    "clean_material_changes",
    "id_number",
    "masked_applicant",
    "material_file_open",
    "material_file_upload",
    "materials_not_opened",
    "notice_workdays",
    "on_licence_verified",
    "plan_for",
    "project_create",
    "proxy_authorise",
    "proxy_revoke",
    "review_task_decide",
    "upload_open",
]
