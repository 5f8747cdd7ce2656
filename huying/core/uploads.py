"""Uploaded files: the type is judged by the content (magic bytes), never by the name; size bounded.

Used for appeal attachments and for the electronic copies of an application's materials.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from . import errors
from .errors import ValidationFailed

_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
    b"ID3": "audio/mpeg",
}
# How each type is named in the refusal ("仅可上传 …").
_NAMES = {
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "application/pdf": "PDF",
    "audio/mpeg": "MP3",
    "video/mp4": "MP4",
}


def sniff(head: bytes) -> str | None:
    """The content type the first bytes of a file show, or None."""
    for magic, content_type in _MAGIC.items():
        if head.startswith(magic):
            return content_type
    if head[4:8] == b"ftyp":
        return "video/mp4"
    return None


def check_upload(upload: UploadedFile, *, allowed: Collection[str] | None = None, field: str = "attachments") -> str:
    """Accept only ``allowed`` content types (default: HUYING_ATTACHMENT_TYPES) within the size limit.

    Returns the sniffed content type; raises ValidationFailed naming ``field`` otherwise.
    """
    types = allowed if allowed is not None else settings.HUYING_ATTACHMENT_TYPES
    if upload.size is None or upload.size > settings.HUYING_ATTACHMENT_MAX_BYTES:
        limit = settings.HUYING_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise ValidationFailed(
            _("附件不能超过%(mb)dMB。") % {"mb": limit}, code=errors.ATTACHMENT_TOO_LARGE, data={field: upload.name}
        )
    if upload.size == 0:
        raise ValidationFailed(_("附件为空文件。"), code=errors.ATTACHMENT_EMPTY, data={field: upload.name})
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None or content_type not in types:
        names = "、".join(_NAMES.get(t, t) for t in types)
        extension = (upload.name or "").rsplit(".", 1)[-1].upper() if "." in (upload.name or "") else ""
        if extension and extension in {"JPEG", "JPG", *(_NAMES.get(t, "") for t in types)}:
            # The name says an allowed type, the content says otherwise: say so, not "only JPG".
            message = _(
                "附件类型不支持：文件名是 .%(ext)s，但内容不是 %(types)s 文件（可能是改了扩展名的其他文件）。"
                "请上传扫描件或照片的原始文件。"
            ) % {"ext": extension.lower(), "types": names}
        else:
            message = _("附件类型不支持：仅可上传 %(types)s 文件。") % {"types": names}
        raise ValidationFailed(
            message,
            code=errors.ATTACHMENT_TYPE,
            data={field: upload.name},
        )
    return content_type


def rename_for_storage(upload: UploadedFile, *, prefix: str, content_type: str) -> str:
    """Give the checked upload a generated name, ``<prefix>-<random><ext>``, so what the uploader
    called the file never reaches the disk path. Returns the original name (≤ 200 characters)."""
    original = (upload.name or "")[:200]
    upload.name = f"{prefix}-{secrets.token_hex(4)}{settings.HUYING_ATTACHMENT_TYPES[content_type]}"
    return original


def private_file_response(file: FieldFile, *, content_type: str, name: str) -> FileResponse:
    """An uploaded file for the one person allowed to see it: images and PDF shown in the browser,
    anything else downloaded, under the uploader's name, never stored by a cache."""
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    response = FileResponse(file.open("rb"), content_type=content_type, as_attachment=not inline, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
