"""The county's publication catalogue a deployment starts from (huying/community/rules.py), editable in the admin."""

from django.db import migrations


def load(apps, schema_editor):
    from huying.community.rules import load_catalogue

    load_catalogue(apps.get_model("community", "CatalogueItem"))


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
