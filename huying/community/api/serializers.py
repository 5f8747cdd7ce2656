from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class PostingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    item = serializers.CharField(help_text=_("公开目录事项"))
    body = serializers.CharField()
    published_at = serializers.DateTimeField()
    objection_until = serializers.DateField(allow_null=True, help_text=_("村（居）民可提出异议的最后一日"))
    on_board = serializers.BooleanField(help_text=_("是否正张贴在公开栏上"))


class SurveyResultSerializer(serializers.Serializer):
    title = serializers.CharField()
    sample_design = serializers.CharField()
    satisfaction = serializers.DecimalField(max_digits=5, decimal_places=2)


class BoardSerializer(serializers.Serializer):
    unit = serializers.CharField()
    kind = serializers.CharField()
    postings = PostingSerializer(many=True)
    surveys = SurveyResultSerializer(many=True)


class DutySerializer(serializers.Serializer):
    item = serializers.CharField()
    cadence = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_on = serializers.DateField()
    state = serializers.ChoiceField(
        choices=["ok", "due_soon", "overdue", "done", "late"],
        help_text=_("ok 未到期；due_soon 即将到期（提醒）；overdue 已超期未公开；done 按时公开；late 逾期后公开"),
    )
    publication_id = serializers.IntegerField(allow_null=True)


class VoteSerializer(serializers.Serializer):
    option = serializers.IntegerField(allow_null=True, min_value=1, help_text=_("表决方案ID；null 为弃权"))
    opinion = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class VoteResultSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    option = serializers.IntegerField(allow_null=True)
