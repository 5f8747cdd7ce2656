"""The whole demo, in small: ``manage.py demo`` writes as many rows of each model as the eight commands it
replaced (demo_data, dispatch_reindex, dispatch_train, demo_services, demo_licences, demo_halls,
demo_applications, demo_ratings, demo_accounts) wrote with the same sizes at the same moment, plus the
grid layer's demo (grids, households, visits, tasks), the grid reports that now wait for on-site
verification after the unit's reply, the doorstep demo (service points and village proxy filings through
the one-window loop) and Licang's canteens with a month of meals."""

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
    "accounts.RoleAssignment": 73,
    "accounts.User": 75,
    "admin.LogEntry": 0,
    "appeals.Appeal": 326,
    "appeals.AppealAssignment": 250,
    "appeals.AppealEvent": 1696,
    "appeals.AppealMonthlyStat": 494,
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
    "auth.Permission": 360,
    "catalogue.Bundle": 6,
    "catalogue.BundleItem": 27,
    "catalogue.FormField": 731,
    "catalogue.Material": 515,
    "catalogue.ReviewStep": 63,
    "catalogue.ServiceItem": 121,
    "contenttypes.ContentType": 90,
    "core.AuditLog": 3,
    "core.CalendarOverride": 0,
    "core.CalendarYear": 0,
    "dispatch.AppealFingerprint": 7824,
    "dispatch.ClassifierModel": 0,
    "dispatch.DispatchSuggestion": 42,
    "dispatch.FingerprintPending": 0,
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
    "organisations.Division": 51,
    "organisations.OrgUnit": 70,
    "ratings.CaseEvent": 11,
    "ratings.Complaint": 1,
    "ratings.Rating": 22,
    "ratings.RectificationCase": 6,
    "servicepoints.ServicePoint": 34,
    "servicepoints.PointItem": 963,
    "servicepoints.CentreClerk": 1,
    "servicepoints.ProxyCase": 12,
    "servicepoints.CaseEvent": 30,
    "servicepoints.CaseTrackingCode": 0,
    "canteens.Canteen": 11,
    "canteens.WeeklyMenu": 11,
    "canteens.Elder": 220,
    "canteens.ElderCategory": 242,
    "canteens.PriceTier": 3,
    "canteens.Meal": 5280,
    "canteens.Settlement": 11,
    "canteens.PurchaseRecord": 4,
    "sessions.Session": 0,
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
