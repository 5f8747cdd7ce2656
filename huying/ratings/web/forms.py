"""Forms of the rating pages: they parse what people typed; the services hold the rules and their
errors are put back on the fields (``apply_errors``), in the same words as the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..states import Channel, ComplaintReason, Level, Resolution, RevisitView, dimensions_for

LEVEL_CHOICES = [(level.value, level.label) for level in sorted(Level, reverse=True)]
SCORE_CHOICES = [("", _("不评")), *[(str(v), str(v)) for v in range(5, 0, -1)]]


class RateForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("您对本次服务的整体评价"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。"),
            "invalid_choice": _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。"),
        },
    )
    comment = forms.CharField(
        label=_("评价内容（差评请写明原因）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500, "placeholder": _("可以写下您的意见或建议")}),
    )
    channel = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, channel: str, staff_channels: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimension_names: list[str] = []
        if staff_channels:
            self.fields["channel"] = forms.ChoiceField(
                label=_("评价渠道"),
                choices=[(c, Channel(c).label) for c in staff_channels],
                initial=channel if channel in staff_channels else staff_channels[0],
                error_messages={"invalid_choice": _("评价渠道无效。"), "required": _("请选择评价渠道。")},
            )
        else:
            self.fields["channel"].initial = channel
        for key, label in dimensions_for(channel).items():
            name = f"dim_{key}"
            self.fields[name] = forms.ChoiceField(label=label, choices=SCORE_CHOICES, required=False)
            self.dimension_names.append(name)

    def dimensions(self) -> dict[str, str]:
        return {name[4:]: self.cleaned_data.get(name) or "" for name in self.dimension_names}

    def dimension_fields(self) -> list[Any]:
        return [self[name] for name in self.dimension_names]


class CaseActionForm(forms.Form):
    """Every case action posts here; the service checks what each needs."""

    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_person = forms.CharField(label=_("联系核实人员"), max_length=60, required=False)
    resolution = forms.ChoiceField(
        label=_("整改方式"),
        choices=[
            (Resolution.SCHEDULED, Resolution.SCHEDULED.label),
            (Resolution.EXPLAINED, Resolution.EXPLAINED.label),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    ledger_entry = forms.CharField(label=_("整改台账（编号或事项）"), max_length=200, required=False)
    rectify_by = forms.CharField(
        label=_("限期整改完成日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    revisit_view = forms.ChoiceField(
        label=_("评价人对整改结果的意见"), choices=RevisitView.choices, required=False, widget=forms.RadioSelect
    )

    def payload(self) -> dict[str, Any]:
        keys = ("contact_person", "resolution", "ledger_entry", "rectify_by", "revisit_view")
        return {k: self.cleaned_data.get(k) or "" for k in keys}


class ComplaintForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("申诉类型"),
        choices=ComplaintReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("申诉理由和依据"), required=False, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("复核结论"),
        choices=[("uphold", _("申诉成立（剔除差评）")), ("reject", _("申诉不成立（继续整改）"))],
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("复核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FiguresFilterForm(forms.Form):
    month = forms.CharField(label=_("月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    kind = forms.ChoiceField(label=_("评价对象"), required=False)
    group = forms.ChoiceField(label=_("分组"), required=False)
