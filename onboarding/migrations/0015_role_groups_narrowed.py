from django.db import migrations


def narrow_role_groups(apps, schema_editor):
    from onboarding.roles import ensure_role_groups

    ensure_role_groups(apps)


class Migration(migrations.Migration):
    """Support loses personal data and documents; the administrator keeps users and settings only (no
    review, approval, reveal or hit decision)."""

    dependencies = [
        ("onboarding", "0014_case_decisions"),
        ("sanctions", "0005_ofac_reports"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(narrow_role_groups, migrations.RunPython.noop)]
