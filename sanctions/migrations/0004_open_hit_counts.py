"""Backfill each application's count of open sanctions hits (the review queue sorts and filters on it)."""

from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Application = apps.get_model("onboarding", "Application")
    SanctionsHit = apps.get_model("sanctions", "SanctionsHit")
    open_hits = (
        SanctionsHit.objects.filter(application=OuterRef("pk"), is_current=True, status="open", near_miss=False)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Application.objects.filter(sanctions_hits__is_current=True).update(
        open_hit_count=Coalesce(Subquery(open_hits, output_field=IntegerField()), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sanctions", "0003_list_version_status"),
        ("onboarding", "0011_review_queue"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
