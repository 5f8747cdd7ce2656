"""Phones and ID numbers in volunteering: masked everywhere; revealed with a purpose, each reveal audited.

- A need's contact phone: to the volunteer who claimed it (to call before going) and to organisers
  of the need's station (个人信息保护法 Art. 6: only who serves the need).
- A volunteer's phone and ID number: to organisers of a unit that holds one of the volunteer's teams
  or their station (谁组织谁记录). Published nowhere without the volunteer's consent (条例 Art. 20).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from huying.core.personal_data import RevealPolicy, personal_data_reveal, register_reveal_policy

from ..models import Need, Volunteer
from ..permissions import organises, resolve, volunteer_of


def _may_reveal_need(actor: Any, need: Need) -> bool:
    me = volunteer_of(actor)
    return (me is not None and need.claimed_by_id == me.pk) or organises(actor, need.station.org_unit)


def _may_reveal_volunteer(actor: Any, volunteer: Volunteer) -> bool:
    units = [team.org_unit for team in volunteer.teams.select_related("org_unit")]
    if volunteer.station is not None:
        units.append(volunteer.station.org_unit)
    return any(organises(actor, unit) for unit in units)


register_reveal_policy(
    Need,
    RevealPolicy(
        may_reveal=_may_reveal_need,
        values=lambda need: {"contact_phone": need.contact_phone},
        describe=lambda need: f"查看志愿服务需求 {need.number} 联系人完整电话",
        denied=gettext_lazy("只有认领该需求的志愿者和站点组织方可以查看完整电话。"),
    ),
)
register_reveal_policy(
    Volunteer,
    RevealPolicy(
        may_reveal=_may_reveal_volunteer,
        values=lambda v: {"phone": v.phone, "id_number": v.id_number},
        describe=lambda v: f"查看志愿者 {v.number} 完整电话和身份证号",
        denied=gettext_lazy("只有该志愿者所在队伍或站点的组织方可以查看。"),
    ),
)


def need_reveal_contact(*, actor: Any, need: Need, purpose: str, ip_address: str | None = None) -> dict[str, str]:
    return personal_data_reveal(actor=resolve(actor), record=need, purpose=purpose, ip_address=ip_address)


def volunteer_reveal(
    *, actor: Any, volunteer: Volunteer, purpose: str, ip_address: str | None = None
) -> dict[str, str]:
    return personal_data_reveal(actor=resolve(actor), record=volunteer, purpose=purpose, ip_address=ip_address)
