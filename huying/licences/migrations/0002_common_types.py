"""Load the common licence types (huying.licences.types.COMMON_TYPES)."""

from django.db import migrations


def load_types(apps, schema_editor):
    from huying.licences import types

    LicenceType = apps.get_model("licences", "LicenceType")
    kinds = {types.PERSON: "person", types.ENTERPRISE: "enterprise"}
    for spec in types.COMMON_TYPES:
        LicenceType.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "holder_kind": kinds[spec.holder_kind],
                "definer": spec.definer,
                "valid_years": spec.valid_years,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("licences", "0001_initial")]

    operations = [migrations.RunPython(load_types, migrations.RunPython.noop)]
