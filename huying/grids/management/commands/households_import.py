"""manage.py households_import FILE: import a street's household register (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huying.grids.services import households_import

MAX_SHOWN = 200


class Command(BaseCommand):
    help = "导入住户登记（Excel，每行一名居民）；任一行有误时不导入任何内容。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="xlsx 文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        with path.open("rb") as handle:
            report = households_import(handle, actor=None)
        if not report.ok:
            for e in report.errors[:MAX_SHOWN]:
                self.stderr.write(f"{e.sheet} 第{e.row or '—'}行 {e.column or ''}：{e.message}")
            more = len(report.errors) - MAX_SHOWN
            if more > 0:
                self.stderr.write(f"……另有 {more} 处错误未列出。")
            raise CommandError(f"发现 {len(report.errors)} 处错误，未导入任何内容。")
        self.stdout.write(f"导入完成：{report.created} 户，{report.rows} 人。")
