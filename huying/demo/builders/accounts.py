"""The demo accounts: created (idempotently) and printed as a table, with the address the server listens on."""

from __future__ import annotations

import unicodedata

from ..registry import DemoRun
from .appeals_structure import account_rows, ensure_accounts, ensure_structure


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def build(run: DemoRun) -> None:
    structure = ensure_structure()
    ensure_accounts(structure)
    header = ("角色", "单位", "用户名", "密码", "登录后打开")
    rows = [header, *account_rows(structure)]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(header) - 1)]
    run.write(f"演示账号（登录地址 http://{run.host}:{run.port}/accounts/login/）：")
    for row in rows:
        run.write("  " + "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1])
    run.write("其他承办单位账号：用户名为单位代码（如 huanjing、renshe、zilaishui、daixi），密码相同。")
