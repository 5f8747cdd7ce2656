"""What the appeal API renders: appeals (list, detail, public), intake outcomes, events, attachments, tokens."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huying.accounts.selectors import Actor
from huying.core import deadlines
from huying.core.drf import ShallowFieldsSerializer
from huying.core.masking import mask_id_number, mask_name, mask_phone

from ... import selectors
from ...models import Appeal, AppealEvent
from ...permissions import allowed_actions, can_view_personal_data
from ...public_history import public_history
from ...states import (
    Action,
    AppealType,
    Channel,
    ReferTarget,
    Resolution,
    Satisfaction,
    Status,
    Urgency,
    event_label,
    status_label,
)
from .references import CategoryRefSerializer, DivisionRefSerializer, TimeLimitSerializer, UnitRefSerializer

# Event data for staff only (a reply-quality warning is an internal note).
STAFF_ONLY_DATA = frozenset({"reply_warnings"})


# --- appeals: output ------------------------------------------------------------------------


class RepeatRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)


class _ActorMixin:
    context: dict[str, Any]

    @property
    def actor(self) -> Actor:
        return self.context["actor"]  # type: ignore[no-any-return]


class AppealListItemSerializer(_ActorMixin, serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    channel = serializers.ChoiceField(choices=Channel.choices)
    appeal_type = serializers.ChoiceField(choices=AppealType.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    title = serializers.CharField()
    category = CategoryRefSerializer(allow_null=True)
    lead_unit = UnitRefSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    deadline_state = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField()
    supervise_level = serializers.IntegerField()
    version = serializers.IntegerField(help_text=_("乐观锁版本号；执行操作时作为 version 提交"))
    allowed_actions = serializers.SerializerMethodField(help_text=_("当前用户此刻可执行的操作"))

    @extend_schema_field(serializers.ChoiceField(choices=deadlines.CHOICES))
    def get_deadline_state(self, appeal: Appeal) -> str:
        return selectors.appeal_deadline(appeal)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Action.choices)))
    def get_allowed_actions(self, appeal: Appeal) -> list[str]:
        return [str(a) for a in allowed_actions(self.actor, appeal)]


class AppealDetailSerializer(AppealListItemSerializer):
    content = serializers.CharField()
    division = DivisionRefSerializer(allow_null=True)
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    is_anonymous = serializers.BooleanField()
    is_confidential = serializers.BooleanField()
    requester_hidden = serializers.SerializerMethodField(
        help_text=_("为诉求人保密的工单：承办单位看不到诉求人的任何信息")
    )
    requester_name = serializers.SerializerMethodField()
    requester_phone = serializers.SerializerMethodField(help_text=_("脱敏显示；完整号码请调用 personal-data 接口"))
    requester_id_number = serializers.SerializerMethodField(help_text=_("脱敏显示（前6后4）"))
    assist_units = serializers.SerializerMethodField()
    time_limit = serializers.SerializerMethodField()
    paused_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    dispatched_at = serializers.DateTimeField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    is_signed_on_time = serializers.BooleanField(allow_null=True)
    is_replied_on_time = serializers.BooleanField(allow_null=True)
    reply_text = serializers.CharField()
    refer_target = serializers.ChoiceField(choices=ReferTarget.choices, allow_blank=True)
    resolution = serializers.ChoiceField(choices=Resolution.choices, allow_blank=True)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, allow_blank=True)
    rehandle_count = serializers.IntegerField()
    repeat_count = serializers.IntegerField()
    merged_into = RepeatRefSerializer(allow_null=True)

    def _hidden(self, appeal: Appeal) -> bool:
        return appeal.is_confidential and not can_view_personal_data(self.actor, appeal)

    def get_requester_hidden(self, appeal: Appeal) -> bool:
        return self._hidden(appeal)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requester_name(self, appeal: Appeal) -> str | None:
        return None if self._hidden(appeal) else appeal.requester_name

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requester_phone(self, appeal: Appeal) -> str | None:
        return None if self._hidden(appeal) else mask_phone(appeal.requester_phone)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requester_id_number(self, appeal: Appeal) -> str | None:
        return None if self._hidden(appeal) else mask_id_number(appeal.requester_id_number)

    @extend_schema_field(UnitRefSerializer(many=True))
    def get_assist_units(self, appeal: Appeal) -> list[dict[str, Any]]:
        units = [a.unit for a in appeal.assignments.all() if a.is_active and a.role == a.Role.ASSIST]
        return UnitRefSerializer(units, many=True).data  # type: ignore[return-value]

    @extend_schema_field(TimeLimitSerializer(allow_null=True))
    def get_time_limit(self, appeal: Appeal) -> dict[str, Any] | None:
        if not appeal.time_limit_amount:
            return None
        return {"amount": appeal.time_limit_amount, "unit": appeal.time_limit_unit}


class _IntakeOutcomeMixin(serializers.Serializer):
    repeat_of = serializers.SerializerMethodField(
        help_text=_("同一诉求人就同一事项已有在办工单时，本诉求并入该工单（本工单状态为 merged）")
    )
    warnings = serializers.SerializerMethodField()

    @extend_schema_field(RepeatRefSerializer(allow_null=True))
    def get_repeat_of(self, appeal: Appeal) -> dict[str, Any] | None:
        lead = self.context.get("repeat_of")
        return RepeatRefSerializer(lead).data if lead is not None else None  # type: ignore[return-value]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, appeal: Appeal) -> list[str]:
        return [str(w) for w in self.context.get("warnings", [])]


class _StatusLabelField(serializers.CharField):
    """The status's label. (Django's ``get_status_display`` rebuilds a dict of every choice per call,
    which showed in the intake's profile.)"""

    def to_representation(self, value: Any) -> str:
        return str(Status(value).label)


