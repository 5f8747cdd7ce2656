"""Tasks the street pushes to its grids (任务领取): one assignment per grid, claimed and fed back by
a worker of that grid, reopened by the street when the feedback is not enough."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from . import tasks_states as states
from .models import Grid, GridStaff


class GridTask(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("走访排查")
        VERIFY = "verify", _("地址核实")
        PATROL = "patrol", _("巡查")
        NOTICE = "notice", _("政策宣传")
        OTHER = "other", _("其他")

    title = models.CharField(_("任务名称"), max_length=100)
    description = models.TextField(_("任务要求"), blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.VISIT)
    due = models.DateField(_("完成期限"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="grid_tasks", verbose_name=_("下达单位"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("网格任务")
        verbose_name_plural = _("网格任务")

    def __str__(self) -> str:
        return self.title


class GridTaskAssignment(models.Model):
    class Status(models.TextChoices):
        OPEN = states.OPEN, _("待领取")
        CLAIMED = states.CLAIMED, _("已领取")
        DONE = states.DONE, _("已完成")

    task = models.ForeignKey(GridTask, on_delete=models.CASCADE, related_name="assignments")
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="task_assignments")
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    claimed_by = models.ForeignKey(
        GridStaff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("领取人")
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("处理反馈"), blank=True)
    photo = models.CharField(_("照片"), max_length=255, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    reopen_note = models.TextField(_("退回意见"), blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["task", "grid"]
        constraints = [models.UniqueConstraint(fields=["task", "grid"], name="grid_task_assignment_unique")]
        indexes = [models.Index(fields=["grid", "status"], name="grid_task_grid_status_idx")]
        verbose_name = _("网格任务分派")
        verbose_name_plural = _("网格任务分派")

    def __str__(self) -> str:
        return f"{self.task_id}@{self.grid_id}: {self.status}"
