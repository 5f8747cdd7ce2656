"""The grid case loop's checks beside the TRANSITIONS table: the after-photo of 自行处置 and of a
passed 核查, and on-site verification by someone other than the person who replied."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from huying.accounts.selectors import Actor
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.uploads import check_upload

from .. import errors
from ..models import Appeal, AppealEvent
from ..states import PHOTO_ACTIONS, VERIFY_ACTIONS, Action
from .attachments import attachment_store


def grid_action_check(actor: Actor, appeal: Appeal, action: str, payload: dict[str, Any]) -> UploadedFile | None:
    """Refuse a grid action that lacks its photo or is taken by the replier; return the photo."""
    if action in VERIFY_ACTIONS:
        replier = (
            AppealEvent.objects.filter(appeal=appeal, action=Action.REPLY)
            .order_by("-created_at", "-pk")
            .values_list("actor_id", flat=True)
            .first()
        )
        if replier is not None and replier == actor.user.pk:
            message = _("现场核查须由答复人以外的网格员进行。")
            raise PermissionDenied(message, code=errors.VERIFIER_IS_HANDLER)
    if action not in PHOTO_ACTIONS:
        return None
    photo = payload.get("photo")
    if not isinstance(photo, UploadedFile):
        message = _("请上传处置后的现场照片。")
        raise ValidationFailed(message, code=errors.PHOTO_REQUIRED, data={"photo": message})
    check_upload(photo)
    return photo


def grid_photo_store(actor: Actor, appeal: Appeal, photo: UploadedFile | None, data: dict[str, Any]) -> None:
    """The after-photo as an attachment of the appeal; its id goes on the action's event."""
    if photo is not None:
        data["after_photo"] = attachment_store(appeal=appeal, upload=photo, actor=actor).pk
