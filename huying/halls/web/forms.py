"""Forms of the hall pages: they parse what was typed; the services and the planner hold the rules and
their ValidationFailed errors are put back on the fields, in the same words as the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.core import params

from .. import planner
from ..selectors import MAX_FIGURE_DAYS

PLANNER_ROWS = 8


class TakeForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号（选填，叫号时短信提醒）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "138xxxxxxxx"}),
    )
    choice = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def clean_choice(self) -> tuple[str, int | None]:
        value = self.cleaned_data["choice"].strip()
        if value == "consult":
            return ("consult", None)
        kind, _sep, pk = value.partition(":")
        if kind in ("item", "bundle") and pk.isdigit():
            return (kind, int(pk))
        raise forms.ValidationError(_("请选择要办理的事项、一件事或咨询。"))


class FiguresForm(forms.Form):
    start = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=params.date_validators(),
    )
    end = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=params.date_validators(),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=29)
        if start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        if (end - start).days + 1 > MAX_FIGURE_DAYS:
            raise forms.ValidationError(_("统计区间最长%(n)d天。") % {"n": MAX_FIGURE_DAYS})
        data["start"], data["end"] = start, end
        return data


class PlannerForm(forms.Form):
    windows = forms.IntegerField(
        label=_("窗口总数"),
        min_value=1,
        max_value=planner.MAX_WINDOWS,
        error_messages={
            "required": _("请填写窗口总数。"),
            "invalid": _("窗口总数应为整数。"),
            "min_value": _("窗口总数至少为1。"),
            "max_value": _("窗口总数最多为%(limit_value)s。"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(PLANNER_ROWS):
            self.fields[f"name_{i}"] = forms.CharField(label=_("部门"), required=False, max_length=30)
            self.fields[f"arrivals_{i}"] = forms.FloatField(
                label=_("每小时来办人数"),
                required=False,
                min_value=0.01,
                max_value=planner.MAX_ARRIVALS_PER_HOUR,
                error_messages={
                    "invalid": _("来办人数应为数字。"),
                    "min_value": _("来办人数应大于0。"),
                    "max_value": _("每小时来办人数最多为%(limit_value)s。"),
                },
                widget=forms.NumberInput(attrs={"step": "any"}),
            )
            self.fields[f"minutes_{i}"] = forms.FloatField(
                label=_("平均办理分钟"),
                required=False,
                min_value=planner.MIN_SERVICE_MINUTES,
                max_value=planner.MAX_SERVICE_MINUTES,
                error_messages={
                    "invalid": _("办理时长应为数字。"),
                    "min_value": _("平均办理时长至少%(limit_value)s分钟。"),
                    "max_value": _("平均办理时长最多%(limit_value)s分钟。"),
                },
                widget=forms.NumberInput(attrs={"step": "any"}),
            )
            self.fields[f"windows_{i}"] = forms.IntegerField(
                label=_("分设窗口数"),
                required=False,
                min_value=1,
                max_value=planner.MAX_WINDOWS,
                error_messages={"invalid": _("窗口数应为整数。"), "min_value": _("窗口数至少为1。")},
            )

    def row_fields(self) -> list[list[Any]]:
        return [[self[f"{k}_{i}"] for k in ("name", "arrivals", "minutes", "windows")] for i in range(PLANNER_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rows: list[planner.PlanRow] = []
        for i in range(PLANNER_ROWS):
            name = (data.get(f"name_{i}") or "").strip()
            arrivals, minutes, windows = data.get(f"arrivals_{i}"), data.get(f"minutes_{i}"), data.get(f"windows_{i}")
            if any(f"{k}_{i}" in self.errors for k in ("arrivals", "minutes", "windows")):
                continue
            if not name and arrivals is None and minutes is None and windows is None:
                continue
            if not name:
                self.add_error(f"name_{i}", _("请填写部门名称。"))
            if arrivals is None:
                self.add_error(f"arrivals_{i}", _("请填写每小时来办人数。"))
            if minutes is None:
                self.add_error(f"minutes_{i}", _("请填写平均办理分钟。"))
            if name and arrivals is not None and minutes is not None:
                rows.append(planner.PlanRow(name, float(arrivals), float(minutes), windows))
        if not rows and not self.errors:
            raise forms.ValidationError(_("请至少填写一个部门。"))
        data["rows"] = rows
        return data
