from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Draw, Event


class OpenDaySerializer(serializers.ModelSerializer[Event]):
    unit = serializers.CharField(source="unit.name", help_text=_("主办单位"))

    class Meta:
        model = Event
        fields = ["id", "title", "kind", "unit", "area", "venue", "starts_at", "registration_ends_at", "panel_size",
                  "min_age", "one_per_household", "exclusions", "seed_source", "status", "announced_at"]  # fmt: skip


class OpenDayDrawSerializer(serializers.ModelSerializer[Draw]):
    panel_count = serializers.SerializerMethodField(help_text=_("等可能名单的个数 M"))

    class Meta:
        model = Draw
        fields = ["sequence", "seats", "method", "quotas", "digest", "panel_count", "chances", "min_chance", "seed",
                  "index", "chosen", "published_at", "drawn_at"]  # fmt: skip

    def get_panel_count(self, obj: Draw) -> int:
        return len(obj.panels)
