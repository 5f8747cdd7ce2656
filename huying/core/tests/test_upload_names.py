"""A program renamed to .jpg is told that its content is not a JPG, not that only JPG is allowed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huying.core.errors import ValidationFailed
from huying.core.uploads import check_upload

ALLOWED = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


def test_a_renamed_program_is_told_its_content_does_not_match_its_name() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_upload(SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" + b"\x00" * 100), allowed=ALLOWED)
    message = str(caught.value.message)
    assert "附件类型不支持" in message and ".jpg" in message and "内容不是" in message


def test_another_type_is_told_what_is_allowed() -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_upload(SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 100), allowed=ALLOWED)
    assert "仅可上传 JPG、PNG、PDF 文件" in str(caught.value.message)
