"""Writes of self-governance; each status change goes through a state table and a compare-and-set."""

from .appraisal import (
    member_appraisal_record,
    rectification_report,
    survey_close,
    survey_open,
    survey_rate,
    survey_record,
)
from .board import (
    demand_support,
    objection_answer,
    objection_raise,
    posting_repost,
    posting_take_down,
    publication_act,
    publication_create,
    publication_edit,
)
from .documents import document_create
from .meetings import meeting_cast, meeting_close, meeting_open, meeting_record_votes, meeting_schedule
from .topics import (
    document_revision_raise,
    topic_accept,
    topic_decline,
    topic_from_appeal,
    topic_from_finding,
    topic_propose,
    topic_raise,
    topic_sign,
)
from .work import progress_add, work_complete, work_start

__all__ = [
    "demand_support",
    "document_create",
    "document_revision_raise",
    "meeting_cast",
    "meeting_close",
    "meeting_open",
    "meeting_record_votes",
    "meeting_schedule",
    "member_appraisal_record",
    "objection_answer",
    "objection_raise",
    "posting_repost",
    "posting_take_down",
    "progress_add",
    "publication_act",
    "publication_create",
    "publication_edit",
    "rectification_report",
    "survey_close",
    "survey_open",
    "survey_rate",
    "survey_record",
    "topic_accept",
    "topic_decline",
    "topic_from_appeal",
    "topic_from_finding",
    "topic_propose",
    "topic_raise",
    "topic_sign",
    "work_complete",
    "work_start",
]
