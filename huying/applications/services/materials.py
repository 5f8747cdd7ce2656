"""An application's materials: the clerk's checklist (容缺 promises included), scans uploaded by the
applicant or a clerk, and materials covered by a verified e-licence (免提交)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.models import AuditLog
from huying.core.services import audit_record
from huying.core.statemachine import versioned_update
from huying.core.uploads import check_upload, rename_for_storage

from .. import errors, integrations
from ..models import Application, ApplicationMaterial, MaterialFile, MaterialView
from ..permissions import UPLOADERS, roles_for
from ..states import APPLICANT, ApplicantKind, MaterialStatus, Status
from .common import ActorArg, _check_version, _clean_date, _event, _load, _resolve, _user, _write

# Electronic copies of materials: scans and photos only.
MATERIAL_FILE_TYPES = ("image/jpeg", "image/png", "application/pdf")
MAX_FILES_PER_MATERIAL = 5

_BEFORE_ACCEPTANCE = (Status.RECEIVED, Status.CORRECTION_REQUESTED)
_OWING = (Status.ACCEPTED_WITH_PROMISE, Status.IN_REVIEW, Status.SPECIAL_PROCEDURE)


def _clean_promise(spec: dict[str, Any], key: str, today: dt.date) -> dt.date:
    """A 容缺 material's promised date: given, valid, from today and within 90 days."""
    if not spec.get("promised_by"):
        raise ValidationFailed(_("容缺材料须填写承诺补齐日期。"))
    try:
        day = _clean_date(spec.get("promised_by"), key)
    except ValidationFailed:
        raise ValidationFailed(_("承诺补齐日期无效。")) from None
    if day < today:
        raise ValidationFailed(_("承诺补齐日期不能早于今天。"))
    if day > today + dt.timedelta(days=90):
        raise ValidationFailed(_("承诺补齐日期不能超过90天。"))
    return day


def _clean_material_change(material: ApplicationMaterial, spec: dict[str, Any], today: dt.date) -> dict[str, Any]:
    status = str(spec.get("status") or "")
    if status not in MaterialStatus.values:
        raise ValidationFailed(_("材料收取情况无效。"))
    if status == MaterialStatus.E_LICENCE and material.status != MaterialStatus.E_LICENCE:
        raise ValidationFailed(_("电子证照须经核验（扫码或数据共享）后自动标记。"))
    if status == MaterialStatus.UPLOADED and not material.files.exists():
        raise ValidationFailed(_("这项材料没有上传的电子件。"))
    entry: dict[str, Any] = {"status": status, "note": str(spec.get("note") or "").strip()[:300]}
    if status == MaterialStatus.PROMISED:
        entry["promised_by"] = _clean_promise(spec, material.key, today)
    return entry


def clean_material_changes(application: Application, changes: Any, *, today: dt.date) -> dict[str, dict[str, Any]]:
    """``{key: status}`` or ``{key: {"status", "promised_by", "note"}}`` → validated changes."""
    if changes in (None, ""):
        return {}
    if not isinstance(changes, dict):
        raise ValidationFailed(_("材料清单格式不正确。"), data={"materials": _("材料清单格式不正确。")})
    known = {m.key: m for m in application.materials.all()}
    cleaned: dict[str, dict[str, Any]] = {}
    problems: dict[str, str] = {}
    for key, raw in changes.items():
        material = known.get(str(key))
        if material is None:
            problems[str(key)] = _("没有这项材料。")
            continue
        try:
            cleaned[material.key] = _clean_material_change(
                material, raw if isinstance(raw, dict) else {"status": raw}, today
            )
        except ValidationFailed as exc:
            problems[str(key)] = str(exc.message)
    if problems:
        raise ValidationFailed(_("材料清单有误，请检查后重试。"), data={"materials": problems})
    return cleaned


def _apply_material_changes(application: Application, changes: dict[str, dict[str, Any]]) -> list[str]:
    changed: list[str] = []
    for material in application.materials.all():
        spec = changes.get(material.key)
        if spec is None:
            continue
        promised_by = spec.get("promised_by") if spec["status"] == MaterialStatus.PROMISED else None
        if material.status == spec["status"] and material.promised_by == promised_by and not spec.get("note"):
            continue
        material.status = spec["status"]
        material.promised_by = promised_by
        if spec["status"] != MaterialStatus.E_LICENCE:
            material.licence_identifier = ""
        if spec.get("note"):
            material.note = spec["note"]
        material.save(update_fields=["status", "promised_by", "licence_identifier", "note"])
        changed.append(material.key)
    return changed


