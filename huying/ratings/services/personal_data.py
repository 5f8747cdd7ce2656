"""The rater's phone on a rectification case: masked; the unit handling the case and its supervisors
reveal it with a purpose (to call the rater back), every reveal audited."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from huying.accounts.models import User
from huying.accounts.selectors import Actor, actor_for
from huying.core.personal_data import RevealPolicy, personal_data_reveal, register_reveal_policy

from ..models import RectificationCase
from ..permissions import roles_for


def _may_reveal(actor: Actor, case: RectificationCase) -> bool:
    return bool(case.rating.rater_phone) and bool(roles_for(actor, case))


register_reveal_policy(
    RectificationCase,
    RevealPolicy(
        may_reveal=_may_reveal,
        values=lambda case: {"rater_phone": case.rating.rater_phone},
        describe=lambda case: f"查看差评整改单 {case.pk} 评价人完整电话",
        denied=gettext_lazy("您无权查看该评价人的完整电话。"),
    ),
)


def case_reveal_rater_phone(
    *, actor: Actor | User, case: RectificationCase, purpose: str, ip_address: str | None = None
) -> dict[str, str]:
    """The rater's full phone for the unit handling the case or its supervisor; audited."""
    resolved = actor_for(actor)
    return personal_data_reveal(actor=resolved, record=case, purpose=purpose, ip_address=ip_address)
