"""Tasks to grid workers (任务领取): the street pushes, a worker of the grid claims and feeds back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.grids import tasks_selectors as selectors
from huying.grids.models import GridStaff, GridTaskAssignment
from huying.grids.services import grid_staff_add
from huying.grids.services import tasks as services
from huying.grids.tasks_states import TRANSITIONS
from tests.fixtures import make_user

from .factories import build

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 12, 31)
S = GridTaskAssignment.Status


@pytest.fixture
def g(world: Any) -> Any:
    g = build(world)
    g.task = services.task_create(
        actor=world.street_handler, unit=world.street, title="寒潮期间走访所有独居老人", due=DUE
    )
    g.west_a = GridTaskAssignment.objects.get(task=g.task, grid=g.west)
    g.east_a = GridTaskAssignment.objects.get(task=g.task, grid=g.east)
    return g


def test_the_table_has_claim_done_and_reopen() -> None:
    assert TRANSITIONS.actions() == {"claim", "report_done", "reopen"}
    assert TRANSITIONS.states() == set(S.values)


def test_the_street_pushes_to_all_its_grids(g: Any) -> None:
    assert g.task.assignments.count() == 2
    assert {a.status for a in g.task.assignments.all()} == {S.OPEN}


def test_only_the_managing_unit_pushes_and_only_to_its_grids(g: Any, world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.task_create(actor=g.worker, unit=world.street, title="x", due=DUE)
    with pytest.raises(ValidationFailed):
        services.task_create(actor=world.street_handler, unit=world.street, title="x", due=DUE, grid_ids=[999999])
    with pytest.raises(ValidationFailed):
        services.task_create(actor=world.street_handler, unit=world.street, title=" ", due=DUE)


def test_a_worker_sees_only_their_grids_assignments(g: Any) -> None:
    assert list(selectors.worker_assignments(actor=g.worker)) == [g.west_a]
    with pytest.raises(NotFound):
        selectors.assignment_get_for(actor=g.worker, assignment_id=g.east_a.pk)
    with pytest.raises(NotFound):
        services.task_claim(actor=g.worker, assignment_id=g.east_a.pk, version=0)
    assert Client().get(f"/grids/tasks/a/{g.east_a.pk}/").status_code == 302
    client = Client()
    client.force_login(g.worker)
    assert client.get(f"/grids/tasks/a/{g.east_a.pk}/").status_code == 404
    assert client.post(f"/grids/tasks/a/{g.east_a.pk}/", {"action": "claim", "version": 0}).status_code == 404


def test_two_workers_claiming_at_once_one_wins(g: Any) -> None:
    second = make_user("second-worker")
    grid_staff_add(
        actor=None, grid=g.west, kind=GridStaff.Kind.PART_TIME, name="周兼职", phone="13900000000", user=second
    )
    seen_by_both = g.west_a.version
    won = services.task_claim(actor=g.worker, assignment_id=g.west_a.pk, version=seen_by_both)
    with pytest.raises(ConcurrentModification) as lost:
        services.task_claim(actor=second, assignment_id=g.west_a.pk, version=seen_by_both)
    assert lost.value.code == "changed_meanwhile"
    won.refresh_from_db()
    assert won.status == S.CLAIMED and won.claimed_by == g.worker_post
    with pytest.raises(InvalidTransition):  # a fresh page shows it taken
        services.task_claim(actor=second, assignment_id=g.west_a.pk, version=won.version)


def _png() -> SimpleUploadedFile:
    return SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


def test_claim_feed_back_and_the_street_reopens(g: Any, world: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    a = services.task_claim(actor=g.liaison, assignment_id=g.west_a.pk, version=0)
    with pytest.raises(ValidationFailed):  # feedback is required
        services.task_report_done(actor=g.worker, assignment_id=a.pk, version=a.version, feedback=" ")
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationFailed):
        services.task_report_done(actor=g.worker, assignment_id=a.pk, version=a.version, feedback="ok", photo=bad)
    a = services.task_report_done(
        actor=g.worker, assignment_id=a.pk, version=a.version, feedback="走访独居老人3户，均已落实取暖。", photo=_png()
    )
    assert a.status == S.DONE and a.photo.endswith(".png")
    with pytest.raises(PermissionDenied):  # the worker may not reopen
        services.task_reopen(actor=g.worker, assignment_id=a.pk, version=a.version, note="x")
    a = services.task_reopen(actor=world.street_handler, assignment_id=a.pk, version=a.version, note="请补充照片")
    assert a.status == S.CLAIMED and a.reopen_note == "请补充照片"
    progress = selectors.street_tasks(actor=world.street_handler)
    assert [(p.grids, p.claimed, p.done) for p in progress] == [(2, 1, 0)]
    assert selectors.street_tasks(actor=g.worker) == []


def test_pages_phone_list_claim_and_street_completion(g: Any, world: Any) -> None:
    client = Client()
    client.force_login(g.worker)
    page = client.get("/grids/tasks/").content.decode()
    assert "寒潮期间走访所有独居老人" in page and "黄河社区第1网格" in page and "黄河社区第2网格" not in page
    response = client.post(f"/grids/tasks/a/{g.west_a.pk}/", {"action": "claim", "version": 0})
    assert response.status_code == 302
    stale = client.post(f"/grids/tasks/a/{g.west_a.pk}/", {"action": "claim", "version": 0})
    assert stale.status_code == 200 and 'role="alert"' in stale.content.decode()
    response = client.post(
        f"/grids/tasks/a/{g.west_a.pk}/", {"action": "report_done", "version": 1, "note": "已全部走访"}
    )
    assert response.status_code == 302
    street = Client()
    street.force_login(world.street_handler)
    page = street.get(f"/grids/tasks/street/{g.task.pk}/").content.decode()
    assert "已全部走访" in page and "已完成" in page and "待领取" in page
    response = street.post(
        "/grids/tasks/street/",
        {"unit": world.street.pk, "title": "核实地址清单", "kind": "verify", "due": "2026-12-20"},
    )
    assert response.status_code == 302
    assert client.get("/grids/tasks/street/").status_code == 404  # a worker is not the street
    other = Client()
    other.force_login(g.east_worker)
    assert other.get(f"/grids/tasks/street/{g.task.pk}/").status_code == 404
