"""准予 only after the reviewer opened every material's electronic copy, with a written opinion; the
combined 决定意见 gives each reviewer's opinion its own line, with unit and name."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from huying.applications import errors, services
from huying.applications.models import Application, MaterialFile, MaterialView, ReviewTask
from huying.applications.states import Action, Status, TaskStatus
from huying.core.errors import InvalidTransition, ValidationFailed
from huying.core.notify import sms_outbox

from .conftest import Hall, in_review, local, person_app

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 2, 9, 0)
PDF = b"%PDF-1.4\n" + b"0" * 200


def _with_copies(h: Hall) -> Application:
    app = person_app(h)
    for key in ("business_licence", "seal"):
        services.material_file_upload(
            actor=h.citizen, application=app.number, key=key, upload=SimpleUploadedFile(f"{key}.pdf", PDF), now=NOW
        )
    app = services.application_transition(actor=h.clerk, application=app.number, action=Action.ACCEPT, now=NOW)
    return services.application_transition(actor=h.clerk, application=app, action=Action.START_REVIEW, now=NOW)


def test_approval_waits_until_every_copy_is_opened(hall: Hall) -> None:
    app = _with_copies(hall)
    task = ReviewTask.objects.get(application=app, status=TaskStatus.ACTIVE)
    with pytest.raises(ValidationFailed) as missing:
        services.review_task_decide(actor=hall.reviewer, task=task, approve=True, opinion="  ", now=NOW)
    assert missing.value.code == errors.OPINION_REQUIRED
    with pytest.raises(InvalidTransition) as unopened:
        services.review_task_decide(actor=hall.reviewer, task=task, approve=True, opinion="同意。", now=NOW)
    assert unopened.value.code == errors.MATERIALS_NOT_OPENED and unopened.value.status == 409
    assert sorted(unopened.value.data["materials"]) == ["business_licence", "seal"]
    files = MaterialFile.objects.filter(material__application=app)
    services.material_file_open(actor=hall.reviewer, application=app.number, file_id=files[0].pk)
    services.material_file_open(actor=hall.reviewer, application=app.number, file_id=files[0].pk)  # once per viewer
    assert MaterialView.objects.filter(viewer=hall.reviewer).count() == 1
    assert [m.key for m in services.materials_not_opened(app, hall.reviewer)] == [files[1].material.key]
    # The applicant opening their own copies records nothing.
    services.material_file_open(actor=hall.citizen, application=app.number, file_id=files[1].pk)
    assert not MaterialView.objects.filter(viewer=hall.citizen).exists()
    services.material_file_open(actor=hall.reviewer, application=app.number, file_id=files[1].pk)
    services.review_task_decide(actor=hall.reviewer, task=task, approve=True, opinion="材料齐全，同意。", now=NOW)
    app.refresh_from_db()
    assert app.status == Status.APPROVED
    assert "。；" not in app.opinion and "材料齐全，同意。" in app.opinion


def test_refusal_needs_an_opinion_but_not_the_opening(hall: Hall) -> None:
    app = _with_copies(hall)
    task = ReviewTask.objects.get(application=app, status=TaskStatus.ACTIVE)
    with pytest.raises(ValidationFailed):
        services.review_task_decide(actor=hall.reviewer, task=task, approve=False, opinion="", now=NOW)
    services.review_task_decide(actor=hall.reviewer, task=task, approve=False, opinion="印章不清晰。", now=NOW)
    app.refresh_from_db()
    assert app.status == Status.REFUSED and app.opinion.splitlines()[0].endswith("：印章不清晰。")


def test_combined_opinion_one_line_per_reviewer(hall: Hall) -> None:
    bundle = hall.cat.bundle
    bundle.review_in_parallel = True
    bundle.save()
    app = in_review(hall, bundle=bundle)
    for task in ReviewTask.objects.filter(application=app, status=TaskStatus.ACTIVE).select_related("unit"):
        reviewer = hall.renshe_reviewer if task.unit_id == hall.cat.renshe.pk else hall.reviewer
        services.review_task_decide(actor=reviewer, task=task, approve=True, opinion="同意。", now=NOW)
    app.refresh_from_db()
    assert app.status == Status.APPROVED
    lines = app.opinion.splitlines()
    assert len(lines) == ReviewTask.objects.filter(application=app).count() and "。；" not in app.opinion
    assert all(line.endswith("：同意。") for line in lines)
    assert any("人社审批：" in line for line in lines)


def test_review_page_disables_approval_and_the_inbox_links_there(hall: Hall) -> None:
    app = _with_copies(hall)
    client = Client()
    client.force_login(hall.reviewer)
    inbox = client.get("/applications/review/").content.decode()
    assert 'value="approve"' not in inbox and "data-review" in inbox
    page = client.get(f"/applications/{app.number}/").content.decode()
    assert 'id="unopened-materials"' in page and "disabled" in page
    task = ReviewTask.objects.get(application=app, status=TaskStatus.ACTIVE)
    response = client.post(
        f"/applications/tasks/{task.pk}/decide/", {"decision": "approve", "opinion": "同意。"}, follow=True
    )
    assert "未查阅" in response.content.decode()
    for stored in MaterialFile.objects.filter(material__application=app):
        assert client.get(f"/applications/{app.number}/files/{stored.pk}/").status_code == 200
    page = client.get(f"/applications/{app.number}/").content.decode()
    assert 'id="unopened-materials"' not in page


def test_issuing_texts_the_applicant_a_rating_link(hall: Hall, django_capture_on_commit_callbacks: Any) -> None:
    app = in_review(hall, item=hall.cat.bank)
    while task := ReviewTask.objects.filter(application=app, status=TaskStatus.ACTIVE).first():
        reviewer = hall.renshe_reviewer if task.unit_id == hall.cat.renshe.pk else hall.reviewer
        services.review_task_decide(actor=reviewer, task=task, approve=True, opinion="同意。", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(actor=hall.clerk, application=app.number, action=Action.ISSUE, method="window")
    app.refresh_from_db()
    texts = [text for phone, text in sms_outbox if phone == app.applicant_phone and "/ratings/r/" in text]
    assert texts and app.number in texts[-1]
