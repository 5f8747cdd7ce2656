"""The whole demo, in small: ``manage.py demo`` writes as many rows of each model as the eight commands it
replaced (demo_data, dispatch_reindex, dispatch_train, demo_services, demo_licences, demo_halls,
demo_applications, demo_ratings, demo_accounts) wrote with the same sizes at the same moment, plus the
grid layer's demo (grids, households, visits, tasks, the reports waiting for on-site verification) and
the demos of the grassroots loops (points, deputies and legislation, volunteering, self-governance, open
days, services at the doorstep)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Wednesday morning
SIZES = ["--appeals", "300", "--licences", "100", "--hall-days", "5", "--applications", "30", "--ratings-per-kind", "5"]
# Rows per model after the former commands, run at AT with these sizes (appeals' seed 12345); the
# appeals' texts are retold in the citizens' own words since, which changes a few repeats and merges.
BEFORE = {
    "accounts.ApiToken": 0,
    "accounts.LoginFailure": 0,
    "accounts.RoleAssignment": 85,
    "accounts.User": 90,
    "admin.LogEntry": 0,
    "appeals.Appeal": 327,
    "appeals.AppealAssignment": 251,
    "appeals.AppealEvent": 1699,
    "appeals.AppealMonthlyStat": 496,
    "appeals.AppealStatGeneration": 1,
    "appeals.Attachment": 0,
    "appeals.Category": 82,
    "appeals.CategoryRoute": 14,
    "appeals.IdempotencyKey": 0,
    "appeals.TimeLimitRule": 9,
    "appeals.TrackingCode": 0,
    "applications.Application": 43,
    "applications.ApplicationEvent": 267,
    "applications.ApplicationMaterial": 181,
    "applications.AssistedService": 12,
    "applications.CorrectionNotice": 1,
    "applications.MaterialFile": 0,
    "applications.MaterialView": 0,
    "applications.Project": 1,
    "applications.ProxyAuthorisation": 13,
    "applications.ReviewTask": 76,
    "applications.SpecialProcedure": 3,
    "auth.Group": 0,
    "auth.Permission": 724,
    "canteens.Canteen": 11,
    "canteens.Elder": 220,
    "canteens.ElderCategory": 242,
    "canteens.Meal": 5280,
    "canteens.PriceTier": 3,
    "canteens.PurchaseRecord": 4,
    "canteens.Settlement": 11,
    "canteens.WeeklyMenu": 11,
    "catalogue.Bundle": 6,
    "catalogue.BundleItem": 27,
    "catalogue.FormField": 731,
    "catalogue.Material": 515,
    "catalogue.ReviewStep": 63,
    "catalogue.ServiceItem": 121,
    "community.Attendance": 52,
    "community.Body": 9,
    "community.CatalogueItem": 12,
    "community.CommunityProfile": 2,
    "community.ConsultPath": 3,
    "community.Demand": 0,
    "community.DemandSupport": 0,
    "community.DocumentVersion": 1,
    "community.Meeting": 5,
    "community.Member": 77,
    "community.MemberAppraisal": 10,
    "community.Milestone": 4,
    "community.Objection": 0,
    "community.Option": 10,
    "community.PathStep": 4,
    "community.Posting": 3,
    "community.Progress": 1,
    "community.Publication": 5,
    "community.PublicationVersion": 3,
    "community.Rectification": 1,
    "community.RuleDocument": 1,
    "community.SampleEntry": 55,
    "community.Signature": 1,
    "community.Survey": 3,
    "community.SurveyRating": 55,
    "community.Topic": 6,
    "community.Vote": 42,
    "contenttypes.ContentType": 181,
    "core.AuditLog": 3,
    "core.CalendarOverride": 0,
    "core.CalendarYear": 0,
    "deputies.Booking": 1,
    "deputies.Committee": 1,
    "deputies.ContactPoint": 1,
    "deputies.DeputyProfile": 2,
    "deputies.Draft": 1,
    "deputies.DraftNode": 18,
    "deputies.Expert": 8,
    "deputies.ExpertAssignment": 2,
    "deputies.FiledDocument": 2,
    "deputies.Informant": 1,
    "deputies.MediationCase": 1,
    "deputies.MediationParty": 2,
    "deputies.MediationSession": 1,
    "deputies.OfflineSession": 1,
    "deputies.Opinion": 6,
    "deputies.Reception": 1,
    "deputies.ReceptionDay": 3,
    "deputies.Suggestion": 4,
    "deputies.SuggestionEvent": 12,
    "deputies.SuggestionUnit": 6,
    "dispatch.AppealFingerprint": 7824,
    "dispatch.ClassifierModel": 0,
    "dispatch.DispatchSuggestion": 43,
    "dispatch.FingerprintPending": 1,
    "dispatch.JointMeeting": 0,
    "dispatch.KeyProblem": 0,
    "django_tasks_database.DBTaskResult": 0,
    "grids.DutyType": 16,
    "grids.Grid": 16,
    "grids.GridBoundary": 16,
    "grids.GridStaff": 60,
    "grids.GridTask": 4,
    "grids.GridTaskAssignment": 15,
    "grids.GridVisitMonth": 56,
    "grids.Household": 2400,
    "grids.Resident": 5991,
    "grids.Tag": 8,
    "grids.Visit": 6534,
    "grids.VisitFinding": 12,
    "grids.VisitPlan": 0,
    "halls.Hall": 1,
    "halls.Ticket": 1201,
    "halls.TicketCounter": 23,
    "halls.Window": 26,
    "licences.Authorisation": 2,
    "licences.Licence": 132,
    "licences.LicenceType": 14,
    "licences.LicenceUse": 2,
    "licences.SigningKey": 1,
    "licences.UsedToken": 2,
    "open311.Client": 0,
    "opendays.Draw": 2,
    "opendays.Event": 1,
    "opendays.ForumItem": 3,
    "opendays.PhoneCode": 0,
    "opendays.ProgrammeStop": 4,
    "opendays.Quota": 20,
    "opendays.Registration": 60,
    "organisations.Division": 51,
    "organisations.OrgUnit": 78,
    "points.Account": 3,
    "points.AppraisalEntry": 0,
    "points.Claim": 7,
    "points.ClaimEvent": 15,
    "points.CreditLot": 4,
    "points.Entry": 12,
    "points.ExchangeDay": 1,
    "points.ExchangeStock": 3,
    "points.Goods": 4,
    "points.Household": 0,
    "points.HouseholdMember": 0,
    "points.LotUse": 3,
    "points.Merchant": 3,
    "points.MerchantStaff": 1,
    "points.Posting": 6,
    "points.Publication": 0,
    "points.Redemption": 2,
    "points.Resolution": 2,
    "points.Scheme": 2,
    "points.SchemeItem": 2,
    "points.TrialBalance": 1,
    "ratings.CaseEvent": 11,
    "ratings.Complaint": 1,
    "ratings.Rating": 22,
    "ratings.RectificationCase": 6,
    "servicepoints.CaseEvent": 30,
    "servicepoints.CaseTrackingCode": 0,
    "servicepoints.CentreClerk": 1,
    "servicepoints.PointItem": 963,
    "servicepoints.ProxyCase": 12,
    "servicepoints.ServicePoint": 34,
    "sessions.Session": 0,
    "volunteers.Activity": 6,
    "volunteers.CallOut": 1,
    "volunteers.CallOutInvite": 12,
    "volunteers.Certificate": 1,
    "volunteers.Course": 1,
    "volunteers.DutyShift": 5,
    "volunteers.HourEdit": 3,
    "volunteers.Need": 10,
    "volunteers.NeedEvent": 22,
    "volunteers.Project": 3,
    "volunteers.SignUp": 4,
    "volunteers.Station": 5,
    "volunteers.Team": 4,
    "volunteers.TrainingAttendance": 31,
    "volunteers.Volunteer": 61,
}


def counts() -> dict[str, int]:
    return {f"{m._meta.app_label}.{m.__name__}": m._default_manager.count() for m in apps.get_models()}


def test_demo_writes_what_the_former_commands_wrote() -> None:
    out, err = StringIO(), StringIO()
    with time_machine.travel(AT, tick=False):
        call_command("demo", "--if-empty", *SIZES, stdout=out, stderr=err)
    assert counts() == BEFORE
    text = out.getvalue()
    assert "演示数据已生成" in text and "政务服务事项演示清单" in text and "好差评演示数据" in text
    assert "演示账号（登录地址 http://" in text and "chuangkou1" in text
    assert err.getvalue() == ""
    # --if-empty again: no new appeals or catalogue items; the other builders find what they made.
    with time_machine.travel(AT, tick=False):
        call_command("demo", "--if-empty", *SIZES, stdout=StringIO(), stderr=StringIO())
    again = counts()
    for model in ("appeals.Appeal", "appeals.AppealEvent", "catalogue.ServiceItem", "halls.Ticket"):
        assert again[model] == BEFORE[model], model
