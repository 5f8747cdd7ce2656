from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huying.core.models import AuditLog
from huying.licences import services, types
from huying.licences.models import Authorisation, LicenceUse

from .conftest import ISSUER, id_with_check

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def token_from(html: str) -> str:
    match = re.search(r'data-token="([^"]+)"', html)
    assert match, "no data-token on the page"
    return match.group(1)


def test_wallet_lists_own_and_authorised(client, lw):
    services.authorisation_grant(
        licence=lw.other_licence,
        grantee=lw.holder,
        purpose="代办",
        valid_until=__import__("django.utils.timezone").utils.timezone.now() + __import__("datetime").timedelta(days=1),
        actor=lw.other,
    )
    body = login(client, lw.holder).get(reverse("licences:wallet")).content.decode()
    assert f'data-licence="{lw.licence.pk}"' in body
    assert body.count(f'data-licence="{lw.other_licence.pk}"') == 1  # only under 他人授权
    assert "他人授权我使用的证照" in body


def test_wallet_needs_login_and_id(client, lw):
    response = client.get(reverse("licences:wallet"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    lw.world.supervisor.id_number = ""
    body = login(client, lw.world.supervisor).get(reverse("licences:wallet")).content.decode()
    assert "尚未完成实名认证" in body


def test_show_page_has_qr_with_token_only(client, lw):
    response = login(client, lw.holder).get(reverse("licences:show", args=[lw.licence.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "<svg" in body
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    token = token_from(body)
    use = services.token_verify(token=token, verifier=lw.clerk, place="", purpose="核验")
    assert use.licence == lw.licence
    fresh = client.get(reverse("licences:token", args=[lw.licence.pk])).json()
    assert fresh["token"] != token and "<svg" in fresh["svg"] and fresh["expires_in"] == 60


def test_citizen_cannot_show_anothers_licence(client, lw):
    login(client, lw.other)
    assert client.get(reverse("licences:show", args=[lw.licence.pk])).status_code == 404
    assert client.get(reverse("licences:token", args=[lw.licence.pk])).status_code == 404
    assert client.get(reverse("licences:authorisations", args=[lw.licence.pk])).status_code == 404
    assert client.get(reverse("licences:show", args=[999999])).status_code == 404
    client.logout()
    assert client.get(reverse("licences:token", args=[lw.licence.pk])).status_code == 401


def test_citizen_cannot_open_scanner_or_import(client, lw):
    login(client, lw.holder)
    assert client.get(reverse("licences:verify")).status_code == 404
    assert client.post(reverse("licences:verify"), {"token": "x", "purpose": "y"}).status_code == 404
    assert client.get(reverse("licences:import")).status_code == 404
    login(client, lw.clerk)
    assert client.get(reverse("licences:import")).status_code == 404


def test_scanner_verifies_and_masks(client, lw):
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    login(client, lw.reviewer)
    url = reverse("licences:verify") + "?application=BZ2026000007&item=371600-0001"
    page = client.get(url).content.decode()
    assert 'value="BZ2026000007"' in page and 'value="371600-0001"' in page
    response = client.post(
        url,
        {
            "token": token,
            "purpose": "办理营业执照核验身份",
            "place": "3号窗口",
            "application": "BZ2026000007",
            "item": "371600-0001",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "核验通过" in body
    assert lw.holder.id_number not in body and "张*" in body
    assert lw.holder.id_number[:6] + "********" + lw.holder.id_number[-4:] in body
    assert "查看完整信息" not in body  # reviewers see the masked licence only
    use = LicenceUse.objects.get()
    assert use.application_ref == "BZ2026000007" and use.item_code == "371600-0001"
    # the same code again: refused in red
    again = client.post(url, {"token": token, "purpose": "再次核验"})
    assert (
        again.status_code == 400 and "已被使用" in again.content.decode() and "verify-error" in again.content.decode()
    )
    assert client.post(reverse("licences:full_view", args=[use.pk])).status_code == 403


def test_clerk_full_view_logged(client, lw):
    token = services.show_token_issue(licence=lw.licence, user=lw.holder)
    login(client, lw.clerk)
    body = client.post(reverse("licences:verify"), {"token": token, "purpose": "核验身份"}).content.decode()
    assert "查看完整信息" in body
    use = LicenceUse.objects.get()
    full = client.post(reverse("licences:full_view", args=[use.pk]))
    assert full.status_code == 200 and lw.holder.id_number in full.content.decode()
    assert "黄河五路" in full.content.decode()
    assert AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW, actor=lw.clerk).count() == 1
    # another clerk cannot open this use
    from huying.accounts.roles import Role
    from tests.fixtures import make_user

    other_clerk = make_user("clerk2", Role.CLERK, lw.hall)
    login(client, other_clerk)
    assert client.post(reverse("licences:full_view", args=[use.pk])).status_code == 404


def test_scanner_bad_input(client, lw):
    login(client, lw.clerk)
    response = client.post(reverse("licences:verify"), {"token": "", "purpose": ""})
    assert response.status_code == 400 and "field-error" in response.content.decode()
    response = client.post(reverse("licences:verify"), {"token": "garbage!", "purpose": "核验"})
    assert response.status_code == 400 and "签名不符" in response.content.decode()
    response = client.post(reverse("licences:verify"), {"token": "a" * 500, "purpose": "核验"})
    assert response.status_code == 400


def test_uses_page_lists_holder_uses(client, lw):
    services.token_verify(
        token=services.show_token_issue(licence=lw.licence, user=lw.holder),
        verifier=lw.clerk,
        place="1号窗口",
        purpose="户籍业务",
    )
    body = login(client, lw.holder).get(reverse("licences:uses")).content.decode()
    assert "户籍业务" in body and "滨州市政务服务中心" in body
    assert "户籍业务" not in login(client, lw.other).get(reverse("licences:uses")).content.decode()


def test_authorisation_pages(client, lw):
    login(client, lw.holder)
    url = reverse("licences:authorisations", args=[lw.licence.pk])
    bad = client.post(url, {"action": "grant", "grantee": "nobody", "purpose": "代办", "valid_until": "2020-01-01"})
    assert bad.status_code == 400 and "被授权人不存在" in bad.content.decode() and "应晚于现在" in bad.content.decode()
    good = client.post(
        url, {"action": "grant", "grantee": lw.other.phone, "purpose": "代办", "valid_until": "2099-01-01"}
    )
    assert good.status_code == 400  # more than a year
    import datetime as dt

    day = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert (
        client.post(url, {"action": "grant", "grantee": "citizen2", "purpose": "代办", "valid_until": day}).status_code
        == 302
    )
    authorisation = Authorisation.objects.get()
    # the grantee sees and shows it
    login(client, lw.other)
    assert f'data-licence="{lw.licence.pk}"' in client.get(reverse("licences:wallet")).content.decode()
    assert client.get(reverse("licences:show", args=[lw.licence.pk])).status_code == 200
    login(client, lw.holder)
    assert client.post(url, {"action": "revoke", "authorisation": authorisation.pk}).status_code == 302
    assert client.post(url, {"action": "revoke", "authorisation": "abc"}).status_code == 302
    login(client, lw.other)
    assert client.get(reverse("licences:show", args=[lw.licence.pk])).status_code == 404


def test_import_page(client, lw):
    login(client, lw.admin)
    header = "证照类型代码,持证主体代码,持证主体,证照颁发机构,证照颁发机构代码,证照编号\n"
    good = f"{types.SOCIAL_SECURITY_CARD},{id_with_check('37160220030303001')},王一,滨州市人社局,{ISSUER},S1\n"
    bad = f"{types.SOCIAL_SECURITY_CARD},123,王二,滨州市人社局,{ISSUER},S2\n"
    response = client.post(
        reverse("licences:import"), {"file": SimpleUploadedFile("a.csv", (header + good + bad).encode())}
    )
    body = response.content.decode()
    assert response.status_code == 400 and 'id="import-errors"' in body and "<td>3</td>" in body
    response = client.post(reverse("licences:import"), {"file": SimpleUploadedFile("a.csv", (header + good).encode())})
    assert response.status_code == 200 and "已导入 1 份" in response.content.decode()
    assert client.post(reverse("licences:import"), {}).status_code == 400


def test_types_page(client, lw):
    body = client.get(reverse("licences:types")).content.decode()
    assert types.BUSINESS_LICENCE in body and "营业执照" in body
