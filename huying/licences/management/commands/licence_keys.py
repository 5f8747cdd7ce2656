"""Manage the QR signing keys: create the first, rotate, list."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from huying.licences import keys
from huying.licences.models import SigningKey
from huying.licences.tokens import KeyRingError


class Command(BaseCommand):
    help = "电子证照二维码签名密钥：create（生成首个密钥）、rotate（轮换）、list（列出）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "rotate", "list"])

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "create":
                if SigningKey.objects.filter(retired_at__isnull=True).exists() and keys.private_key_files():
                    raise CommandError("已有正在使用的签名密钥；如需更换请运行 licence_keys rotate。")
                row = keys.create_key(retire_current=True)
                self.stdout.write(f"已生成签名密钥 {row.kid}，私钥保存在 {keys.key_dir() / (row.kid + '.key')}")
            elif action == "rotate":
                row = keys.rotate_key()
                self.stdout.write(
                    f"已轮换：新密钥 {row.kid} 开始签名；旧密钥在{keys.RETAIN_SECONDS}秒内仍可核验已出示的二维码。"
                )
            else:
                self._list()
        except KeyRingError as exc:
            raise CommandError(str(exc)) from None

    def _list(self) -> None:
        if keys.env_value():
            self.stdout.write(f"签名密钥由环境变量 {keys.ENV_VAR} 提供。")
        now = timezone.now()
        verifying = {row.kid for row in keys.verifying_rows(now)}
        for row in SigningKey.objects.order_by("-created_at", "-pk"):
            if row.retired_at is None:
                state = "签名中"
            elif row.kid in verifying:
                state = "已停止签名（仍可核验）"
            else:
                state = "已停用"
            has_file = "有私钥文件" if (keys.key_dir() / f"{row.kid}.key").is_file() else "无私钥文件"
            self.stdout.write(
                f"{row.kid}\t{state}\t{has_file}\t创建于 {timezone.localtime(row.created_at):%Y-%m-%d %H:%M}"
            )
