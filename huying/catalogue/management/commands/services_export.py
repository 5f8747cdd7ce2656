"""manage.py services_export FILE: write the whole catalogue as an xlsx workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huying.catalogue.services import catalogue_export


class Command(BaseCommand):
    help = "导出政务服务事项实施清单为 Excel 工作簿（可再次导入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="xlsx 文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        path.write_bytes(catalogue_export())
        self.stdout.write(f"已导出到 {path}")
