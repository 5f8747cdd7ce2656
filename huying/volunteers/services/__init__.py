"""Writes of the volunteering loop: the archive, the demand menu, attendance and hours, certificates."""

from .archive import project_create, station_create, team_create, volunteer_register
from .attendance import activity_create, hours_confirm, sign_in, sign_out, signup_cancel, signup_create
from .certificates import certificate_issue, certificate_pdf, certificate_verify
from .needs import need_claim, need_escalate_sweep, need_from_appeal, need_publish, need_rate, need_release
from .personal_data import need_reveal_contact, volunteer_reveal

__all__ = [
    "activity_create",
    "certificate_issue",
    "certificate_pdf",
    "certificate_verify",
    "hours_confirm",
    "need_claim",
    "need_escalate_sweep",
    "need_from_appeal",
    "need_publish",
    "need_rate",
    "need_release",
    "need_reveal_contact",
    "project_create",
    "sign_in",
    "sign_out",
    "signup_cancel",
    "signup_create",
    "station_create",
    "team_create",
    "volunteer_register",
    "volunteer_reveal",
]  # fmt: skip
