"""Forms of the licence pages: they parse input; the services hold the rules and their errors are
put back on the fields (``apply_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    token = forms.CharField(
        label=_("二维码内容"),
        max_length=400,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false", "inputmode": "none"}
        ),
        help_text=_("用扫码枪扫描持证人出示的二维码，内容会自动填入并提交。"),
    )
    purpose = forms.CharField(label=_("用证事由"), max_length=200, help_text=_("必填，不超过200字，将记入用证记录"))
    place = forms.CharField(label=_("用证地点"), max_length=100, required=False)
    application = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    item = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)


class GrantForm(forms.Form):
    grantee = forms.CharField(label=_("被授权人"), max_length=150, help_text=_("对方的用户名或注册手机号"))
    purpose = forms.CharField(label=_("授权事由"), max_length=200)
    valid_until = forms.DateField(
        label=_("授权截止日期"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("当日24时前有效")
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("证照文件"), help_text=_("CSV（UTF-8）或Excel（.xlsx），第一行为表头"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
