"""Pages: one-window acceptance, detail and actions, reviewer inbox, issue, citizen apply/mine, proxies, figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huying.applications.models import Application, ReviewTask
from huying.applications.states import Status, TaskStatus

from .conftest import CITIZEN_ID, COMPANY, Hall, in_review, local, receive

NOW = local(2026, 3, 2, 9, 0)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def accept_post(h: Hall, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "item": h.cat.company.code,
        "applicant_kind": "enterprise",
        "applicant_name": "滨州示例科技有限公司",
        "applicant_code": COMPANY,
        "applicant_phone": "13800138999",
        "f_company_name": "滨州示例科技有限公司",
        "f_credit_code": COMPANY,
        "f_phone": "13800138001",
        "m_application_form": "provided",
        "m_articles_of_association": "provided",
        "m_id_card": "provided",
        "m_lease_contract": "provided",
        "do": "accept",
    }
    data.update(extra)
    return data


def test_clerk_searches_and_accepts_at_the_window(hall: Hall) -> None:
    client = login(hall.clerk)
    page = client.get("/applications/accept/", {"q": "gssl"}).content.decode()  # 公司设立 by pinyin initials
    assert "公司设立登记" in page
    page = client.get("/applications/accept/", {"item": hall.cat.company.code, "ticket": "A001"}).content.decode()
    # The applicant block answers 企业名称, 统一社会信用代码 and 联系电话: the form does not ask again.
    assert 'name="f_company_name"' not in page and 'name="f_phone"' not in page and "A001" in page
    response = client.post("/applications/accept/", accept_post(hall, ticket="A001"))
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.status == Status.IN_REVIEW and app.ticket_number == "A001"
    detail = client.get(response.url).content.decode()
    assert (
        app.number in detail
        and "扫码核验电子证照" in detail
        and f"/licences/verify/?application={app.number}" in detail
    )
    certificate = client.get(f"/applications/{app.number}/certificate/").content.decode()
    assert "受理通知书" in certificate


def test_window_bad_input_rerenders_with_errors(hall: Hall) -> None:
    client = login(hall.clerk)
    response = client.post(
        "/applications/accept/",
        accept_post(hall, applicant_code="123", applicant_phone="1", f_company_name="", m_lease_contract="missing"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "统一社会信用代码无效" in page and "电话号码格式不正确" in page
    assert not Application.objects.exists()
    # Materials incomplete for 受理: nothing is stored, the clerk is told what is missing.
    response = client.post("/applications/accept/", accept_post(hall, m_lease_contract="missing"))
    assert response.status_code == 400 and "住所使用证明" in response.content.decode()
    assert not Application.objects.exists()
    response = client.post("/applications/accept/", accept_post(hall, do="launch"))
    assert response.status_code == 200 and not Application.objects.exists()


def test_correction_notice_lists_everything_and_prints(hall: Hall) -> None:
    client = login(hall.clerk)
    response = client.post(
        "/applications/accept/",
        accept_post(
            hall, do="request_correction", m_lease_contract="missing", m_id_card="missing", r_application_form="未盖章"
        ),
    )
    app = Application.objects.get()
    assert app.status == Status.CORRECTION_REQUESTED
    page = client.get(f"/applications/{app.number}/certificate/").content.decode()
    assert "一次性告知书" in page and "住所使用证明" in page and "法定代表人身份证" in page and "未盖章" in page
    assert response.status_code == 302


def test_non_clerk_cannot_use_the_window(hall: Hall) -> None:
    assert login(hall.citizen).get("/applications/accept/").status_code == 404
    assert Client().get("/applications/accept/").status_code == 302


def test_reviewer_inbox_and_decision(hall: Hall) -> None:
    app = in_review(hall, item=hall.cat.food, now=NOW)
    assert app.number not in login(hall.housing_reviewer).get("/applications/review/").content.decode()
    client = login(hall.reviewer)
    page = client.get("/applications/review/").content.decode()
    assert app.number in page and "deadline-overdue" in page  # March 2026 has passed
    task = ReviewTask.objects.get(application=app, status=TaskStatus.ACTIVE)
    response = client.post(
        f"/applications/tasks/{task.pk}/decide/", {"decision": "refuse", "opinion": "", "version": task.version}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.ACTIVE  # a refusal needs reasons
    client.post(
        f"/applications/tasks/{task.pk}/decide/", {"decision": "approve", "opinion": "同意。", "version": task.version}
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED
    other = ReviewTask.objects.get(application=app, unit=hall.world.housing)
    assert (
        client.post(f"/applications/tasks/{other.pk}/decide/", {"decision": "approve", "opinion": "同意。"}).status_code
        == 404
    )


def test_issue_window_and_citizen_detail_and_rating_link(hall: Hall) -> None:
    client = login(hall.clerk)
    client.post(
        "/applications/accept/",
        {
            **accept_post(hall),
            "item": hall.cat.bank.code,
            "applicant_kind": "person",
            "applicant_name": "张三",
            "applicant_code": CITIZEN_ID,
            "f_account_type": "个人账户",
            "m_business_licence": "provided",
            "m_seal": "provided",
        },
    )
    app = Application.objects.get()
    assert app.applicant_user == hall.citizen
    task = app.tasks.get()
    login(hall.reviewer).post(f"/applications/tasks/{task.pk}/decide/", {"decision": "approve", "opinion": "同意。"})
    assert app.number in client.get("/applications/issue/").content.decode()
    app.refresh_from_db()
    response = client.post(
        f"/applications/{app.number}/act/", {"action": "issue", "method": "post", "version": app.version}
    )
    app.refresh_from_db()
    assert app.status == Status.APPROVED  # post needs a tracking number
    client.post(
        f"/applications/{app.number}/act/",
        {
            "action": "issue",
            "method": "post",
            "tracking_number": "SF100200300",
            "postal_address": "滨城区黄河五路1号",
            "version": app.version,
        },
    )
    app.refresh_from_db()
    assert app.status == Status.ISSUED and response.status_code == 302
    page = login(hall.citizen).get(f"/applications/{app.number}/").content.decode()
    assert f"/ratings/rate/?kind=application&amp;ref={app.number}" in page
    assert "SF100200300" in page
    assert login(hall.world.other_citizen).get(f"/applications/{app.number}/").status_code == 404
    assert Client().get(f"/applications/{app.number}/").status_code == 404


def test_stale_version_on_the_page_is_reported(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.company, now=NOW)
    client = login(hall.clerk)
    response = client.post(
        f"/applications/{app.number}/act/", {"action": "withdraw", "version": app.version + 5}, follow=True
    )
    assert "已被他人修改" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.RECEIVED


def test_citizen_applies_online_and_tracks(hall: Hall) -> None:
    client = login(hall.citizen)
    url = f"/applications/apply/item/{hall.cat.bank.code}/"
    page = client.get(url).content.decode()
    assert CITIZEN_ID in page
    bad = client.post(
        url,
        {"applicant_kind": "person", "applicant_name": "张三", "applicant_code": CITIZEN_ID, "applicant_phone": "1"},
    )
    assert bad.status_code == 400 and "电话号码格式不正确" in bad.content.decode()
    response = client.post(
        url,
        {
            "applicant_kind": "person",
            "applicant_name": "张三",
            "applicant_code": CITIZEN_ID,
            "applicant_phone": "13800138999",
            "f_company_name": "张三",
            "f_phone": "13800138001",
            "f_account_type": "个人账户",
        },
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.channel == "online" and app.applicant_user == hall.citizen
    assert app.number in client.get("/applications/mine/").content.decode()
    assert client.get(f"/applications/apply/bundle/{hall.cat.bundle.code}/").status_code == 200
    assert client.get("/applications/apply/item/NOPE/").status_code == 404
    assert Client().get(url).status_code == 302


def test_proxy_and_assist_pages(hall: Hall) -> None:
    client = login(hall.agent)
    bad = client.post("/applications/proxies/", {"principal_kind": "enterprise", "principal_code": "x"})
    assert bad.status_code == 400
    ok = client.post(
        "/applications/proxies/",
        {
            "principal_kind": "enterprise",
            "principal_name": "滨州示例科技有限公司",
            "principal_code": COMPANY,
            "scope": "食品经营许可",
            "valid_until": "2099-01-01",
        },
    )
    assert ok.status_code == 400  # more than a year ahead
    bad = client.post("/applications/assists/", {"kind": "teleport", "person_name": "", "served_on": "x"})
    assert bad.status_code == 400
    ok = client.post(
        "/applications/assists/",
        {"kind": "home_visit", "person_name": "王大爷", "served_on": "2026-01-05", "note": "上门办理社保认证"},
    )
    assert ok.status_code == 302
    assert "王大爷" in client.get("/applications/assists/").content.decode()
    assert login(hall.citizen).get("/applications/proxies/").status_code == 404


@pytest.mark.parametrize(
    "query", ["", "?start=2026-01-01&end=2026-12-31", "?start=garbage", "?start=2026-05-01&end=2026-01-01"]
)
def test_figures_page(hall: Hall, query: str) -> None:
    in_review(hall, item=hall.cat.company, now=NOW)
    response = login(hall.manager).get(f"/applications/figures/{query}")
    assert response.status_code in (200, 400)
    assert ("日期范围无效" in response.content.decode()) == (response.status_code == 400)
    assert login(hall.citizen).get("/applications/figures/").status_code == 404


def test_project_pages_and_bad_input(hall: Hall) -> None:
    client = login(hall.agent)
    bad = client.post(
        "/applications/projects/", {"name": "", "code": "", "enterprise_name": "", "enterprise_credit_code": "x"}
    )
    assert bad.status_code == 400 and "统一社会信用代码无效" in bad.content.decode()
    ok = client.post(
        "/applications/projects/",
        {
            "name": "标准厂房",
            "code": "2026-371602-01",
            "enterprise_name": "滨州示例科技有限公司",
            "enterprise_credit_code": COMPANY,
        },
    )
    assert ok.status_code == 302
    assert "标准厂房" in client.get(ok.url).content.decode()
    assert login(hall.world.other_citizen).get(ok.url).status_code == 404
    assert login(hall.manager).get("/applications/projects/999/").status_code == 404


def test_unknown_action_on_the_page_is_a_message_not_a_crash(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.company, now=NOW)
    response = login(hall.clerk).post(f"/applications/{app.number}/act/", {"action": "teleport"}, follow=True)
    assert response.status_code == 200 and "未知操作" in response.content.decode()
    assert login(hall.clerk).get(f"/applications/{app.number}/act/").status_code == 405


def test_reviewer_extends_the_limit_on_the_detail_page(hall: Hall) -> None:
    from django.utils import timezone

    app = in_review(hall, item=hall.cat.food, now=timezone.now())
    client = login(hall.reviewer)
    page = client.get(f"/applications/{app.number}/").content.decode()
    assert 'id="extend-form"' in page and 'max="10"' in page and "第四十二条" in page
    assert 'id="extend-form"' not in login(hall.clerk).get(f"/applications/{app.number}/").content.decode()
    post = {"action": "extend", "version": app.version, "days": "12", "approved_by": "王局长", "note": "需现场核查"}
    page = client.post(f"/applications/{app.number}/act/", post, follow=True).content.decode()
    assert "1至10" in page and "已延长办理期限" not in page
    app.refresh_from_db()
    assert app.extension_days == 0
    post["days"] = "10"
    page = client.post(f"/applications/{app.number}/act/", post, follow=True).content.decode()
    assert 'id="extension"' in page and "经负责人王局长批准延长 10 个工作日" in page and "需现场核查" in page
    assert "已短信告知申请人" in page
    assert 'id="extend-form"' not in page and "延长办理期限" in page  # the timeline names the step
    app.refresh_from_db()
    assert app.extension_days == 10
