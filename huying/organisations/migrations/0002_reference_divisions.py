"""Load the reference GB/T 2260 divisions (huying.organisations.reference.DIVISIONS).

Written against the historical model (apps.get_model) so it keeps working when the model
changes later; the rows are the same ones reference.load_reference_divisions() loads.
"""

from django.db import migrations


def load_divisions(apps, schema_editor):
    from huying.organisations.reference import DIVISIONS

    Division = apps.get_model("organisations", "Division")
    by_code = {}
    for code, name, level, parent, valid_from, valid_to, statistical in DIVISIONS:
        division, _ = Division.objects.update_or_create(
            code=code,
            valid_from=valid_from,
            defaults={
                "name": name,
                "level": level,
                "parent": by_code.get(parent) if parent else None,
                "valid_to": valid_to,
                "is_statistical": statistical,
            },
        )
        by_code[code] = division


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(load_divisions, migrations.RunPython.noop)]
