from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huying.core.errors import InvalidTransition, NotFound, ValidationFailed
from huying.licences import services, types
from huying.licences.models import Authorisation, Licence, LicenceSource

from .conftest import ISSUER, id_with_check

pytestmark = pytest.mark.django_db


def grant(lw, **kw):
    args = {
        "licence": lw.licence,
        "grantee": lw.other,
        "purpose": "代办户口迁移",
        "valid_until": timezone.now() + dt.timedelta(days=3),
        "actor": lw.holder,
    }
    args.update(kw)
    return services.authorisation_grant(**args)


def verify(lw, token):
    return services.token_verify(token=token, verifier=lw.clerk, place="2号窗口", purpose="代办户口迁移核验")


def test_grantee_shows_while_valid_and_use_recorded_with_authorisation(lw):
    authorisation = grant(lw)
    use = verify(lw, services.show_token_issue(licence=lw.licence, user=lw.other))
    assert use.authorisation == authorisation and use.shown_by == lw.other
    token = services.show_token_issue(licence=lw.licence, user=lw.other)
    services.authorisation_revoke(authorisation=authorisation, actor=lw.holder)
    with pytest.raises(ValidationFailed) as exc:
        verify(lw, token)  # a code shown before the revocation stops working
    assert exc.value.code == "authorisation_inactive"
    with pytest.raises(NotFound):
        services.show_token_issue(licence=lw.licence, user=lw.other)
    with pytest.raises(InvalidTransition):
        services.authorisation_revoke(authorisation=authorisation, actor=lw.holder)


def test_authorisation_expiry(lw):
    authorisation = grant(lw)
    Authorisation.objects.filter(pk=authorisation.pk).update(valid_until=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(NotFound):
        services.show_token_issue(licence=lw.licence, user=lw.other)


def test_only_holder_grants_and_revokes(lw):
    with pytest.raises(NotFound):
        grant(lw, actor=lw.other, grantee=lw.world.supervisor)
    authorisation = grant(lw)
    with pytest.raises(NotFound):
        services.authorisation_revoke(authorisation=authorisation, actor=lw.other)


def test_grant_bad_input(lw):
    with pytest.raises(ValidationFailed) as exc:
        grant(lw, purpose="", grantee=lw.holder, valid_until=timezone.now() - dt.timedelta(days=1))
    assert set(exc.value.data) == {"purpose", "grantee", "valid_until"}
    with pytest.raises(ValidationFailed) as exc:
        grant(lw, grantee=None, valid_until=timezone.now() + dt.timedelta(days=400))
    assert set(exc.value.data) == {"grantee", "valid_until"}
    assert not Authorisation.objects.exists()


HEADER = ["证照类型代码", "持证主体代码", "持证主体", "证照颁发机构", "证照颁发机构代码", "证照编号", "有效期起始日期"]


def csv_file(rows, name="licences.csv", encoding="utf-8-sig"):
    text = "\n".join(",".join(r) for r in [HEADER, *rows])
    return SimpleUploadedFile(name, text.encode(encoding))


def good_row(n):
    return [
        types.SOCIAL_SECURITY_CARD,
        id_with_check(f"37160220030303{n:03d}"),
        f"王{n}",
        "滨州市人社局",
        ISSUER,
        f"S{n}",
        "2024-01-01",
    ]


def test_import_csv_creates_all(lw):
    before = Licence.objects.count()
    report = services.licence_import(csv_file([good_row(1), good_row(2)]), actor=lw.admin)
    assert report.ok and report.created == 2 and report.rows == 2
    assert Licence.objects.count() == before + 2
    lic = Licence.objects.get(number="S1")
    assert lic.source == LicenceSource.IMPORTED and lic.valid_until == dt.date(2033, 12, 31)


def test_import_row_errors_save_nothing(lw):
    bad_holder = good_row(3)
    bad_holder[1] = "371602200303030000"
    bad_type = good_row(4)
    bad_type[0] = "XYZ"
    bad_date = good_row(5)
    bad_date[6] = "2024/13/01"
    bad_issuer = good_row(6)
    bad_issuer[4] = "123"
    before = Licence.objects.count()
    report = services.licence_import(
        csv_file([good_row(1), bad_holder, bad_type, bad_date, bad_issuer], encoding="gb18030"), actor=lw.admin
    )
    assert not report.ok and report.created == 0
    assert {(e.row, e.field) for e in report.errors} == {
        (3, "holder_code"),
        (4, "type_code"),
        (5, "valid_from"),
        (6, "issuer_credit_code"),
    }
    assert Licence.objects.count() == before


def test_import_enterprise_row_needs_credit_code(lw):
    row = good_row(1)
    row[0] = types.BUSINESS_LICENCE
    report = services.licence_import(csv_file([row]), actor=lw.admin)
    assert [(e.row, e.field) for e in report.errors] == [(2, "holder_code")]


def test_import_xlsx(lw):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    row = good_row(7)
    sheet.append([*row[:6], dt.date(2024, 5, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    report = services.licence_import(SimpleUploadedFile("l.xlsx", buffer.getvalue()), actor=lw.admin)
    assert report.ok and Licence.objects.get(number="S7").valid_from == dt.date(2024, 5, 1)


def test_import_bad_files(lw):
    with pytest.raises(ValidationFailed):
        services.licence_import(SimpleUploadedFile("x.csv", b""), actor=lw.admin)
    with pytest.raises(ValidationFailed) as exc:
        services.licence_import(SimpleUploadedFile("x.csv", "证照编号\nA\n".encode()), actor=lw.admin)
    assert "持证主体代码" in str(exc.value.data["file"])
    with pytest.raises(ValidationFailed):
        services.licence_import(SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage"), actor=lw.admin)
    with pytest.raises(ValidationFailed):
        services.licence_import(SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x81\x00"), actor=lw.admin)
