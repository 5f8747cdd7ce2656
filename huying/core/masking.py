"""Masking of personal data for display (个人信息保护法 Art. 51 去标识化, GB/T 35273-2020 个人信息的展示限制; common practice: phone 3+4, ID 6+4)."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if len(phone) == 11 and phone.isdigit():
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) > 6:
        return f"{phone[:4]}{'*' * (len(phone) - 6)}{phone[-2:]}"
    return "*" * len(phone)


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) >= 10:
        return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"
    return "*" * len(value)


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
