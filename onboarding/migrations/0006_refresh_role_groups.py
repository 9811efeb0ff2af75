from django.db import migrations


def refresh_role_groups(apps, schema_editor):
    from onboarding.roles import ensure_role_groups

    ensure_role_groups(apps)


class Migration(migrations.Migration):
    """The role groups gain the permissions of the KYC rules and sanctions models."""

    dependencies = [
        ("onboarding", "0005_seed_kyc_rules"),
        ("sanctions", "0002_seed_jurisdictions"),
    ]

    operations = [migrations.RunPython(refresh_role_groups, migrations.RunPython.noop)]
