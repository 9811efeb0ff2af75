# The items an information request names, and the time the officer gave to answer.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('onboarding', '0011_review_queue'),
    ]

    operations = [
        migrations.AddField(
            model_name='inforequest',
            name='due_days',
            field=models.PositiveSmallIntegerField(default=30),
        ),
        migrations.AddField(
            model_name='inforequest',
            name='items',
            field=models.JSONField(blank=True, default=list, help_text='Shown to the merchant and partner'),
        ),
    ]
