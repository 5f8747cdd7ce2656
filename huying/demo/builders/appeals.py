"""manage.py demo_data: a year of 滨州市12345 work orders, built through the services."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huying.appeals.models import Appeal
from huying.appeals.states import Status

from ..demo_builder import DemoBuilder, account_rows


class Command(BaseCommand):
    help = "生成演示数据：行政区划、组织机构、派单目录、演示账号和约3000件诉求工单。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有工单时什么也不做")
        parser.add_argument("--appeals", type=int, default=3000, help="生成的工单数量（默认3000）")
        parser.add_argument("--seed", type=int, default=12345, help="随机种子（默认12345，结果可复现）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Appeal.objects.exists():
            self.stdout.write("数据库中已有工单，跳过演示数据生成。")
            return
        started = time.monotonic()
        builder = DemoBuilder(seed=options["seed"], log=self.stdout.write)
        statuses = builder.build(options["appeals"])
        total = sum(statuses.values())
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已生成：数据库现有工单 {total} 件，用时 {time.monotonic() - started:.1f} 秒。")
        )
        for status in Status:
            if statuses.get(status.value):
                self.stdout.write(f"  {status.label}：{statuses[status.value]}")
        self.stdout.write(
            f"演示账号密码均为 {account_rows(builder.structure)[0][3]}，运行 manage.py demo_accounts 查看。"
        )
