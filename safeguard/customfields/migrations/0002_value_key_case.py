"""Value keys carry their case, so a case-list filter reads one index (key, case) (decision 162)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_case_from_value(apps, schema_editor):
    FieldValue = apps.get_model("customfields", "FieldValue")
    FieldValueKey = apps.get_model("customfields", "FieldValueKey")
    FieldValueKey.objects.update(
        case_id=Subquery(FieldValue.objects.filter(pk=OuterRef("value_id")).values("case_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_list_indexes"),
        ("customfields", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="fieldvaluekey",
            name="case",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.case"
            ),
        ),
        migrations.RunPython(copy_case_from_value, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="fieldvaluekey",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.case"
            ),
        ),
        migrations.AlterField(
            model_name="fieldvaluekey",
            name="key",
            field=models.CharField(max_length=40),
        ),
        migrations.AddIndex(
            model_name="fieldvaluekey",
            index=models.Index(fields=["key", "case"], name="custom_value_key_case"),
        ),
    ]
