"""Through the services: every allowed (state, action) pair, and one refused pair per state.

Every refused pair is checked against the table, without a database, in test_transition_table."""

from __future__ import annotations

import datetime as dt

import pytest

from huying.core.errors import InvalidTransition
from huying.licences import services, types
from huying.licences.models import Licence
from huying.licences.states import TRANSITIONS, Action, LicenceStatus
from tests.fixtures.statemachine import ids, service_pairs

pytestmark = pytest.mark.django_db

HOLDER = "360426199101010071"


def licence_in(status: str, number: str) -> Licence:
    licence = services.licence_issue(
        type_code=types.REAL_ESTATE_CERTIFICATE,
        holder_code=HOLDER,
        holder_name="张三",
        issuer_name="滨州市自然资源和规划局",
        issuer_credit_code="91110000600037341L",
        number=number,
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2099, 1, 1),
    )
    Licence.objects.filter(pk=licence.pk).update(status=status)
    licence.refresh_from_db()
    return licence


def apply(action: str, licence: Licence) -> None:
    if action == Action.REVOKE:
        services.licence_revoke(licence=licence, reason="测试")
    elif action == Action.EXPIRE:
        Licence.objects.filter(pk=licence.pk).update(valid_until=dt.date(2020, 6, 1))
        if services.licences_expire() == 0:
            raise InvalidTransition()
    else:
        before = licence.status
        services.licence_issue(
            type_code=types.REAL_ESTATE_CERTIFICATE,
            holder_code=HOLDER,
            holder_name="张三",
            issuer_name="滨州市自然资源和规划局",
            issuer_credit_code="91110000600037341L",
            number=licence.number,
        )
        licence.refresh_from_db()
        if licence.status == before:  # a revoked (or already superseded) version is left as it is
            raise InvalidTransition()


PAIRS = service_pairs(TRANSITIONS, LicenceStatus.values, Action.values)


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=ids(PAIRS))
def test_every_state_action_pair(status, action):
    licence = licence_in(status, f"{status}-{action}")
    step = TRANSITIONS.get(status, action)
    if step is None:
        with pytest.raises(InvalidTransition):
            apply(action, licence)
        licence.refresh_from_db()
        assert licence.status == status
    else:
        apply(action, licence)
        licence.refresh_from_db()
        assert licence.status == step.target
