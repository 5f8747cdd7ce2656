"""manage.py demo [--if-empty]: the whole demo deployment, every loop's builder in order (see huying.demo.registry)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huying.demo.registry import DemoRun, build_all, builders


class Command(BaseCommand):
    help = "生成全部演示数据（行政区划、组织机构、工单、派单模型、事项清单、电子证照、政务大厅、办件、好差评），并打印演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = DemoRun()
        parser.add_argument("--if-empty", action="store_true", help="已有工单或事项时不再生成工单和事项清单")
        parser.add_argument("--seed", type=int, default=defaults.seed, help="工单的随机种子（结果可复现）")
        parser.add_argument("--appeals", type=int, default=defaults.appeals, help="生成的工单数量")
        parser.add_argument("--licences", type=int, default=defaults.licences, help="其他居民和企业的证照总数")
        parser.add_argument("--hall-days", type=int, default=defaults.hall_days, help="政务大厅排队历史的天数")
        parser.add_argument("--applications", type=int, default=defaults.applications, help="生成的办件数量")
        parser.add_argument(
            "--ratings-per-kind", type=int, default=defaults.ratings_per_kind, help="每类事项最多评价几件"
        )
        parser.add_argument(
            "--only",
            nargs="+",
            choices=[name for name, _ in builders.items()],
            metavar="BUILDER",
            help="只运行这些生成步骤（按原顺序）：" + "、".join(name for name, _ in builders.items()),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        run = DemoRun(
            write=self.stdout.write,
            warn=self.stderr.write,
            success=self.style.SUCCESS,
            if_empty=options["if_empty"],
            seed=options["seed"],
            appeals=options["appeals"],
            licences=options["licences"],
            hall_days=options["hall_days"],
            applications=options["applications"],
            ratings_per_kind=options["ratings_per_kind"],
        )
        build_all(run, only=options["only"])
        self.stdout.write(f"演示数据准备完毕，用时 {time.monotonic() - started:.1f} 秒。")
