"""manage.py open311_clients create NAME | revoke NAME | list: the Open311 clients and their API keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huying.open311 import services
from huying.open311.models import Client


class Command(BaseCommand):
    help = "Open311 接入方：create 名称（生成密钥，只显示一次）、revoke 名称（停用）、list（列出）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("name", nargs="?", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action, name = options["action"], options["name"].strip()
        if action == "list":
            for client in Client.objects.all():
                state = "启用" if client.is_active else "已停用"
                self.stdout.write(f"{client.name}\t{client.key_prefix}…\t{state}")
            return
        if not name:
            raise CommandError("请给出接入方名称。")
        if action == "create":
            if Client.objects.filter(name=name).exists():
                raise CommandError(f"接入方 {name} 已存在。")
            _client, key = services.client_create(name)
            self.stdout.write(key)
            self.stderr.write(f"已为 {name} 生成 Open311 密钥（只显示这一次，请妥善交付）。")
        else:
            try:
                services.client_revoke(name)
            except Client.DoesNotExist:
                raise CommandError(f"没有接入方 {name}。") from None
            self.stdout.write(f"已停用 {name}。")
