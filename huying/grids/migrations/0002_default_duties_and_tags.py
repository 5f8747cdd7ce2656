"""The demo set of duty types and household tags (huying/grids/defaults.py), editable in the admin."""

from django.db import migrations


def load(apps, schema_editor):
    from huying.grids.defaults import load_defaults

    load_defaults(apps.get_model("grids", "DutyType"), apps.get_model("grids", "Tag"))


class Migration(migrations.Migration):
    dependencies = [("grids", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
