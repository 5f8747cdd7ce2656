"""Background tasks for smart dispatch."""

from __future__ import annotations

from django_tasks import task

from huying.accounts.models import User
from huying.core.errors import ValidationFailed

from . import services


@task()
def train_classifier(user_id: int | None = None) -> str:
    """Train a new classifier version from the closed appeals (the admin's 训练新模型 button)."""
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        row = services.classifier_train(user=user, note="admin")
    except ValidationFailed as exc:
        return exc.message
    if row.threshold is None:
        return f"v{row.pk}（无自动派单阈值：交叉验证无法衡量或达不到目标准确率，全部由坐席确认）"
    return f"v{row.pk}"