def _mark_held_licences(application: Application) -> list[str]:
    """免提交: every material the applicant holds as a valid e-licence is marked so (no paper)."""
    marked: list[str] = []
    for material in application.materials.all():
        if not material.licence_type_code or material.status == MaterialStatus.E_LICENCE:
            continue
        identifier = integrations.held_licence_identifier(application.applicant_code, material.licence_type_code)
        if identifier:
            material.status = MaterialStatus.E_LICENCE
            material.licence_identifier = identifier
            material.promised_by = None
            material.save(update_fields=["status", "licence_identifier", "promised_by"])
            marked.append(material.key)
    return marked


# --- the checklist after 收件 -----------------------------------------------------------------------


def application_materials_update(
    *,
    actor: ActorArg,
    application: Application | int | str,
    materials: dict[str, Any],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """The clerk updates the checklist: before 受理 any change; afterwards promised (容缺) materials
    received. When none is outstanding any more the 容缺 deadline is lifted."""
    now = now or timezone.now()
    resolved = _resolve(actor)
    with transaction.atomic():
        current = _load(resolved, application)
        if Role.CLERK not in roles_for(resolved, current):
            raise PermissionDenied()
        _check_version(current, expected_version)
        before_acceptance = current.status in _BEFORE_ACCEPTANCE
        after = current.status in _OWING
        if not (before_acceptance or after):
            raise InvalidTransition(_("办件当前状态不能修改材料。"), data={"status": current.status})
        changes = clean_material_changes(current, materials, today=timezone.localdate(now))
        if after:
            by_key = {m.key: m for m in current.materials.all()}
            for key, spec in changes.items():
                if by_key[key].status != MaterialStatus.PROMISED or spec["status"] != MaterialStatus.PROVIDED:
                    raise ValidationFailed(
                        _("受理后只能登记容缺材料已补齐。"),
                        data={"materials": {key: _("受理后只能登记容缺材料已补齐。")}},
                    )
        changed = _apply_material_changes(current, changes)
        _record_material_change(
            current, "materials_updated", accepted=after, actor=resolved, now=now, data={"materials": changed}
        )
        return current


def _record_material_change(
    application: Application,
    action: str,
    *,
    accepted: bool,
    actor: Actor | None,
    now: dt.datetime,
    data: dict[str, Any],
) -> None:
    """A new version and the event; after 受理, the 容缺 deadline is lifted once no material is owed."""
    updates: dict[str, Any] = {}
    if accepted and not application.materials.filter(status=MaterialStatus.PROMISED).exists():
        updates["promise_until"] = None
    _write(application, updates)
    _event(application, action=action, from_status=application.status, actor=_user(actor), now=now, data=data)


# --- scans ---------------------------------------------------------------------------------------


def upload_open(application: Application, material: ApplicationMaterial) -> bool:
    """Whether a scan of this material may be uploaded now: before 受理 any material not covered by
    an e-licence; afterwards (容缺受理, in review) only a 容缺 material still owed."""
    if material.status == MaterialStatus.E_LICENCE:
        return False
    if application.status in _BEFORE_ACCEPTANCE:
        return True
    return material.status == MaterialStatus.PROMISED and application.status in _OWING


def material_file_upload(
    *,
    actor: ActorArg,
    application: Application | int | str,
    key: str,
    upload: UploadedFile,
    now: dt.datetime | None = None,
) -> MaterialFile:
    """The applicant (or their agent) or a clerk uploads a scan of one material.

    Preconditions: the application is visible (else NotFound); the actor is its applicant or a
    clerk (else PermissionDenied); ``upload_open`` (else InvalidTransition); at most
    MAX_FILES_PER_MATERIAL files, each a JPG, PNG or PDF within the size limit (else
    ValidationFailed). Effects: the file, the material marked 已上传电子件 (a 容缺 material thereby
    supplied; the 容缺 deadline lifted when none is owed any more), a new version, a public event.
    """
    now = now or timezone.now()
    resolved = _resolve(actor)
    with transaction.atomic():
        current = _load(resolved, application)
        if not UPLOADERS & roles_for(resolved, current):
            raise PermissionDenied()
        material = current.materials.filter(key=str(key)).first()
        if material is None:
            raise ValidationFailed(data={"file": _("没有这项材料。")})
        if not upload_open(current, material):
            raise InvalidTransition(
                _("办件当前状态为「%(status)s」，不能再上传这项材料。") % {"status": current.get_status_display()},
                data={"status": current.status},
            )
        if material.files.count() >= MAX_FILES_PER_MATERIAL:
            raise ValidationFailed(data={"file": _("每项材料最多上传%(n)d个文件。") % {"n": MAX_FILES_PER_MATERIAL}})
        content_type = check_upload(upload, allowed=MATERIAL_FILE_TYPES, field="file")
        original_name = rename_for_storage(upload, prefix=f"{current.number}-{material.key}", content_type=content_type)
        material.status, material.promised_by = MaterialStatus.UPLOADED, None
        material.save(update_fields=["status", "promised_by"])
        # The version check comes before the file is written, so a caller who lost a race leaves no file.
        # After 受理, upload_open let only a 容缺 material through: the 容缺 deadline may now lift.
        _record_material_change(
            current,
            "material_uploaded",
            accepted=current.status not in _BEFORE_ACCEPTANCE,
            actor=resolved,
            now=now,
            data={"name": material.name, "file": original_name},
        )
        return MaterialFile.objects.create(
            material=material,
            file=upload,
            original_name=original_name,
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=_user(resolved),
            created_at=now,
        )


def material_file_open(*, actor: ActorArg, application: Application | int | str, file_id: int) -> MaterialFile:
    """A material's file for someone who may see the application; a staff view is audit-logged
    (scans carry ID numbers and addresses), the applicant's own is not."""
    resolved = _resolve(actor)
    current = _load(resolved, application)
    stored = MaterialFile.objects.filter(material__application=current, pk=file_id).select_related("material").first()
    if stored is None:
        raise NotFound()
    if APPLICANT not in roles_for(resolved, current):
        user = _user(resolved)
        if user is not None and user.is_authenticated:
            MaterialView.objects.get_or_create(material=stored.material, viewer=user)
        audit_record(
            kind=AuditLog.Kind.PERSONAL_DATA_VIEW,
            actor=_user(resolved),
            summary=_("查看办件%(number)s的材料电子件：%(name)s")
            % {"number": current.number, "name": stored.material.name},
            obj=stored,
            data={"application": current.number, "material": stored.material.key},
        )
    return stored


# --- e-licences verified at the window (免提交) ------------------------------------------------------


def _looks_like_id_number(value: Any) -> bool:
    return isinstance(value, str) and len(value.strip()) == 18 and value.strip()[:17].isdigit()


def _check_licence_holder(application: Application, licence: Any) -> None:
    """The licence must be the applicant's own: a person's licences for a person applicant; for an
    enterprise, its own enterprise licences, or (when the form names people by ID number — 法定代表人,
    经办人 …) the licence of one of them."""
    holder_is_person = licence.holder_kind == ApplicantKind.PERSON
    if (application.applicant_kind == ApplicantKind.PERSON or not holder_is_person) and (
        licence.holder_code != application.applicant_code
    ):
        raise ValidationFailed(
            _("该证照的持证人不是本办件的申请人，不能作为本办件的材料。"), code=errors.LICENCE_HOLDER_MISMATCH
        )
    named = {str(v).strip().upper() for v in (application.form_data or {}).values() if _looks_like_id_number(v)}
    if (
        holder_is_person
        and application.applicant_kind != ApplicantKind.PERSON
        and named
        and (licence.holder_code.upper() not in named)
    ):
        raise ValidationFailed(
            _("该证照的持证人不是申请表中填写的法定代表人或经办人，不能作为本办件的材料。"),
            code=errors.LICENCE_HOLDER_MISMATCH,
        )


def on_licence_verified(use: Any) -> None:
    """licence_hooks "verified": a licence verified at a window for an application marks the matching
    material as provided by e-licence (no paper)."""
    ref = getattr(use, "application_ref", "") or ""
    if not ref:
        return
    application = Application.objects.filter(number=ref).first()
    if application is None or application.status not in (*_BEFORE_ACCEPTANCE, *_OWING):
        return
    licence = use.licence
    _check_licence_holder(application, licence)
    updated = []
    for material in application.materials.filter(licence_type_code=licence.type.code).exclude(
        status=MaterialStatus.E_LICENCE
    ):
        material.status = MaterialStatus.E_LICENCE
        material.licence_identifier = licence.identifier
        material.promised_by = None
        material.save(update_fields=["status", "licence_identifier", "promised_by"])
        updated.append(material.key)
    if updated:
        # The checklist changed: a page showing the application at its old version is told so.
        fields: dict[str, Any] = {}
        if not application.materials.filter(status=MaterialStatus.PROMISED).exists():
            fields["promise_until"] = None
        versioned_update(Application.objects.filter(pk=application.pk), **fields)
        _event(
            application,
            action="material_e_licence",
            from_status=application.status,
            actor=getattr(use, "verifier", None),
            now=timezone.now(),
            data={"materials": updated, "identifier": licence.identifier},
        )
