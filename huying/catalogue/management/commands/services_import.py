"""manage.py services_import FILE: import the 实施清单 workbook (nothing is saved if any row is wrong)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huying.catalogue.services import catalogue_import


class Command(BaseCommand):
    help = "导入政务服务事项实施清单（Excel 工作簿）；任一行有误时不导入任何内容。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="xlsx 文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        with path.open("rb") as handle:
            report = catalogue_import(handle, actor=None)
        if not report.ok:
            for e in report.errors:
                self.stderr.write(f"{e.sheet} 第{e.row or '—'}行 {e.column or ''}：{e.message}")
            raise CommandError(f"发现 {len(report.errors)} 处错误，未导入任何内容。")
        self.stdout.write(
            f"导入完成：新增 {report.created} 项，更新 {report.updated} 项事项；一件事 {report.bundles} 个。"
        )
