# A database created while the catalogue was the 'services' app keeps its rows in services_* tables:
# rename them (foreign keys from other apps follow) and move their content types. Nothing to do in a
# database created since.

from django.db import migrations

from huying.core.migration_ops import AdoptLegacyTables


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0001_initial'),
    ]

    operations = [
        AdoptLegacyTables(legacy_app_label='services'),
    ]
