"""One endpoint per action of the appeal state machine, and the problem+json answers for unknown actions and paths."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huying.accounts.api import ApiView
from huying.accounts.roles import CITIZEN, Role
from huying.core.drf import validated
from huying.core.errors import NotFound, ValidationFailed

from ... import errors, selectors, services
from ...models import Appeal
from ...states import FOLLOW_UP_FAILED_TARGET, GRID_ROLE_LABELS, TRANSITIONS, Action, Status
from .. import serializers as s
from .common import APPEAL_ID, appeal_data, problems

# --- actions of the state machine ------------------------------------------------------------

ACTION_INPUTS: dict[str, type[s.ActionSerializer]] = {
    Action.DISPATCH: s.DispatchActionSerializer,
    Action.APPROVE_RETURN: s.DispatchActionSerializer,
    Action.REFER: s.ReferActionSerializer,
    Action.MERGE: s.MergeActionSerializer,
    Action.REQUEST_EXTENSION: s.RequestExtensionActionSerializer,
    Action.APPROVE_EXTENSION: s.ApproveExtensionActionSerializer,
    Action.FOLLOW_UP: s.FollowUpActionSerializer,
}


def _role_label(role: str) -> str:
    if role in GRID_ROLE_LABELS:
        return str(GRID_ROLE_LABELS[role])
    return str(gettext_lazy("市民（本人）")) if role == CITIZEN else str(Role(role).label)


def _action_description(action: Action) -> str:
    """Where the action applies, who may take it and whether a note is needed, from TRANSITIONS."""
    rows = [t for t in TRANSITIONS.transitions if t.action == action]
    lines = []
    for t in rows:
        roles = "、".join(sorted(_role_label(r) for r in t.roles))
        note = str(gettext_lazy("，须填写说明")) if t.needs_note else ""
        lines.append(f"- {Status(t.source).label} → {Status(t.target).label}（{roles}{note}）")
    if action == Action.FOLLOW_UP:
        lines.append(
            str(gettext_lazy("未解决或不满意时转为「%(status)s」，由热线退回重办。"))
            % {"status": Status(FOLLOW_UP_FAILED_TARGET).label}
        )
    return "\n".join(lines)


class AppealActionView(ApiView):
    action_code: str
    input_class: type[s.ActionSerializer] = s.ActionSerializer

    def perform(self, request: Request, pk: int) -> Response:
        data = validated(self.input_class, request.data)
        note = data.pop("note", "")
        expected_version = data.pop("version", None)
        if self.action_code == Action.MERGE:
            data["merge_into"] = self._merge_target(data["merge_into"])
        if data.get("extension_days", 0) is None:
            data.pop("extension_days")
        services.appeal_transition(
            actor=request.user,
            appeal=pk,
            action=self.action_code,
            note=note,
            expected_version=expected_version,
            **data,
        )
        appeal = selectors.appeal_get_for(actor=self.actor, appeal_id=pk)
        return Response(appeal_data(appeal, self.actor))

    def _merge_target(self, value: str) -> Appeal:
        value = value.strip()
        try:
            return selectors.appeal_get_for(actor=self.actor, number=value)
        except NotFound:
            pass
        if value.isdigit() and len(value) <= 12:
            try:
                return selectors.appeal_get_for(actor=self.actor, appeal_id=int(value))
            except NotFound:
                pass
        message = _("目标工单不存在或已办结。")
        raise ValidationFailed(message, data={"merge_into": message})


def _make_action_view(action: Action) -> type[AppealActionView]:
    input_class = ACTION_INPUTS.get(action, s.ActionSerializer)

    def post(self: AppealActionView, request: Request, pk: int) -> Response:
        return self.perform(request, pk)

    schema = extend_schema(
        operation_id=f"appeals_action_{action.value}",
        parameters=[APPEAL_ID],
        summary=f"{action.label}（{action.value}）",
        description=_action_description(action),
        request=input_class,
        responses={200: s.AppealDetailSerializer, **problems(400, 401, 403, 404, 409)},
        tags=["appeal-actions"],
    )
    name = "".join(part.title() for part in action.value.split("_"))
    attrs = {"post": schema(post), "action_code": action.value, "input_class": input_class, "__module__": __name__}
    return type(f"Appeal{name}ActionView", (AppealActionView,), attrs)


# Joint replies close many orders at once and go through a key problem (huying.dispatch), not one order.
ACTION_VIEWS: dict[str, type[AppealActionView]] = {
    action.value: _make_action_view(action) for action in Action if action != Action.JOINT_REPLY
}


@extend_schema(exclude=True)
class UnknownActionView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        action = str(kwargs.get("action", ""))[:40]
        raise NotFound(
            _("未知操作：%(action)s。") % {"action": action}, code=errors.UNKNOWN_ACTION, data={"action": action}
        )
