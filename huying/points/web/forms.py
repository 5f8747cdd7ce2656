"""Forms of the points management pages: they parse what a reviewer types; the services hold the
rules (retroactive changes, credit codes, caps) and their refusals come back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.organisations.forms import UnitChoiceField
from huying.organisations.models import OrgUnit

from ..models import MIN_EXPIRY_MONTHS, Merchant, Resolution, Scheme, SchemeItem

CAP_HELP = _("留空为不设上限。")


class ResolutionFields(forms.Form):
    body = forms.CharField(label=_("决议机构"), max_length=100, help_text=_("如：村民代表会议、居民会议、党员大会。"))
    number = forms.CharField(label=_("决议文号"), max_length=60)
    adopted_on = forms.DateField(label=_("通过日期"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("决议内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SchemeForm(ResolutionFields):
    code = forms.SlugField(
        label=_("方案代码"), max_length=40, help_text=_("小写字母、数字或连字符，如 zhili-youzhang。")
    )
    name = forms.CharField(label=_("方案名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Scheme.Kind.choices)
    unit = UnitChoiceField(label=_("主办单位"), queryset=OrgUnit.objects.none())
    counts_households = forms.BooleanField(label=_("按户计分"), required=False)
    expiry_months = forms.IntegerField(
        label=_("有效期（月）"),
        required=False,
        min_value=MIN_EXPIRY_MONTHS,
        max_value=600,
        help_text=_("留空为长期有效；设有效期的，不得短于36个月，到期前提前公告。"),
    )
    publicity_days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=30, initial=3)
    masking = forms.ChoiceField(label=_("张榜显示"), choices=Scheme.Masking.choices)

    field_order = ["code", "name", "kind", "unit", "counts_households", "expiry_months", "publicity_days", "masking"]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ItemFields(forms.Form):
    name = forms.CharField(label=_("事项名称"), max_length=100)
    points = forms.IntegerField(label=_("分值（每单位）"), min_value=-1000, max_value=1000)
    unit_label = forms.CharField(label=_("计量单位"), max_length=10, initial="次")
    evidence_required = forms.BooleanField(label=_("须附佐证"), required=False)
    per_event_cap = forms.IntegerField(label=_("单次上限"), required=False, min_value=1, help_text=CAP_HELP)
    daily_cap = forms.IntegerField(label=_("每日上限"), required=False, min_value=1, help_text=CAP_HELP)
    monthly_cap = forms.IntegerField(label=_("每月上限"), required=False, min_value=1, help_text=CAP_HELP)
    dedup = forms.ChoiceField(label=_("去重规则"), choices=SchemeItem.Dedup.choices)
    resolution = forms.ModelChoiceField(label=_("依据决议"), queryset=Resolution.objects.none())
    valid_from = forms.DateField(
        label=_("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不能早于今天：积分规则不溯及既往。"),
    )

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = scheme.resolutions.all()  # type: ignore[attr-defined]
        latest = scheme.resolutions.first()  # the newest (ordering)
        self.initial.setdefault("resolution", latest.pk if latest else None)
        self.initial.setdefault("valid_from", timezone.localdate())

    def item_fields(self) -> dict[str, Any]:
        names = ("name", "points", "unit_label", "evidence_required", "per_event_cap", "daily_cap", "monthly_cap")
        return {n: self.cleaned_data[n] for n in names} | {"dedup": self.cleaned_data["dedup"]}


class ItemForm(ItemFields):
    code = forms.SlugField(label=_("事项代码"), max_length=40, help_text=_("如 report_valid；新版本沿用同一代码。"))
    wallet = forms.ChoiceField(
        label=_("计入"), choices=SchemeItem.Wallet.choices, help_text=_("扣分只能记入评比分，不扣可兑换积分。")
    )
    field_order = ["code", "name", "wallet", "points"]


class ExpiryForm(forms.Form):
    expiry_months = forms.IntegerField(
        label=_("有效期（月）"),
        required=False,
        min_value=MIN_EXPIRY_MONTHS,
        max_value=600,
        help_text=_("留空为长期有效。"),
    )


class MerchantForm(forms.Form):
    name = forms.CharField(label=_("商户名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=24)
    unit = UnitChoiceField(label=_("所在街道"), queryset=OrgUnit.objects.none())
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    yuan_per_point = forms.DecimalField(
        label=_("每积分抵值（元）"), max_digits=6, decimal_places=2, min_value=0, initial=1,
        help_text=_("积分只能兑换商品或服务，不得兑现或转让。"),
    )  # fmt: skip

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class GoodsForm(forms.Form):
    name = forms.CharField(label=_("物品"), max_length=60)
    points = forms.IntegerField(label=_("所需积分"), min_value=1, max_value=1_000_000)


class CashierForm(forms.Form):
    username = forms.CharField(label=_("收银人员账号"), max_length=150)


class ExchangeDayForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    merchant = forms.ModelChoiceField(label=_("承办商户（积分超市）"), queryset=Merchant.objects.none())
    day = forms.DateField(label=_("活动日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=200)

    def __init__(self, *args: Any, merchants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["merchant"].queryset = merchants  # type: ignore[attr-defined]


class StockForm(forms.Form):
    name = forms.CharField(label=_("物品"), max_length=60, required=False)
    points = forms.IntegerField(label=_("所需积分"), min_value=1, max_value=1_000_000, required=False)
    quantity = forms.IntegerField(label=_("备货数量"), min_value=1, max_value=100_000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get(k) not in (None, "") for k in ("name", "points", "quantity")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("物品、所需积分和备货数量须一并填写。"))
        return data


StockFormSet = forms.formset_factory(StockForm, extra=6, max_num=30)
