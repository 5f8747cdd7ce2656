"""Serializers of the hall API (component names start with "Hall" to stay unique in the schema)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huying.core import params

from ..models import Ticket
from ..selectors import TicketProgress
from ..states import Channel


class HallTakeSerializer(serializers.Serializer):
    item = serializers.CharField(required=False, allow_blank=True, max_length=36, help_text=_("事项实施编码"))
    bundle = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text=_("一件事编码"))
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text=_("手机号（选填）"))
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.MOBILE)


class HallActSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text=_("操作者看到的排队号版本；已被他人修改时返回 409 changed_meanwhile")
    )


class HallTicketSerializer(serializers.ModelSerializer):
    hall = serializers.CharField(source="hall.name")
    matter = serializers.CharField()
    item = serializers.SerializerMethodField()
    bundle = serializers.SerializerMethodField()
    window = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display")
    ahead = serializers.SerializerMethodField()
    estimated_wait_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "public_id",
            "number",
            "hall",
            "matter",
            "item",
            "bundle",
            "channel",
            "status",
            "status_label",
            "window",
            "taken_at",
            "called_at",
            "started_at",
            "finished_at",
            "ahead",
            "estimated_wait_minutes",
            "version",
        ]

    def _progress(self) -> TicketProgress | None:
        progress = self.context.get("progress")
        return progress if isinstance(progress, TicketProgress) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_item(self, obj: Ticket) -> str | None:
        return obj.item.code if obj.item_id and obj.item else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_bundle(self, obj: Ticket) -> str | None:
        return obj.bundle.code if obj.bundle_id and obj.bundle else None

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text=_("窗口号")))
    def get_window(self, obj: Ticket) -> int | None:
        return obj.window.number if obj.window_id and obj.window else None

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text=_("前面等候人数（等待中时）")))
    def get_ahead(self, obj: Ticket) -> int | None:
        p = self._progress()
        return p.ahead if p else None

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text=_("预计等待分钟；无开放窗口时为空")))
    def get_estimated_wait_minutes(self, obj: Ticket) -> int | None:
        p = self._progress()
        return p.estimated_minutes if p else None


class HallDisplayCallSerializer(serializers.Serializer):
    number = serializers.CharField()
    window = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    announced_at = serializers.CharField(allow_null=True)
    text = serializers.CharField()


class HallDisplayWindowSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.CharField()
    is_open = serializers.BooleanField()
    current = serializers.CharField(allow_null=True)


class HallRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HallDisplaySerializer(serializers.Serializer):
    hall = HallRefSerializer()
    now = serializers.CharField()
    calls = HallDisplayCallSerializer(many=True)
    windows = HallDisplayWindowSerializer(many=True)
    waiting = serializers.DictField(child=serializers.IntegerField(), help_text=_("各队列（字母）等候人数"))
    waiting_total = serializers.IntegerField()


class HallFiguresQuerySerializer(serializers.Serializer):
    start = params.date_field(required=False)
    end = params.date_field(required=False)


class HallHourSerializer(serializers.Serializer):
    hour = serializers.IntegerField()
    tickets = serializers.IntegerField()


class HallFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    tickets = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    called = serializers.IntegerField()
    average_wait_minutes = serializers.FloatField(allow_null=True)
    p90_wait_minutes = serializers.FloatField(allow_null=True)
    average_service_minutes = serializers.FloatField(allow_null=True)
    by_hour = HallHourSerializer(many=True)
    open_windows = serializers.IntegerField()
    open_comprehensive_windows = serializers.IntegerField()
    comprehensive_window_share = serializers.FloatField(allow_null=True)
    served = serializers.IntegerField()
    served_at_comprehensive = serializers.IntegerField()
    comprehensive_served_share = serializers.FloatField(allow_null=True)


def ticket_data(ticket: Ticket, progress: TicketProgress | None = None) -> dict[str, Any]:
    return HallTicketSerializer(ticket, context={"progress": progress}).data  # type: ignore[no-any-return]
