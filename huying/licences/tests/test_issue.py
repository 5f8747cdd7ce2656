from __future__ import annotations

import datetime as dt

import pytest

from huying.core.errors import ConcurrentModification, InvalidTransition, ValidationFailed
from huying.licences import selectors, services, types
from huying.licences.identifier import parse_identifier
from huying.licences.models import Licence, LicenceStatus, LicenceType

pytestmark = pytest.mark.django_db

PERSON_ID = "360426199101010071"
ISSUER = "91110000600037341L"
COMPANY = "91110000600037341L"


def issue(**kw):
    args = {
        "type_code": types.ID_CARD,
        "holder_code": PERSON_ID,
        "holder_name": "张三",
        "issuer_name": "滨州市公安局",
        "issuer_credit_code": ISSUER,
        "number": "",
    }
    args.update(kw)
    return services.licence_issue(**args)


def test_common_types_loaded_by_migration():
    codes = set(LicenceType.objects.values_list("code", flat=True))
    assert {spec.code for spec in types.COMMON_TYPES} <= codes
    assert LicenceType.objects.get(code=types.BUSINESS_LICENCE).holder_kind == "enterprise"


def test_issue_builds_checked_identifier_and_metadata():
    licence = issue(valid_from=dt.date(2024, 3, 1))
    parsed = parse_identifier(licence.identifier)
    assert parsed.type_code == types.ID_CARD
    assert parsed.issuer_credit_code == ISSUER
    assert parsed.serial == licence.serial
    assert parsed.version == "001"
    # 居民身份证 valid 20 years from valid_from
    assert licence.valid_until == dt.date(2044, 2, 29)
    assert licence.data["持证主体代码类型"] == "111"
    assert licence.data["证照类型代码"] == types.ID_CARD
    assert licence.status == LicenceStatus.VALID


def test_reissue_same_number_makes_new_version_and_supersedes():
    first = issue(type_code=types.REAL_ESTATE_CERTIFICATE, number="鲁(2024)滨州市不动产权第0001号")
    second = issue(type_code=types.REAL_ESTATE_CERTIFICATE, number="鲁(2024)滨州市不动产权第0001号")
    first.refresh_from_db()
    assert first.status == LicenceStatus.SUPERSEDED
    assert second.version == 2 and second.serial == first.serial
    assert second.previous_id == first.pk
    assert parse_identifier(second.identifier).version == "002"
    other = issue(type_code=types.REAL_ESTATE_CERTIFICATE, number="鲁(2024)滨州市不动产权第0002号")
    assert other.version == 1 and other.serial != first.serial
    found = selectors.valid_licence_for(PERSON_ID, types.REAL_ESTATE_CERTIFICATE)
    assert found is not None and found.pk in {second.pk, other.pk}


def test_valid_licence_for_ignores_revoked_expired_and_future():
    assert selectors.valid_licence_for(PERSON_ID, types.ID_CARD) is None
    old = issue(valid_from=dt.date(2000, 1, 1), valid_until=dt.date(2010, 1, 1))
    assert selectors.valid_licence_for(PERSON_ID, types.ID_CARD) is None
    future = issue(number="F", valid_from=dt.date.today() + dt.timedelta(days=3))
    assert selectors.valid_licence_for(PERSON_ID, types.ID_CARD) is None
    good = issue(number="G")
    assert selectors.valid_licence_for(PERSON_ID.lower(), types.ID_CARD) == good
    services.licence_revoke(licence=good, reason="证件遗失")
    assert selectors.valid_licence_for(PERSON_ID, types.ID_CARD) is None
    assert old.pk and future.pk


def test_issue_validates_holder_code_by_kind_and_issuer():
    with pytest.raises(ValidationFailed) as exc:
        issue(holder_code="360426199101010072", issuer_credit_code="91110000600037341X", holder_name="")
    assert set(exc.value.data) == {"holder_code", "issuer_credit_code", "holder_name"}
    # a person's ID number is not a valid holder of a business licence
    with pytest.raises(ValidationFailed) as exc:
        issue(type_code=types.BUSINESS_LICENCE)
    assert "holder_code" in exc.value.data
    lic = issue(type_code=types.BUSINESS_LICENCE, holder_code=COMPANY, holder_name="某某有限公司")
    assert lic.holder_kind == "enterprise"
    with pytest.raises(ValidationFailed) as exc:
        issue(type_code="11100000000013127D999")
    assert "type_code" in exc.value.data
    with pytest.raises(ValidationFailed) as exc:
        issue(valid_from=dt.date(2024, 1, 2), valid_until=dt.date(2024, 1, 1))
    assert "valid_until" in exc.value.data
    assert Licence.objects.count() == 1


def test_revoke_rules():
    licence = issue()
    with pytest.raises(ValidationFailed):
        services.licence_revoke(licence=licence, reason=" ")
    with pytest.raises(ConcurrentModification):
        services.licence_revoke(licence=licence, reason="x", expected_version=licence.row_version + 1)
    revoked = services.licence_revoke(licence=licence, reason="吊销", expected_version=licence.row_version)
    assert revoked.status == LicenceStatus.REVOKED and revoked.revoked_at is not None
    with pytest.raises(InvalidTransition):
        services.licence_revoke(licence=licence, reason="再次")


def test_sweep_registered_and_command_idempotent():
    from io import StringIO

    from django.core.management import call_command

    from huying.core.registry import sweeps

    lic = issue(valid_from=dt.date(2000, 1, 1), valid_until=dt.date(2001, 1, 1))
    line = sweeps.get("licences")()
    assert "1 份" in line
    lic.refresh_from_db()
    assert lic.status == LicenceStatus.EXPIRED
    out = StringIO()
    call_command("licences_sweep", stdout=out)
    assert "0 份" in out.getvalue()


def test_licence_keys_command(settings):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from huying.licences.models import SigningKey

    out = StringIO()
    call_command("licence_keys", "create", stdout=out)
    first = SigningKey.objects.get()
    assert first.kid in out.getvalue()
    with pytest.raises(CommandError):
        call_command("licence_keys", "create", stdout=out)
    call_command("licence_keys", "rotate", stdout=out)
    first.refresh_from_db()
    assert first.retired_at is not None and SigningKey.objects.filter(retired_at__isnull=True).count() == 1
    out = StringIO()
    call_command("licence_keys", "list", stdout=out)
    assert "签名中" in out.getvalue() and "仍可核验" in out.getvalue()
