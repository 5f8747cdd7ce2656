"""Load the licence types added to huying.licences.types since 0002 (existing rows are left as they are)."""

from django.db import migrations


def load_new_types(apps, schema_editor):
    from huying.licences import types

    LicenceType = apps.get_model("licences", "LicenceType")
    kinds = {types.PERSON: "person", types.ENTERPRISE: "enterprise"}
    for spec in types.COMMON_TYPES:
        LicenceType.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "holder_kind": kinds[spec.holder_kind],
                "definer": spec.definer,
                "valid_years": spec.valid_years,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("licences", "0002_common_types")]

    operations = [migrations.RunPython(load_new_types, migrations.RunPython.noop)]
