"""A list version's status (active, held for a senior officer, inactive) beside the active flag, which
follows it (a check constraint); refresh attempts may be held too. The version that was active stays so."""

from django.db import migrations, models


def status_from_active_flag(apps, schema_editor):
    Version = apps.get_model("sanctions", "SanctionsListVersion")
    Version.objects.filter(is_active=True).update(status="active")
    Version.objects.filter(is_active=False).update(status="inactive")


class Migration(migrations.Migration):
    dependencies = [
        ("sanctions", "0002_seed_jurisdictions"),
    ]

    operations = [
        migrations.AddField(
            model_name="sanctionslistversion",
            name="status",
            field=models.CharField(
                choices=[("active", "Active"), ("held", "Held for a senior officer"), ("inactive", "Inactive")],
                default="inactive",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="sanctionslistversion",
            name="status_at",
            field=models.DateTimeField(blank=True, help_text="When the status last changed", null=True),
        ),
        migrations.AddField(
            model_name="sanctionslistversion",
            name="status_reason",
            field=models.TextField(
                blank=True, help_text="Why it is held, or the senior officer's reason for activating it"
            ),
        ),
        migrations.AlterField(
            model_name="refreshattempt",
            name="status",
            field=models.CharField(
                choices=[
                    ("ok", "Loaded"),
                    ("held", "Loaded and held for a senior officer"),
                    ("unchanged", "Unchanged (same content)"),
                    ("failed", "Failed"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunPython(status_from_active_flag, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="sanctionslistversion",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_active", True), ("status", "active"))
                | models.Q(("is_active", False), ("status__in", ["held", "inactive"])),
                name="list_version_status_matches_active_flag",
            ),
        ),
    ]
