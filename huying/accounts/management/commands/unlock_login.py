"""manage.py unlock_login USERNAME [--address IP] | --address IP: lift a login lock at once (audited)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huying.accounts.services import login_unlock
from huying.core.errors import HuyingError


class Command(BaseCommand):
    help = "解除登录锁定：清除某用户名（可限定地址）或某地址的登录失败记录，并记入审计日志。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default=None, help="用户名（省略时须给出 --address）")
        parser.add_argument("--address", default=None, help="只解除该登录地址的锁定")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            forgotten = login_unlock(username=options["username"], ip_address=options["address"])
        except HuyingError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"已解除登录锁定，清除失败记录 {forgotten} 条。")
