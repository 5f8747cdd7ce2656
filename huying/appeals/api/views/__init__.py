"""The appeal API (/api/v1/): parse with a serializer, call a service or selector, render.

appeals: list, intake and reads of one appeal; actions: one endpoint per state-machine action;
categories: the 派单目录 and units; tracking: citizens without an account, integration tokens.

Views never save a model: every write goes through huying.appeals.services. Errors are
HuyingError / DRF exceptions that huying.core.drf renders as application/problem+json.
"""

from .actions import ACTION_INPUTS, ACTION_VIEWS, AppealActionView, UnknownActionView
from .appeals import (
    AppealAssistReportView,
    AppealAttachmentsView,
    AppealDetailView,
    AppealListView,
    AppealPersonalDataView,
    AppealRecordCallView,
    AppealTimelineView,
)
from .categories import CategoryListView, SuggestUnitView, UnitListView
from .common import APPEAL_ID, SELF_SERVICE_CHANNELS, appeal_data, field_error, problems
from .tracking import TrackSendCodeView, TrackVerifyView

__all__ = [
    "ACTION_INPUTS",
    "ACTION_VIEWS",
    "APPEAL_ID",
    "SELF_SERVICE_CHANNELS",
    "AppealActionView",
    "AppealAssistReportView",
    "AppealAttachmentsView",
    "AppealDetailView",
    "AppealListView",
    "AppealPersonalDataView",
    "AppealRecordCallView",
    "AppealTimelineView",
    "CategoryListView",
    "SuggestUnitView",
    "TrackSendCodeView",
    "TrackVerifyView",
    "UnitListView",
    "UnknownActionView",
    "appeal_data",
    "field_error",
    "problems",
]
