"""Forms of the appeal pages. They only parse what a person typed; the services hold the rules
and their ValidationFailed errors are put back on the fields (``apply_errors``), so a page and the
API show the same Chinese message for the same mistake."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from huying.core import forms as core_forms
from huying.core.errors import HuyingError
from huying.core.statemachine import NOTE_MAX_LENGTH
from huying.organisations.forms import UnitChoiceField, UnitMultipleChoiceField
from huying.organisations.models import Division
from huying.organisations.selectors import handling_units

from .. import selectors
from ..services import MAX_EXTENSION_DAYS
from ..states import AppealType, Channel, ReferTarget, Resolution, Satisfaction, Urgency

MAX_ATTACHMENTS = 5
ACCEPT_ATTACHMENTS = "image/jpeg,image/png,application/pdf,audio/mpeg,video/mp4"


def size_check_attrs() -> dict[str, Any]:
    """A file input's limit, checked in the browser before the upload (static/js/limits.js)."""
    return {
        "data-max-bytes": settings.HUYING_ATTACHMENT_MAX_BYTES,
        "data-too-big-text": _("“{name}”超过 {mb}MB，请压缩或分成几个文件后再上传。"),
    }


def counted_textarea(rows: int, max_chars: int = NOTE_MAX_LENGTH, **attrs: Any) -> forms.Textarea:
    """A text box that shows how many characters are typed of how many allowed (static/js/limits.js)."""
    return forms.Textarea(
        attrs={
            "rows": rows,
            "data-max-chars": max_chars,
            "data-count-text": _("已输入 {n} / {max} 字"),
            **attrs,
        }
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTACHMENTS, **size_check_attrs()}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("最多上传%(n)d个附件。") % {"n": MAX_ATTACHMENTS})
        return files


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def _divisions() -> Any:
    return Division.objects.filter(valid_to__isnull=True).order_by("code")


def apply_errors(form: forms.Form, exc: HuyingError) -> None:
    """The kernel's ``apply_errors``; a refused attachment's message goes under the attachments field."""
    fields = {"attachments": str(exc.message)} if exc.code.startswith("attachment_") else None
    core_forms.apply_errors(form, exc, fields)


class SubmitForm(forms.Form):
    """A citizen's appeal from the website."""

    appeal_type = forms.ChoiceField(
        label=_("诉求类型"), choices=AppealType.choices, initial=AppealType.HELP, widget=forms.RadioSelect
    )
    category = CategoryChoiceField(
        label=_("问题分类（可不选）"), queryset=selectors.category_choices(), required=False, empty_label=_("不确定")
    )
    title = forms.CharField(label=_("标题（可不填）"), max_length=120, required=False)
    content = forms.CharField(
        label=_("诉求内容"),
        required=False,  # the service says what is missing, in the same words as the API
        help_text=_("不超过5000字。"),
        widget=counted_textarea(6, placeholder=_("请写明什么时间、什么地点、发生了什么，希望如何解决")),
    )
    address = forms.CharField(label=_("地点"), max_length=200, required=False)
    attachments = MultipleFileField(
        label=_("照片或材料（可不传，最多5个，每个不超过10MB）"),
        required=False,
        help_text=_("支持 JPG、PNG 照片，PDF，MP3 录音，MP4 视频"),
    )
    requester_name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    requester_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    requester_id_number = forms.CharField(label=_("身份证号（可不填）"), max_length=30, required=False)
    is_anonymous = forms.BooleanField(label=_("匿名反映（不公开我的姓名）"), required=False)


class UnitFields(forms.Form):
    """The lead unit (主办) and assisting units (协办) a dispatch names."""

    lead_unit = UnitChoiceField(
        label=_("主办单位"), queryset=handling_units().order_by("path"), required=False, empty_label=_("（请选择）")
    )
    assist_units = UnitMultipleChoiceField(
        label=_("协办单位"),
        queryset=handling_units().order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )


class RecordCallForm(UnitFields):
    """One call at the hotline workbench: record, accept and (usually) dispatch."""

    content = forms.CharField(
        label=_("来电内容"), required=False, widget=forms.Textarea(attrs={"rows": 5, "autofocus": True})
    )
    category = CategoryChoiceField(
        label=_("问题分类"), queryset=selectors.category_choices(), required=False, empty_label=_("（未分类）")
    )
    division = forms.ModelChoiceField(
        label=_("所属区划"), queryset=_divisions(), required=False, empty_label=_("（不限）")
    )
    address = forms.CharField(label=_("地点"), max_length=200, required=False)
    appeal_type = forms.ChoiceField(label=_("诉求类型"), choices=AppealType.choices, initial=AppealType.HELP)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.GENERAL)
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.HOTLINE)
    title = forms.CharField(label=_("标题（可不填）"), max_length=120, required=False)
    requester_name = forms.CharField(label=_("来电人"), max_length=60, required=False)
    requester_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    requester_id_number = forms.CharField(label=_("身份证号"), max_length=30, required=False)
    is_anonymous = forms.BooleanField(label=_("匿名"), required=False)
    is_confidential = forms.BooleanField(label=_("为诉求人保密"), required=False)
    note = forms.CharField(label=_("派单意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TrackSendForm(forms.Form):
    number = forms.CharField(label=_("工单编号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    phone = forms.CharField(
        label=_("反映时留的电话"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class TrackVerifyForm(forms.Form):
    number = forms.CharField(label=_("工单编号"), max_length=20)
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class FollowUpForm(forms.Form):
    resolution = forms.ChoiceField(label=_("问题是否解决"), choices=Resolution.choices, widget=forms.RadioSelect)
    satisfaction = forms.ChoiceField(label=_("您是否满意"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("意见（可不填）"), required=False, widget=counted_textarea(3))


class RevealForm(forms.Form):
    purpose = forms.CharField(label=_("查看事由"), max_length=200, required=False)


class ActionForm(UnitFields):
    """The fields any action of the state machine may need; each page form shows only its own."""

    action = forms.CharField(max_length=24)
    version = forms.IntegerField(required=False)
    confirm = forms.BooleanField(required=False)  # send a reply despite the quality warnings
    category = CategoryChoiceField(
        label=_("问题分类"), queryset=selectors.category_choices(), required=False, empty_label=_("（不改）")
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    refer_target = forms.ChoiceField(label=_("转往渠道"), choices=[("", "—"), *ReferTarget.choices], required=False)
    extension_days = forms.IntegerField(
        label=_("延期天数（工作日）"), min_value=1, max_value=MAX_EXTENSION_DAYS, required=False
    )
    resolution = forms.ChoiceField(label=_("解决情况"), choices=Resolution.choices, required=False)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices, required=False)
    merge_into = forms.CharField(label=_("并入工单编号"), max_length=20, required=False)

    def payload(self) -> dict[str, Any]:
        """Keyword arguments for appeal_transition beyond action, note and version."""
        data = self.cleaned_data
        action = data["action"]
        if action in ("dispatch", "approve_return"):
            return {
                "lead_unit": data.get("lead_unit"),
                "assist_units": list(data.get("assist_units") or []),
                "category": data.get("category"),
            }
        if action == "refer":
            return {"refer_target": data.get("refer_target") or ""}
        if action in ("request_extension", "approve_extension"):
            return {"extension_days": data.get("extension_days")} if data.get("extension_days") else {}
        if action == "follow_up":
            return {"resolution": data.get("resolution") or "", "satisfaction": data.get("satisfaction") or ""}
        if action == "merge":
            return {"merge_into": (data.get("merge_into") or "").strip()}
        return {}
