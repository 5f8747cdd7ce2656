"""Indexes that only cost writes: each was one more page written by every intake (ADR 0009)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from huying.core.db.indexes import drop_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0002_fewer_write_indexes"),
        ("dispatch", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dispatchsuggestion",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="appeals.category",
                    ),
                ),
                migrations.AlterField(
                    model_name="dispatchsuggestion",
                    name="chosen_category",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="appeals.category",
                    ),
                ),
                migrations.AlterField(
                    model_name="dispatchsuggestion",
                    name="corrected_by",
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
                    model_name="dispatchsuggestion",
                    name="model",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="dispatch.classifiermodel",
                    ),
                ),
            ],
            database_operations=[
                drop_indexes(
                    ("dispatch_dispatchsuggestion", "dispatch_dispatchsuggestion_category_id_77bbf667", "category_id"),
                    (
                        "dispatch_dispatchsuggestion",
                        "dispatch_dispatchsuggestion_chosen_category_id_4f6d6f66",
                        "chosen_category_id",
                    ),
                    (
                        "dispatch_dispatchsuggestion",
                        "dispatch_dispatchsuggestion_corrected_by_id_7027b98e",
                        "corrected_by_id",
                    ),
                    ("dispatch_dispatchsuggestion", "dispatch_dispatchsuggestion_model_id_88a50531", "model_id"),
                ),
            ],
        ),
    ]
