"""Files on an appeal: a citizen's photo at intake, a unit's evidence later."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import InvalidTransition
from huying.core.uploads import check_upload, rename_for_storage

from ..models import Appeal, Attachment
from ..states import OPEN_STATUSES
from .base import acting_user, load_visible, record_event


def attachment_store(*, appeal: Appeal, upload: UploadedFile, actor: Actor | User | AnonymousUser) -> Attachment:
    content_type = check_upload(upload)
    original_name = rename_for_storage(upload, prefix=appeal.number or f"appeal{appeal.pk}", content_type=content_type)
    return Attachment.objects.create(
        appeal=appeal,
        file=upload,
        original_name=original_name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=acting_user(actor),
    )


@transaction.atomic
def appeal_attachment_add(
    *, actor: Actor | User | AnonymousUser, appeal_id: int, upload: UploadedFile, now: dt.datetime | None = None
) -> Attachment:
    """Add a file to an open appeal the actor can see (a citizen's photo, a unit's evidence).

    Preconditions: visible (else NotFound), still open (else InvalidTransition), the file passes
    ``core.uploads.check_upload``. Effects: the attachment row and a non-public event, one transaction.
    """
    now = now or timezone.now()
    resolved = actor_for(actor)
    appeal = load_visible(resolved, appeal_id)
    if appeal.status not in OPEN_STATUSES:
        raise InvalidTransition(_("工单已结束，不能再添加附件。"), data={"status": appeal.status})
    attachment = attachment_store(appeal=appeal, upload=upload, actor=resolved)
    record_event(
        appeal,
        action="attachment_added",
        from_status=appeal.status,
        actor=resolved,
        now=now,
        data={"attachment": attachment.pk, "content_type": attachment.content_type},
        is_public=False,
    )
    return attachment
