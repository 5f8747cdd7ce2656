"""manage.py demo_accounts: create (idempotently) and print the demo accounts."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from ..demo_builder import account_rows, ensure_accounts, ensure_structure


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "创建演示账号（可重复运行）并打印账号表。"

    def handle(self, *args: Any, **options: Any) -> None:
        structure = ensure_structure()
        ensure_accounts(structure)
        header = ("角色", "单位", "用户名", "密码", "登录后打开")
        rows = [header, *account_rows(structure)]
        widths = [max(_width(r[i]) for r in rows) for i in range(len(header) - 1)]
        self.stdout.write("演示账号（登录地址 http://127.0.0.1:8000/accounts/login/）：")
        for row in rows:
            self.stdout.write("  " + "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1])
        self.stdout.write("其他承办单位账号：用户名为单位代码（如 huanjing、renshe、zilaishui、daixi），密码相同。")
