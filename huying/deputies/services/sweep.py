"""The deputies' periodic check (``manage.py sweep``): suggestions past their reply date are marked
overdue for supervision, and the parties of an agreement whose 30-day window for judicial confirmation
(人民调解法 Art. 33) ends within a week are reminded once by SMS."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.notify import send_sms
from huying.core.statemachine import versioned_update

from .. import states
from ..models import MediationCase, MediationParty, Suggestion

REMIND_DAYS_BEFORE = 7


def _remind(phones: list[str], text: str) -> None:
    for phone in phones:
        send_sms(phone=phone, text=text)


@transaction.atomic
def deputies_sweep(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """(suggestions newly marked overdue, parties reminded)."""
    now = now or timezone.now()
    open_late = Suggestion.objects.filter(
        status__in=[states.ASSIGNED, states.OBJECTED, states.HANDLING], due_at__lt=now, is_overdue=False
    )
    late = versioned_update(open_late, is_overdue=True)
    window = timezone.localtime(now).date() + dt.timedelta(days=REMIND_DAYS_BEFORE)
    due = MediationCase.objects.filter(
        status=states.EFFECTIVE, confirmation_due__lte=window, confirmation_due__gte=timezone.localtime(now).date(),
        confirmation_reminded_at__isnull=True,
    )  # fmt: skip
    reminded = 0
    for case in due.select_for_update():
        text = _(
            "【调解协议】您在%(committee)s达成的调解协议（%(number)s），可在%(due)s前共同向人民法院申请司法确认。"
        ) % {
            "committee": case.committee.name,
            "number": case.number,
            "due": case.confirmation_due,
        }
        phones = list(MediationParty.objects.filter(case=case).exclude(phone="").values_list("phone", flat=True))
        transaction.on_commit(partial(_remind, phones, text))
        reminded += len(phones)
        versioned_update(MediationCase.objects.filter(pk=case.pk), confirmation_reminded_at=now)
    return late, reminded
