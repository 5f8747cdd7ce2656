"""Records written only by the services are read-only in the admin of every app."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from huying.core.admin import ReadOnlyModelAdmin

pytestmark = pytest.mark.django_db

READ_ONLY = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ReadOnlyModelAdmin)
]


def test_every_loop_registers_read_only_records() -> None:
    labels = {model._meta.app_label for model, _admin in READ_ONLY}
    assert {"appeals", "applications", "core", "dispatch", "halls", "licences", "ratings"} <= labels


@pytest.mark.parametrize("model,model_admin", READ_ONLY, ids=lambda v: getattr(getattr(v, "_meta", None), "label", ""))
def test_listed_but_never_added(model: Any, model_admin: ReadOnlyModelAdmin, django_user_model: Any) -> None:
    user = django_user_model.objects.create_superuser("root", password="x-Strong-Pass-1")
    client = Client()
    client.force_login(user)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    request = RequestFactory().get("/admin/")
    request.user = user
    assert not model_admin.has_change_permission(request)
