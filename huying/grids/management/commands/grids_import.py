"""manage.py grids_import FILE: import grids from GeoJSON or Excel (nothing is saved if any row is wrong)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huying.grids.services import grids_import

MAX_SHOWN = 200


class Command(BaseCommand):
    help = "导入网格（GeoJSON FeatureCollection 或 Excel 工作簿）；任一行有误时不导入任何内容。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".geojson / .json / .xlsx 文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        with path.open("rb") as handle:
            report = grids_import(handle, filename=path.name, actor=None)
        if not report.ok:
            for e in report.errors[:MAX_SHOWN]:
                self.stderr.write(f"{e.sheet} 第{e.row or '—'}行 {e.column or ''}：{e.message}")
            raise CommandError(f"发现 {len(report.errors)} 处错误，未导入任何内容。")
        self.stdout.write(f"导入完成：新增网格 {report.created} 个，调整边界 {report.updated} 个。")
