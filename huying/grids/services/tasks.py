"""Writes for tasks to grid workers (任务领取). Each status change goes through the task table and a
compare-and-set on the assignment's version, so two workers claiming at once cannot both win."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import ConcurrentModification, NotFound, PermissionDenied, ValidationFailed
from huying.core.statemachine import clean_note, versioned_update
from huying.core.uploads import check_upload, rename_for_storage
from huying.organisations.models import OrgUnit

from .. import errors
from ..models import Grid
from ..permissions import HOUSEHOLD_STAFF, can_manage_unit, post_in_grid, resolve
from ..tasks_models import GridTask, GridTaskAssignment
from ..tasks_states import STREET, TRANSITIONS, WORKER

PHOTO_TYPES = ("image/jpeg", "image/png")


def _fail(code: str) -> ValidationFailed:
    return ValidationFailed(errors.codes.codes[code], code=code)


def _current_grids_under(unit: OrgUnit) -> Q:
    return Q(valid_to__isnull=True, level=Grid.Level.GRID, unit__path__startswith=unit.path)


@transaction.atomic
def task_create(
    *,
    actor: Actor | User | None,
    unit: OrgUnit,
    title: str,
    due: dt.date,
    description: str = "",
    kind: str = GridTask.Kind.VISIT,
    grid_ids: list[int] | None = None,
) -> GridTask:
    """Push a task to grids of ``unit`` (all its current grids when ``grid_ids`` is None)."""
    resolved = resolve(actor)
    if not can_manage_unit(resolved, unit):
        raise PermissionDenied()
    title = title.strip()
    if not title or len(title) > 100:
        raise ValidationFailed(_("请填写不超过100字的任务名称。"), data={"title": _("请填写任务名称。")})
    if kind not in GridTask.Kind.values:
        raise ValidationFailed(_("任务类型无效。"), data={"kind": _("任务类型无效。")})
    grids = Grid.objects.filter(_current_grids_under(unit))
    if grid_ids is not None:
        chosen = set(grid_ids)
        grids = grids.filter(pk__in=chosen)
        if len(grids) != len(chosen):
            raise _fail(errors.TASK_GRID_OUTSIDE)
    grid_list = list(grids)
    if not grid_list:
        raise _fail(errors.TASK_NO_GRIDS)
    task = GridTask.objects.create(
        title=title,
        description=clean_note(description),
        kind=kind,
        due=due,
        unit=unit,
        created_by=resolved.user if resolved is not None and resolved.is_authenticated else None,
    )
    GridTaskAssignment.objects.bulk_create(GridTaskAssignment(task=task, grid=grid) for grid in grid_list)
    return task


def _assignment(assignment_id: int) -> GridTaskAssignment:
    found = GridTaskAssignment.objects.select_related("task__unit", "grid").filter(pk=assignment_id).first()
    if found is None:
        raise NotFound()
    return found


def _table_roles(actor: Actor, assignment: GridTaskAssignment) -> set[str]:
    roles = set()
    if post_in_grid(actor, assignment.grid_id, HOUSEHOLD_STAFF) is not None:
        roles.add(WORKER)
    if can_manage_unit(actor, assignment.task.unit):
        roles.add(STREET)
    if not roles:
        raise NotFound()  # another grid's assignment looks missing
    return roles


def _describe(source: str, action: str) -> str:
    label = GridTaskAssignment.Status(source).label
    return _("任务当前状态为「%(status)s」，不能执行此操作。") % {"status": label}


def _store_photo(assignment: GridTaskAssignment, photo: UploadedFile) -> str:
    """A JPEG or PNG within the attachment size limit, stored under a generated name."""
    content_type = check_upload(photo, allowed=PHOTO_TYPES, field="photo")
    rename_for_storage(photo, prefix=f"task{assignment.pk}", content_type=content_type)
    return default_storage.save(f"grids/tasks/{photo.name}", photo)


def _act(
    actor: Actor | User | AnonymousUser, assignment_id: int, version: int, action: str, note: str = ""
) -> tuple[Actor, GridTaskAssignment, str, str]:
    resolved = resolve(actor)
    assert resolved is not None
    assignment = _assignment(assignment_id)
    roles = _table_roles(resolved, assignment)
    if assignment.version != version:  # the page was made before someone else acted
        raise ConcurrentModification()
    transition, cleaned = TRANSITIONS.check(
        source=assignment.status, action=action, roles=roles, note=note, describe=_describe
    )
    return resolved, assignment, transition.target, cleaned


@transaction.atomic
def task_claim(*, actor: Actor | User | AnonymousUser, assignment_id: int, version: int) -> GridTaskAssignment:
    resolved, assignment, target, _note = _act(actor, assignment_id, version, "claim")
    post = post_in_grid(resolved, assignment.grid_id, HOUSEHOLD_STAFF)
    versioned_update(
        GridTaskAssignment.objects.filter(pk=assignment.pk),
        expected_version=version,
        status=target,
        claimed_by=post,
        claimed_at=timezone.now(),
    )
    return _assignment(assignment_id)


@transaction.atomic
def task_report_done(
    *,
    actor: Actor | User | AnonymousUser,
    assignment_id: int,
    version: int,
    feedback: str,
    photo: UploadedFile | None = None,
) -> GridTaskAssignment:
    _resolved, assignment, target, cleaned = _act(actor, assignment_id, version, "report_done", feedback)
    fields: dict[str, Any] = {"status": target, "feedback": cleaned, "done_at": timezone.now()}
    if photo is not None:
        fields["photo"] = _store_photo(assignment, photo)
    versioned_update(GridTaskAssignment.objects.filter(pk=assignment.pk), expected_version=version, **fields)
    return _assignment(assignment_id)


@transaction.atomic
def task_reopen(
    *, actor: Actor | User | AnonymousUser, assignment_id: int, version: int, note: str
) -> GridTaskAssignment:
    _resolved, assignment, target, cleaned = _act(actor, assignment_id, version, "reopen", note)
    versioned_update(
        GridTaskAssignment.objects.filter(pk=assignment.pk),
        expected_version=version,
        status=target,
        reopen_note=cleaned,
        done_at=None,
    )
    return _assignment(assignment_id)
