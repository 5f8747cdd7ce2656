"""The demo set of duty types and household tags (huying/grids/defaults.py), editable in the admin."""

from django.db import migrations


def load(apps, schema_editor):
    from huying.grids.defaults import DUTY_TYPES, TAGS

    DutyType = apps.get_model("grids", "DutyType")
    Tag = apps.get_model("grids", "Tag")
    for sort, (code, category, name) in enumerate(DUTY_TYPES):
        DutyType.objects.get_or_create(code=code, defaults={"category": category, "name": name, "sort": sort})
    for sort, (code, name, interval, basis) in enumerate(TAGS):
        Tag.objects.get_or_create(code=code, defaults={"name": name, "visit_interval_days": interval, "basis": basis, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("grids", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
