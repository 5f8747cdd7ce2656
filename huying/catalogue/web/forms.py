"""Forms of the catalogue pages: the search box with its filters and the import upload."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import ServiceItem

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("事项名称、编码或拼音首字母，如 spjy"), "type": "search"}),
    )
    unit = forms.TypedChoiceField(label=_("实施部门"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(
        label=_("行使层级"), required=False, choices=[("", _("全部层级")), *ServiceItem.Level.choices]
    )
    kind = forms.ChoiceField(
        label=_("服务对象"),
        required=False,
        choices=[
            ("", _("全部对象")),
            (ServiceItem.ApplicantKind.PERSON, _("个人办事")),
            (ServiceItem.ApplicantKind.ENTERPRISE, _("法人办事")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = cast(forms.TypedChoiceField, self.fields["unit"])
        unit_field.choices = [
            ("", _("全部部门")),
            *((u.pk, f"{u.name}（{getattr(u, 'n', 0)}）") for u in selectors.item_units()),
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("实施清单工作簿（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 工作簿。"))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("文件不能超过10MB。"))
        return upload
