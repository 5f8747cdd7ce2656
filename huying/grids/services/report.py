"""随手拍: a photo, a point, a category and a few words from a phone become an appeal.

A grid worker's report goes on the grid channel (网格员上报) and carries the grid found from the
point; a citizen's goes on the phone channel (手机随手拍) the same way. The phone makes a key
(UUID) for each report and resends it until it hears back: a retry never creates a second appeal.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal, Category
from huying.appeals.states import AppealType, Channel
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.statemachine import NOTE_MAX_LENGTH
from huying.core.uploads import check_upload

from .. import errors
from ..permissions import WORKERS, current_posts, resolve
from ..spatial import grid_locate

MAX_SIDE = 1600
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


@dataclass(frozen=True)
class ReportResult:
    appeal: Appeal
    created: bool


def photo_prepare(upload: UploadedFile) -> SimpleUploadedFile:
    """A JPEG at most MAX_SIDE pixels on its longer side, turned upright, with no EXIF (no GPS, no
    phone model) left in it. Type and size are checked first by the content, not the name."""
    check_upload(upload, allowed=PHOTO_TYPES, field="photo")
    try:
        with Image.open(upload) as image:
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            clean = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError):
        message = _("照片无法识别，请重新拍摄。")
        raise ValidationFailed(message, code=errors.PHOTO_UNREADABLE, data={"photo": message}) from None
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85)  # saved without the exif argument: no metadata is written
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def _fingerprint(channel: str, latitude: Any, longitude: Any, category: Category | None, text: str, raw: bytes) -> str:
    digest = hashlib.sha256()
    for part in (channel, f"{float(latitude):.6f}", f"{float(longitude):.6f}", str(category.pk if category else "")):
        digest.update(part.encode() + b"\0")
    digest.update(text.encode() + b"\0")
    digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()


def _read(upload: UploadedFile) -> bytes:
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    return raw


def report_submit(
    *,
    actor: Actor | User | AnonymousUser,
    key: object,
    photo: UploadedFile,
    latitude: Any,
    longitude: Any,
    text: str,
    category: Category | None = None,
) -> ReportResult:
    """File a 随手拍 once per key. A point outside every grid, a photo that is not an image or is too
    large, or a missing text is refused before anything is written."""
    resolved = resolve(actor)
    if resolved is None or not resolved.is_authenticated:
        raise PermissionDenied()
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("请描述看到的问题。"), data={"text": _("请描述看到的问题。")})
    key = appeal_services.idempotency_key_clean(key)
    located = grid_locate(longitude, latitude)
    is_worker = any(post.grid_id == located.id for post in current_posts(resolved, WORKERS))
    channel = Channel.GRID if is_worker else Channel.MOBILE
    fingerprint = _fingerprint(channel, latitude, longitude, category, text, _read(photo))
    prepared = photo_prepare(photo)
    user = resolved.user

    def submit() -> Appeal:
        return appeal_services.appeal_submit(
            actor=resolved,
            channel=channel,
            appeal_type=AppealType.REPORT if is_worker else AppealType.HELP,
            content=text[:NOTE_MAX_LENGTH],
            category=category,
            requester_name=user.display_name or user.username,
            requester_phone=user.phone,
            is_anonymous=not user.phone,
            latitude=f"{float(latitude):.6f}",
            longitude=f"{float(longitude):.6f}",
            grid_code=located.code,
            attachments=[prepared],
            citizen=None if is_worker else user,
            detect_repeat=False,
        ).appeal

    appeal, created = appeal_services.appeal_submit_once(
        actor=resolved, key=key, fingerprint=fingerprint, submit=submit
    )
    return ReportResult(appeal=appeal, created=created)
