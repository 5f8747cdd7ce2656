"""Train a new classifier version from this deployment's handled appeals and make it active."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huying.core.errors import ValidationFailed
from huying.dispatch import services
from huying.dispatch.models import ClassifierModel


class Command(BaseCommand):
    help = "用本地已办结工单训练派单分类模型（新版本启用，旧版本保留以便回滚）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--activate", type=int, metavar="VERSION", help="不训练，改为启用已有版本（回滚）")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="已有启用的模型时不训练；历史不足时只提示（make run 用）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["activate"]:
                row = services.classifier_activate(version=options["activate"])
                self.stdout.write(f"已启用模型 v{row.pk}")
                return
            if options["if_missing"] and ClassifierModel.objects.filter(is_active=True).exists():
                self.stdout.write("已有启用的派单模型，跳过训练。")
                return
            row = services.classifier_train(note="manage.py dispatch_train")
        except ValidationFailed as exc:
            if options["if_missing"]:
                self.stdout.write(exc.message)
                return
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"模型 v{row.pk}：{row.n_samples} 条样本，{row.n_classes} 个分类，"
            f"交叉验证宏F1 {row.cv_macro_f1 if row.cv_macro_f1 is not None else '—'}，"
            f"建议自动派单阈值 {row.threshold if row.threshold is not None else '—'}；已启用。"
        )
        model = services.model_from_bytes(bytes(row.payload))
        if model.not_measurable:
            self.stdout.write(
                "交叉验证无法衡量这批数据（不同文本过少、某类样本过少或结果满分，多为模板化文本），"
                "因此不设自动派单阈值：所有工单由坐席确认。"
            )
        elif row.threshold is None:
            self.stdout.write("交叉验证中没有哪个置信度能达到目标准确率，不设自动派单阈值：所有工单由坐席确认。")
