from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from huying.core.masking import mask_id_number, mask_name

from ..models import HolderKind, Licence


class LicenceSerializer(serializers.Serializer):
    """A licence as its holder sees it (ID number masked 6+4 all the same)."""

    id = serializers.IntegerField(source="pk")
    identifier = serializers.CharField(help_text=_("电子证照标识（GB/T 36904）"))
    type_code = serializers.CharField(source="type.code")
    type_name = serializers.CharField(source="type.name")
    number = serializers.CharField(help_text=_("证照编号"))
    holder_name = serializers.CharField()
    holder_code = serializers.SerializerMethodField(help_text=_("持证主体代码（个人证照脱敏显示）"))
    holder_code_type = serializers.CharField(help_text=_("持证主体代码类型：111 公民身份号码，001 统一社会信用代码"))
    issuer_name = serializers.CharField()
    issuer_credit_code = serializers.CharField()
    issued_on = serializers.DateField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    version = serializers.IntegerField()

    def get_holder_code(self, obj: Licence) -> str:
        return mask_id_number(obj.holder_code) if obj.holder_kind == HolderKind.PERSON else obj.holder_code


class VerifiedLicenceSerializer(LicenceSerializer):
    """What a verifier receives: a person's name and ID number masked (个人信息保护法 Arts. 6, 51: minimum necessary, 去标识化)."""

    holder_name = serializers.SerializerMethodField()  # type: ignore[assignment]

    def get_holder_name(self, obj: Licence) -> str:
        return mask_name(obj.holder_name) if obj.holder_kind == HolderKind.PERSON else obj.holder_name


class AuthorisedLicenceSerializer(serializers.Serializer):
    authorisation = serializers.IntegerField(source="pk")
    purpose = serializers.CharField()
    valid_until = serializers.DateTimeField()
    licence = LicenceSerializer()


class MyLicencesSerializer(serializers.Serializer):
    own = LicenceSerializer(many=True)
    authorised = AuthorisedLicenceSerializer(many=True)


class ShowTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("放入二维码的签名令牌（不含证照信息），只能核验一次"))
    expires_in = serializers.IntegerField(help_text=_("有效秒数"))


class VerifyRequestSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=400, help_text=_("扫描二维码得到的内容"))
    purpose = serializers.CharField(max_length=200, help_text=_("用证事由，必填，不超过200字"))
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    item_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    application_ref = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class UseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    licence_id = serializers.IntegerField()
    licence_type = serializers.CharField(source="licence.type.name")
    verifier = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    place = serializers.CharField()
    purpose = serializers.CharField()
    item_code = serializers.CharField()
    application_ref = serializers.CharField()
    via = serializers.CharField()
    authorisation = serializers.IntegerField(source="authorisation_id", allow_null=True)
    created_at = serializers.DateTimeField()

    def get_verifier(self, obj: Any) -> str:
        return str(obj.verifier) if obj.verifier_id else ""

    def get_unit(self, obj: Any) -> str:
        return str(obj.unit) if obj.unit_id else ""


class VerifyResultSerializer(serializers.Serializer):
    use = UseSerializer()
    licence = VerifiedLicenceSerializer()


class AuthorisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    licence_id = serializers.IntegerField()
    grantee = serializers.CharField(source="grantee.username")
    purpose = serializers.CharField()
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    active = serializers.SerializerMethodField()

    def get_active(self, obj: Any) -> bool:
        return bool(obj.is_active())


class GrantRequestSerializer(serializers.Serializer):
    grantee = serializers.CharField(max_length=150, help_text=_("被授权人的用户名或注册手机号"))
    purpose = serializers.CharField(max_length=200)
    valid_until = serializers.DateTimeField(help_text=_("授权截止时间，不超过一年"))


class KeysDocumentSerializer(serializers.Serializer):
    alg = serializers.CharField()
    crv = serializers.CharField()
    token_version = serializers.IntegerField()
    current_kid = serializers.CharField(allow_null=True)
    keys = serializers.DictField(
        child=serializers.CharField(), help_text=_("kid → base64url编码的Ed25519公钥（32字节）")
    )
    max_ttl_seconds = serializers.IntegerField()
