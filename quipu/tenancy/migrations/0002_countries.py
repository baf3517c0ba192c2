from django.db import migrations


def load_countries(apps, schema_editor):
    from quipu.tenancy.countries import countries_sync

    countries_sync(apps.get_model("tenancy", "Country"))


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]
    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
