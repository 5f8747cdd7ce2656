"""Form fields that pick units by the name people know them by (``OrgUnit.label``)."""

from __future__ import annotations

from typing import Any

from django import forms


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)