class AppealSubmitResultSerializer(ShallowFieldsSerializer, _IntakeOutcomeMixin):
    """What intake answers: enough to tell the caller the number and what happens next.

    Slim on purpose (intake is the hot path); GET /appeals/{id}/ gives the whole order."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = _StatusLabelField(source="status")
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    lead_unit = UnitRefSerializer(allow_null=True)


class AppealRecordCallResultSerializer(_IntakeOutcomeMixin, AppealDetailSerializer):
    """The operator sees the whole dispatched order at once (units, deadline, allowed actions)."""


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField(help_text=_("操作代码（状态机操作，或 submit、repeat_linked、overdue 等系统事件）"))
    action_display = serializers.SerializerMethodField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    to_status_display = serializers.SerializerMethodField()
    note = serializers.CharField()
    actor_name = serializers.SerializerMethodField(help_text=_("操作人；市民看到的进度中不显示"))
    actor_unit = UnitRefSerializer(allow_null=True)
    data = serializers.JSONField()  # type: ignore[assignment]
    is_public = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    def get_action_display(self, event: AppealEvent) -> str:
        return event_label(event.action)

    def get_to_status_display(self, event: AppealEvent) -> str:
        return status_label(event.to_status)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor_name(self, event: AppealEvent) -> str | None:
        if self.context.get("public_only") or event.actor is None:
            return None
        return str(event.actor)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        out: dict[str, Any] = super().to_representation(instance)
        if self.context.get("public_only") and isinstance(out.get("data"), dict):
            out["data"] = {k: v for k, v in out["data"].items() if k not in STAFF_ONLY_DATA}
        return out


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text=_("字节数"))
    created_at = serializers.DateTimeField()


class PublicEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_display = serializers.SerializerMethodField()
    to_status = serializers.CharField()
    to_status_display = serializers.SerializerMethodField()
    note = serializers.CharField()
    unit = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_action_display(self, event: AppealEvent) -> str:
        return event_label(event.action)

    def get_to_status_display(self, event: AppealEvent) -> str:
        return status_label(event.to_status)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_unit(self, event: AppealEvent) -> str | None:
        return event.actor_unit.label if event.actor_unit else None


class PublicAppealSerializer(serializers.Serializer):
    """What a requester sees after verifying the code sent to their phone: no staff names."""

    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    appeal_type = serializers.ChoiceField(choices=AppealType.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    category = serializers.SerializerMethodField()
    lead_unit = serializers.SerializerMethodField()
    requester_name = serializers.SerializerMethodField()
    requester_phone = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    reply_text = serializers.CharField()
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_category(self, appeal: Appeal) -> str | None:
        return str(appeal.category) if appeal.category else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_lead_unit(self, appeal: Appeal) -> str | None:
        return appeal.lead_unit.label if appeal.lead_unit else None

    def get_requester_name(self, appeal: Appeal) -> str:
        return mask_name(appeal.requester_name)

    def get_requester_phone(self, appeal: Appeal) -> str:
        return mask_phone(appeal.requester_phone)

    @extend_schema_field(PublicEventSerializer(many=True))
    def get_timeline(self, appeal: Appeal) -> list[dict[str, Any]]:
        # The requester reads what was done and what was said to them, never the staff's notes.
        events = []
        for entry in public_history(appeal):
            entry.event.note = "\n".join(text for text in (entry.summary, entry.note) if text)
            events.append(entry.event)
        return PublicEventSerializer(events, many=True).data  # type: ignore[return-value]


class PersonalDataSerializer(serializers.Serializer):
    requester_name = serializers.CharField()
    requester_phone = serializers.CharField()
    requester_id_number = serializers.CharField()


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField()
