from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huying.core.admin import ReadOnlyModelAdmin
from huying.core.errors import HuyingError

from . import selectors, services, tasks
from .models import ClassifierModel, DispatchSuggestion, JointMeeting, KeyProblem


@admin.register(ClassifierModel)
class ClassifierModelAdmin(ReadOnlyModelAdmin):
    """Versions of the classifier: train a new one in the background, or roll back to an older one."""

    deletable = True

    list_display = ("__str__", "created_at", "n_samples", "n_classes", "cv_macro_f1", "threshold", "is_active", "note")
    readonly_fields = list_display
    actions = ["activate"]
    change_list_template = "admin/dispatch/classifiermodel/change_list.html"

    def get_urls(self) -> list[Any]:
        return [
            path("train/", self.admin_site.admin_view(self.train_view), name="dispatch_classifiermodel_train"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra = {**(extra_context or {}), "quality": selectors.suggestion_quality()}
        return super().changelist_view(request, extra_context=extra)

    def train_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.user.has_perm("dispatch.view_classifiermodel"):
            tasks.train_classifier.enqueue(user_id=request.user.pk)
            self.message_user(request, _("已在后台开始训练新模型，完成后会出现在列表中并自动启用。"), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:dispatch_classifiermodel_changelist"))

    @admin.action(description=gettext_lazy("启用所选版本（回滚）"))
    def activate(self, request: HttpRequest, queryset: QuerySet[ClassifierModel]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("请只选择一个版本。"), messages.ERROR)
            return
        try:
            row = services.classifier_activate(version=queryset.get().pk, user=request.user)
        except HuyingError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, _("已启用模型 v%(v)s。") % {"v": row.pk}, messages.SUCCESS)


@admin.register(DispatchSuggestion)
class DispatchSuggestionAdmin(ReadOnlyModelAdmin):
    deletable = True
    list_display = ("appeal", "source", "category", "confidence", "chosen_category", "is_correction", "auto_dispatched")
    list_filter = ("source", "is_correction", "auto_dispatched")
    readonly_fields = [f.name for f in DispatchSuggestion._meta.fields]


class JointMeetingInline(admin.StackedInline):
    model = JointMeeting
    extra = 0
    readonly_fields = ("held_on", "attendees", "findings", "decision", "recorded_by", "recorded_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KeyProblem)
class KeyProblemAdmin(admin.ModelAdmin):
    list_display = ("title", "lead_unit", "status", "created_at", "closed_at")
    list_filter = ("status",)
    inlines = [JointMeetingInline]
    readonly_fields = ("title", "description", "lead_unit", "status", "reply_text", "created_by", "closed_at")
    exclude = ("appeals", "joint_units", "version")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
