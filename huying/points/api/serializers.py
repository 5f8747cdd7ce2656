from __future__ import annotations

from rest_framework import serializers

from huying.core.params import id_field

from ..states import ClaimAction


class CodeSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_in = serializers.IntegerField()


class RedeemRequestSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=400)
    points = serializers.IntegerField(min_value=1, max_value=1_000_000)
    merchant = id_field(required=False)


class RedemptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    merchant = serializers.CharField(source="merchant.name")
    points = serializers.IntegerField()
    value_yuan = serializers.DecimalField(max_digits=12, decimal_places=2)
    created_at = serializers.DateTimeField()
    replayed = serializers.BooleanField(help_text="True: the same Idempotency-Key was seen; nothing new was posted")


class ClaimActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ClaimAction.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, required=False)


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    points = serializers.IntegerField()
    reason = serializers.CharField()
    version = serializers.IntegerField()


class BalanceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    balance = serializers.IntegerField()


class MineSerializer(serializers.Serializer):
    accounts = BalanceSerializer(many=True)
    earned = serializers.IntegerField()
    redeemed = serializers.IntegerField()
    expired = serializers.IntegerField()
    appraisal = serializers.IntegerField()
