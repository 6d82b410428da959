"""An index on the task table's ``started_at``, so that /health/ finds when a worker last took a
task (``MAX(started_at)``) and the stale-task reaper finds old RUNNING rows without a table scan.

django-tasks-db owns the table and indexes only its queue order; this index carries no model
state (RunSQL), works on SQLite and PostgreSQL, and is dropped again when reversed.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_append_only"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX safeguard_task_started_at_idx ON django_tasks_database_dbtaskresult (started_at)",
            "DROP INDEX safeguard_task_started_at_idx",
        )
    ]
