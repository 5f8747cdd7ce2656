"""Electronic copies of materials: who may upload what and when, type and size checks by content,
容缺 materials supplied by upload, downloads audit-logged for staff; service, pages and API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from rest_framework.test import APIClient

from huying.accounts.tokens import token_issue
from huying.applications import services
from huying.applications.models import Application, MaterialFile
from huying.applications.states import Action, MaterialStatus, Status
from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.models import AuditLog

from .conftest import Hall, all_provided, local, person_app, receive

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 2, 9, 0)
PDF = b"%PDF-1.4\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64
MP3 = b"ID3\x03\x00\x00\x00" + b"\x00" * 64


def pdf(name: str = "营业执照扫描件.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def upload(h: Hall, app: Application, key: str, file: Any = None, actor: Any = None) -> MaterialFile:
    return services.material_file_upload(
        actor=actor or h.citizen, application=app.number, key=key, upload=file or pdf(), now=NOW
    )


def test_applicant_uploads_before_acceptance_and_the_clerk_accepts_on_it(hall: Hall) -> None:
    app = person_app(hall)
    version = app.version
    stored = upload(hall, app, "business_licence")
    assert (stored.content_type, stored.size, stored.original_name) == (
        "application/pdf",
        len(PDF),
        "营业执照扫描件.pdf",
    )
    assert "营业执照扫描件" not in stored.file.name and stored.file.name.endswith(".pdf")  # generated disk name
    material = app.materials.get(key="business_licence")
    assert material.status == MaterialStatus.UPLOADED
    app.refresh_from_db()
    assert app.version == version + 1
    event = app.events.get(action="material_uploaded")
    assert event.is_public and event.data == {"name": "营业执照", "file": "营业执照扫描件.pdf"}
    upload(hall, app, "seal", SimpleUploadedFile("公章.png", PNG))
    # Nothing is missing any more: the clerk accepts without touching the checklist.
    app = services.application_transition(actor=hall.clerk, application=app.number, action=Action.ACCEPT, now=NOW)
    assert app.status == Status.ACCEPTED
    # After acceptance a received material is closed to uploads.
    with pytest.raises(InvalidTransition):
        upload(hall, app, "seal", SimpleUploadedFile("公章2.png", PNG))


@pytest.mark.parametrize("content", [EXE, MP3, b""], ids=["exe-named-pdf", "mp3", "empty"])
def test_wrong_or_empty_files_are_refused_and_nothing_is_kept(hall: Hall, content: bytes) -> None:
    app = person_app(hall)
    with pytest.raises(ValidationFailed) as exc:
        upload(hall, app, "business_licence", pdf(content=content))
    assert exc.value.code in ("attachment_type", "attachment_empty") and "file" in exc.value.data
    assert not MaterialFile.objects.exists()
    assert app.materials.get(key="business_licence").status == MaterialStatus.MISSING


@override_settings(HUYING_ATTACHMENT_MAX_BYTES=100)
def test_an_oversized_scan_is_refused(hall: Hall) -> None:
    app = person_app(hall)
    with pytest.raises(ValidationFailed) as exc:
        upload(hall, app, "business_licence")
    assert exc.value.code == "attachment_too_large" and not MaterialFile.objects.exists()


def test_at_most_five_files_per_material_and_unknown_material(hall: Hall) -> None:
    app = person_app(hall)
    for i in range(services.MAX_FILES_PER_MATERIAL):
        upload(hall, app, "business_licence", pdf(f"第{i + 1}页.pdf"))
    with pytest.raises(ValidationFailed) as exc:
        upload(hall, app, "business_licence")
    assert "最多" in str(exc.value.data["file"])
    with pytest.raises(ValidationFailed):
        upload(hall, app, "no_such_material")
    assert MaterialFile.objects.count() == services.MAX_FILES_PER_MATERIAL


def test_who_may_upload(hall: Hall) -> None:
    app = person_app(hall)
    with pytest.raises(NotFound):
        upload(hall, app, "seal", actor=hall.world.other_citizen)
    with pytest.raises(PermissionDenied):
        upload(hall, app, "seal", actor=hall.reviewer)  # the reviewing department sees it but does not upload
    assert upload(hall, app, "seal", actor=hall.clerk).uploaded_by == hall.clerk


def test_a_promised_material_is_supplied_by_upload_after_acceptance(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, now=NOW)
    materials: dict[str, Any] = dict(all_provided(app))
    materials["id_card"] = {"status": "promised", "promised_by": "2026-03-20"}
    app = services.application_transition(
        actor=hall.clerk, application=app, action=Action.ACCEPT_WITH_PROMISE, materials=materials, now=NOW
    )
    app = services.application_transition(actor=hall.clerk, application=app, action=Action.START_REVIEW, now=NOW)
    assert app.promise_until is not None
    with pytest.raises(InvalidTransition):  # a material already received stays closed
        upload(hall, app, "business_licence", actor=hall.clerk)
    upload(hall, app, "id_card", SimpleUploadedFile("身份证.jpg", b"\xff\xd8\xff" + b"\x00" * 64), actor=hall.clerk)
    app.refresh_from_db()
    assert app.promise_until is None and app.materials.get(key="id_card").status == MaterialStatus.UPLOADED
    services.applications_sweep(now=local(2026, 3, 23, 9, 0))  # past the promised date
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW  # not refused for a late 容缺 material


def test_clerk_cannot_mark_uploaded_without_a_file(hall: Hall) -> None:
    app = receive(hall, item=hall.cat.food, now=NOW)
    with pytest.raises(ValidationFailed) as exc:
        services.application_materials_update(actor=hall.clerk, application=app, materials={"id_card": "uploaded"})
    assert "id_card" in exc.value.data["materials"]


def test_staff_downloads_are_audit_logged_the_applicants_are_not(hall: Hall) -> None:
    app = person_app(hall)
    stored = upload(hall, app, "business_licence")
    assert services.material_file_open(actor=hall.citizen, application=app.number, file_id=stored.pk) == stored
    assert not AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW).exists()
    services.material_file_open(actor=hall.clerk, application=app.number, file_id=stored.pk)
    log = AuditLog.objects.get(kind=AuditLog.Kind.PERSONAL_DATA_VIEW)
    assert log.actor == hall.clerk and app.number in log.summary and "营业执照" in log.summary
    with pytest.raises(NotFound):
        services.material_file_open(actor=hall.world.other_citizen, application=app.number, file_id=stored.pk)
    other = person_app(hall)
    with pytest.raises(NotFound):  # a file of another application, asked for through this one
        services.material_file_open(actor=hall.citizen, application=other.number, file_id=stored.pk)


def test_upload_and_download_on_the_detail_page(hall: Hall) -> None:
    app = person_app(hall)
    client = Client()
    client.force_login(hall.citizen)
    page = client.get(f"/applications/{app.number}/").content.decode()
    assert 'form="upload-business_licence"' in page and 'id="upload-seal"' in page and "JPG、PNG 或 PDF" in page
    url = f"/applications/{app.number}/materials/business_licence/upload/"
    page = client.post(url, {"file": pdf(content=EXE)}, follow=True).content.decode()
    assert "附件类型不支持" in page and not MaterialFile.objects.exists()
    page = client.post(url, {}, follow=True).content.decode()
    assert "请选择要上传的文件" in page
    page = client.post(url, {"file": pdf()}, follow=True).content.decode()
    assert "已上传「营业执照」的电子件" in page and "营业执照扫描件.pdf" in page and "已上传电子件" in page
    stored = MaterialFile.objects.get()
    response = client.get(f"/applications/{app.number}/files/{stored.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store" and b"".join(response.streaming_content) == PDF
    other = Client()
    other.force_login(hall.world.other_citizen)
    assert other.get(f"/applications/{app.number}/files/{stored.pk}/").status_code == 404
    assert other.post(url, {"file": pdf()}).status_code == 404


def test_upload_through_the_api(hall: Hall) -> None:
    app = person_app(hall)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=hall.citizen)[1]}")
    url = f"/api/v1/applications/{app.number}/materials/seal/files/"
    bad = client.post(url, {"file": pdf(content=EXE)}, format="multipart")
    assert bad.status_code == 400 and bad.json()["code"] == "attachment_type"
    assert client.post(url, {}, format="multipart").status_code == 400
    ok = client.post(url, {"file": pdf("公章.pdf")}, format="multipart")
    assert ok.status_code == 201 and ok.json()["name"] == "公章.pdf"
    detail = client.get(f"/api/v1/applications/{app.number}/").json()
    seal = next(m for m in detail["materials"] if m["key"] == "seal")
    assert seal["status"] == "uploaded" and seal["files"][0]["url"] == ok.json()["url"]
    download = client.get(ok.json()["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=hall.world.other_citizen)[1]}")
    assert stranger.get(ok.json()["url"]).status_code == 404


def stored_names(storage: Any, path: str = "") -> set[str]:
    dirs, files = storage.listdir(path)
    names = {f"{path}/{name}" for name in files}
    for d in dirs:
        names |= stored_names(storage, f"{path}/{d}" if path else d)
    return names


def test_an_upload_that_loses_a_race_leaves_no_file(hall: Hall, monkeypatch: Any) -> None:
    app = person_app(hall)
    storage = MaterialFile._meta.get_field("file").storage  # type: ignore[attr-defined]
    before = stored_names(storage)

    def someone_else_was_first(application: Any, updates: Any) -> None:
        raise ConcurrentModification()

    monkeypatch.setattr("huying.applications.services.materials._write", someone_else_was_first)
    with pytest.raises(ConcurrentModification):
        upload(hall, app, "seal")
    assert not MaterialFile.objects.exists() and stored_names(storage) == before
    assert app.materials.get(key="seal").status == MaterialStatus.MISSING
