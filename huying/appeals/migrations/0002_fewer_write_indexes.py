"""Indexes that only cost writes: each was one more page written by every intake (ADR 0009)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from huying.core.db.indexes import drop_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("organisations", "0002_reference_divisions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="appeal",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="appeal",
                    name="lead_unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lead_appeals",
                        to="organisations.orgunit",
                        verbose_name="主办单位",
                    ),
                ),
                migrations.AlterField(
                    model_name="appeal",
                    name="requester_phone",
                    field=models.CharField(blank=True, max_length=20, verbose_name="联系电话"),
                ),
                migrations.AlterField(
                    model_name="appealevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="appealevent",
                    name="actor_unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="organisations.orgunit",
                    ),
                ),
                migrations.AlterField(
                    model_name="appealevent",
                    name="created_at",
                    field=models.DateTimeField(),
                ),
            ],
            database_operations=[
                drop_indexes(
                    ("appeals_appeal", "appeals_appeal_created_by_id_8a17364c", "created_by_id"),
                    ("appeals_appeal", "appeals_appeal_lead_unit_id_975ea08b", "lead_unit_id"),
                    ("appeals_appeal", "appeals_appeal_requester_phone_b0e2c26e", "requester_phone"),
                    ("appeals_appealevent", "appeals_appealevent_actor_id_60c2975b", "actor_id"),
                    ("appeals_appealevent", "appeals_appealevent_actor_unit_id_3ca27329", "actor_unit_id"),
                    ("appeals_appealevent", "appeals_appealevent_created_at_f5e815c8", "created_at"),
                ),
            ],
        ),
    ]
