from django.db import migrations


def refresh_role_groups(apps, schema_editor):
    from onboarding.roles import ensure_role_groups

    ensure_role_groups(apps)


class Migration(migrations.Migration):
    """Officers and support read terminal requests; officers read what was created on the acquirer and the
    acquirer's events."""

    dependencies = [("payments", "0002_terminal_requests"), ("onboarding", "0016_terminal_requests")]

    operations = [migrations.RunPython(refresh_role_groups, migrations.RunPython.noop)]
