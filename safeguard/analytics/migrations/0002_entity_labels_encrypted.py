"""Issue 12 §7: domains and places were kept as plaintext labels; move them into the encrypted value."""

from django.db import migrations


def encrypt_labels(apps, schema_editor):
    Entity = apps.get_model("analytics", "Entity")
    for entity in Entity.objects.exclude(label="").iterator():
        entity.value = entity.value or entity.label
        entity.label = ""
        entity.save(update_fields=["value", "label"])


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_entities_networks_ads_links")]

    operations = [migrations.RunPython(encrypt_labels, migrations.RunPython.noop)]
