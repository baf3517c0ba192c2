from django.db import migrations


def install(apps, schema_editor):
    from quipu.audit.triggers import triggers_install

    triggers_install(schema_editor)


def remove(apps, schema_editor):
    from quipu.audit.triggers import triggers_remove

    triggers_remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
